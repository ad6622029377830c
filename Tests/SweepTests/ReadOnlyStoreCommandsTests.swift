import Foundation
@testable import ExperimentStore
import Testing
@testable import Sweep

/// The reading commands (`status`, `list`, `logs`, `mcpo-report table1`) use the store's
/// read-only handle: they work on a store whose file and directory are not writable, and leave
/// its bytes unchanged and no companion file behind. As root (for whom permission bits do not
/// apply) they run as the user nobody.
@Suite struct ReadOnlyStoreCommandsTests {
    @Test func readingCommandsWorkOnAStoreInAReadOnlyDirectory() throws {
        let scratch = try Scratch()
        let file = scratch.write("ro.yaml", ResumeTests.sweep)
        let folder = scratch.url.appendingPathComponent("store")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = folder.appendingPathComponent("s.sqlite").path
        let made = try Tool.run(["run", file, "--db", db, "--workers", "1"], in: scratch.url)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["s.sqlite"])
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        for path in [db, folder.path] {
            try FileManager.default.setAttributes([.posixPermissions: path == db ? 0o444 : 0o555], ofItemAtPath: path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.url.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }

        let sweepTool = try #require(Tool.binary)
        let report = URL(fileURLWithPath: sweepTool).deletingLastPathComponent().appendingPathComponent("mcpo-report").path
        let commands: [(String, [String], String)] = [
            (sweepTool, ["status", "--db", db], "resume"), (sweepTool, ["list", "--db", db], "PPO clip=0.2 Pendulum seed 0"),
            (sweepTool, ["logs", "1", "--db", db], "done"), (sweepTool, ["show", "1", "--db", db], "config (every setting"), (report, ["table1", "--db", db, "--format", "csv"], "PPO"),
        ]
        for (tool, arguments, expected) in commands {
            let result = try Self.runUnprivileged(tool, arguments, in: scratch.url)
            #expect(result.status == 0 && result.stdout.contains(expected),
                    "\(URL(fileURLWithPath: tool).lastPathComponent) \(arguments.joined(separator: " ")): exit \(result.status): \(result.stderr)")
        }
        // The writing commands say in one line that the store cannot be written, exit 5 (issue 11, defect 6).
        for arguments in [["run", file, "--db", db], ["submit", file, "--db", db], ["daemon", "--db", db],
                          ["cancel", "resume", "--db", db]] {
            let result = try Self.runUnprivileged(sweepTool, arguments, in: scratch.url)
            #expect(result.status == 5 && result.lines == 1
                        && result.stderr.hasPrefix("mcpo-sweep: error: \(db): the store cannot be written here (Permission denied)"),
                    "\(arguments.joined(separator: " ")): exit \(result.status): \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["s.sqlite"])
    }

    /// Whether this process may bind-mount (root with CAP_SYS_ADMIN); the read-only-mount test
    /// needs it and is reported as skipped (not passed) without it.
    static let canMount: Bool = {
        guard getuid() == 0, let scratch = try? Scratch() else { return false }
        let target = scratch.path("probe")
        try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        guard let probe = try? Tool.run(["--bind", scratch.url.path, target], in: scratch.url, executable: "/bin/mount"),
              probe.status == 0 else { return false }
        _ = try? Tool.run([target], in: scratch.url, executable: "/bin/umount")
        return true
    }()

    /// A store on a read-only file system: readers work, writers exit 5 with one line.
    @Test(.enabled(if: canMount)) func aStoreOnAReadOnlyMount() throws {
        let scratch = try Scratch()
        let file = scratch.write("ro.yaml", ResumeTests.sweep)
        let source = scratch.url.appendingPathComponent("source"), mounted = scratch.url.appendingPathComponent("mounted")
        for dir in [source, mounted] { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
        let made = try Tool.run(["run", file, "--db", source.appendingPathComponent("s.sqlite").path, "--workers", "1"], in: scratch.url)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try Tool.run(["--bind", source.path, mounted.path], in: scratch.url, executable: "/bin/mount").status == 0)
        defer { _ = try? Tool.run([mounted.path], in: scratch.url, executable: "/bin/umount") }
        #expect(try Tool.run(["-o", "remount,ro,bind", mounted.path], in: scratch.url, executable: "/bin/mount").status == 0)
        let db = mounted.appendingPathComponent("s.sqlite").path
        let sweepTool = try #require(Tool.binary)
        let report = URL(fileURLWithPath: sweepTool).deletingLastPathComponent().appendingPathComponent("mcpo-report").path
        for (tool, arguments) in [(sweepTool, ["status", "--db", db]), (sweepTool, ["list", "--db", db]),
                                  (sweepTool, ["logs", "1", "--db", db]), (report, ["table1", "--db", db])] {
            let result = try Tool.run(arguments, in: scratch.url, executable: tool)
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): exit \(result.status): \(result.stderr)")
        }
        let run = try Tool.run(["run", file, "--db", db], in: scratch.url)
        #expect(run.status == 5 && run.stderr == "mcpo-sweep: error: \(db): the store cannot be written here (Read-only file system); status, list, logs and mcpo-report can read it\n")
    }

    /// Runs `tool arguments`, as nobody when this process is root (via util-linux's setpriv).
    static func runUnprivileged(_ tool: String, _ arguments: [String], in dir: URL) throws -> Tool.Result {
        guard getuid() == 0 else { return try Tool.run(arguments, in: dir, executable: tool) }
        return try Tool.run(["--reuid=nobody", "--regid=nogroup", "--clear-groups", tool] + arguments, in: dir,
                            executable: "/usr/bin/setpriv")
    }
}

/// Issue 11, defect 7: a sweep name with an escape sequence, stored by an older mcpo (the parser
/// now refuses it), is printed escaped by every reading command, never raw.
@Suite struct UnsafeStoredNameTests {
    @Test func storedEscapeSequencesArePrintedEscaped() throws {
        let scratch = try Scratch()
        let file = scratch.write("tiny.yaml", tinySweep)
        let db = scratch.path("s.sqlite")
        #expect(try Tool.run(["run", file, "--db", db, "--workers", "1"], in: scratch.url).status == 0)
        let store = try Store(path: db)
        try store.pool.write { try $0.execute(sql: "UPDATE sweeps SET name = ?", arguments: ["x\u{1B}[2Jy"]) }
        let sweepTool = try #require(Tool.binary)
        let report = URL(fileURLWithPath: sweepTool).deletingLastPathComponent().appendingPathComponent("mcpo-report").path
        for (tool, arguments) in [(sweepTool, ["status", "--db", db]), (sweepTool, ["list", "--db", db]),
                                  (sweepTool, ["logs", "1", "--db", db]), (report, ["table1", "--db", db]),
                                  (report, ["table1", "--db", db, "--format", "md"]), (report, ["table1", "--db", db, "--format", "latex"])] {
            let result = try Tool.run(arguments, in: scratch.url, executable: tool)
            let all = result.stdout + result.stderr
            #expect(result.status == 0 && !all.unicodeScalars.contains("\u{1B}") && all.contains("x\\u{001B}[2Jy"),
                    "\(arguments.joined(separator: " ")): \(all)")
        }
    }
}
