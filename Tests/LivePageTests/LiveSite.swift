import ExperimentStore
import Foundation

/// A store made by a real sweep (`mcpo-sweep run`), served by a real `mcpo-report serve` on a
/// free loopback port, for the browser tests. Built once per test process.
final class LiveSite: @unchecked Sendable {
    static let sweepName = "<script>alert(1)</script>"
    let directory: URL
    let store: String
    let dashboards: URL
    let server: Process
    let port: Int

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The executables built next to this test bundle (`swift test` builds them).
    static func binary(_ name: String) throws -> String {
        let dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [dir.appendingPathComponent(name).path,
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "\(name) was not found next to the test bundle (swift test builds it)")
        }
        return found
    }

    static func run(_ binary: String, _ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.currentDirectoryURL = dir
        let log = dir.appendingPathComponent("log-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    static let shared: Result<LiveSite, Error> = Result { try LiveSite() }

    private init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = directory.appendingPathComponent("live.sqlite").path
        // Two PPO settings and MCPO N=5 on Pendulum, 2 seeds, 5 iterations each: a few seconds.
        let sweep = """
            name: "\(LiveSite.sweepName)"
            seeds: 2
            defaults: {horizon: 2048, epochs: 2, actors: 4, eval_every: 2, eval_episodes: 2}
            envs:
              Pendulum: {steps: 40960}
            methods:
              PPO: {clip: [0.1, 0.2]}
              MCPO: {N: [5]}
            """
        let file = directory.appendingPathComponent("live.yaml")
        try sweep.write(to: file, atomically: true, encoding: .utf8)
        let made = try LiveSite.run(try LiveSite.binary("mcpo-sweep"), ["run", file.path, "--db", store, "--workers", "2"], in: directory)
        guard made.status == 0 else { throw Failure(description: "mcpo-sweep run failed: \(made.output)") }
        // A dashboard directory: one test dashboard (a figure per environment and Table 1).
        dashboards = directory.appendingPathComponent("dashboards")
        try FileManager.default.createDirectory(at: dashboards, withIntermediateDirectories: true)
        try """
            title: "Live test"
            items:
              - figure: curves
                title: "Pendulum curves"
                env: Pendulum
              - table: table1
            """.write(to: dashboards.appendingPathComponent("live.yaml"), atomically: true, encoding: .utf8)
        // The server, on a free port (it prints the one it bound).
        let out = directory.appendingPathComponent("serve.out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        server = Process()
        server.executableURL = URL(fileURLWithPath: try LiveSite.binary("mcpo-report"))
        server.arguments = ["serve", "--db", store, "--port", "0", "--dashboards", dashboards.path, "--refresh", "0"]
        server.currentDirectoryURL = directory
        server.standardOutput = try FileHandle(forWritingTo: out)
        server.standardError = try FileHandle(forWritingTo: directory.appendingPathComponent("serve.err").creatingEmptyFile())
        try server.run()
        var found: Int?
        for _ in 0..<200 where found == nil {
            Thread.sleep(forTimeInterval: 0.05)
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"127\.0\.0\.1:([0-9]+)"#, options: .regularExpression) {
                found = Int(text[range].split(separator: ":").last!)
            }
        }
        guard let found else {
            server.terminate()
            throw Failure(description: "mcpo-report serve did not report its port: \((try? String(contentsOf: directory.appendingPathComponent("serve.err"), encoding: .utf8)) ?? "")")
        }
        port = found
        atexit { if case .success(let site) = LiveSite.shared { site.server.terminate(); try? FileManager.default.removeItem(at: site.directory) } }
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Where screenshots are kept: `.build/browser-screenshots/` of the package (CI artifacts, not committed).
    static var screenshots: URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent(".build/browser-screenshots")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

extension URL {
    func creatingEmptyFile() -> URL {
        FileManager.default.createFile(atPath: path, contents: nil)
        return self
    }
}

/// Headless Chromium (Debian's `chromium`): the DOM after a page loaded, and screenshots.
enum Browser {
    static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "headless Chromium is needed (Debian's chromium: scripts/install-deps.sh --test installs it)" }
    }

    static func run(_ arguments: [String]) throws -> String {
        guard let executable else { throw Missing() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        p.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                       "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000"] + arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-chromium-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    }

    /// The serialized DOM of `url` once loaded.
    static func dom(_ url: String) throws -> String { try run(["--dump-dom", url]) }

    /// A screenshot of `url` into `file` (PNG), `width` × `height` CSS pixels.
    static func screenshot(_ url: String, to file: URL, width: Int = 1200, height: Int = 1600) throws {
        try? FileManager.default.removeItem(at: file)
        _ = try run(["--window-size=\(width),\(height)", "--screenshot=\(file.path)", url])
    }
}
