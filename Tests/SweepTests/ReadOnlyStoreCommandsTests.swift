import Foundation
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
            (sweepTool, ["logs", "1", "--db", db], "done"), (report, ["table1", "--db", db, "--format", "csv"], "PPO"),
        ]
        for (tool, arguments, expected) in commands {
            let result = try Self.runUnprivileged(tool, arguments, in: scratch.url)
            #expect(result.status == 0 && result.stdout.contains(expected),
                    "\(URL(fileURLWithPath: tool).lastPathComponent) \(arguments.joined(separator: " ")): exit \(result.status): \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["s.sqlite"])
    }

    /// Runs `tool arguments`, as nobody when this process is root (via util-linux's setpriv).
    static func runUnprivileged(_ tool: String, _ arguments: [String], in dir: URL) throws -> Tool.Result {
        guard getuid() == 0 else { return try Tool.run(arguments, in: dir, executable: tool) }
        return try Tool.run(["--reuid=nobody", "--regid=nogroup", "--clear-groups", tool] + arguments, in: dir,
                            executable: "/usr/bin/setpriv")
    }
}
