import Foundation

/// `mcpo-sweep` processes for the tests that drive the executable.
enum Tool {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: Int { stderr.filter { $0 == "\n" }.count }
    }

    static var binary: String? { CommandLineTests.binary }

    struct MissingBinary: Error, CustomStringConvertible {
        var description: String { "mcpo-sweep was not found next to the test bundle (swift test builds it)" }
    }

    /// Starts `mcpo-sweep ARGUMENTS` (or `executable ARGUMENTS`) in `dir`, its output to files
    /// (no pipe to fill up), with `environment` added to this process's.
    static func start(_ arguments: [String], in dir: URL, log: String? = nil, environment: [String: String] = [:],
                      executable: String? = nil) throws -> Process {
        // A missing binary fails the test (it is not skipped): `swift test` builds it next to the tests.
        guard let binary = executable ?? binary else { throw MissingBinary() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let name = log ?? "log-\(UUID().uuidString)"
        let err = dir.appendingPathComponent(name + ".err"), out = dir.appendingPathComponent(name + ".out")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardOutput = try FileHandle(forWritingTo: out)
        try process.run()
        return process
    }

    /// Runs `mcpo-sweep ARGUMENTS` in `dir` to its end.
    static func run(_ arguments: [String], in dir: URL, environment: [String: String] = [:],
                    executable: String? = nil) throws -> Result {
        let name = "log-\(UUID().uuidString)"
        let process = try start(arguments, in: dir, log: name, environment: environment, executable: executable)
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: dir.appendingPathComponent(name + ".out"), encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: dir.appendingPathComponent(name + ".err"), encoding: .utf8)) ?? "")
    }

    /// Starts `mcpo-sweep ARGUMENTS` twice at once in `dir` and waits for both: their exit
    /// statuses and standard errors.
    static func runTwice(_ arguments: [String], in dir: URL) throws -> (statuses: [Int32], logs: [String]) {
        let processes = try ["a", "b"].map { try start(arguments, in: dir, log: $0) }
        for process in processes { process.waitUntilExit() }
        let logs = ["a", "b"].map { (try? String(contentsOf: dir.appendingPathComponent("\($0).err"), encoding: .utf8)) ?? "" }
        return (processes.map(\.terminationStatus), logs)
    }

    /// The pids whose parent is `pid` (from /proc).
    static func children(of pid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { name -> Int32? in
            guard let child = Int32(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", Int32(fields[1]) == pid else { return nil }
            return child
        }
    }

    /// Waits until `condition` holds (polling), up to `timeout` seconds; returns whether it did.
    @discardableResult
    static func wait(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }
}
