@testable import ExperimentStore
import Foundation
import Testing
@testable import Sweep

/// Issue 11, defect 3: a worker that cannot start is the scheduler's environment, not the run's
/// fault. The runs stay pending while the scheduler backs off; it stops with one line (exit 4)
/// only if that lasts.
@Suite(.serialized) struct TransientEnvironmentTests {
    /// A private copy of mcpo-sweep, so that the test can take it away.
    static func copyOfTheTool(in scratch: Scratch) throws -> String {
        let binary = try #require(Tool.binary)
        let copy = scratch.path("ms")
        try FileManager.default.copyItem(atPath: binary, toPath: copy)
        return copy
    }

    @Test(.timeLimit(.minutes(2))) func anExecutableMissingForAWhileFailsNoRun() throws {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep.replacingOccurrences(of: "seeds: 2", with: "seeds: 8"))
        let tool = try Self.copyOfTheTool(in: scratch)
        // The scheduler runs from its inode; the workers it spawns need the path (as during a
        // rebuild). Taken away once the sweep is stored: 16 runs of a fraction of a second each.
        let scheduler = try Tool.start(["run", "tiny.yaml", "--workers", "2"], in: scratch.url, log: "s", executable: tool)
        #expect(Tool.wait(timeout: 30) { FileManager.default.fileExists(atPath: scratch.path("mcpo.sqlite")) })
        try FileManager.default.moveItem(atPath: tool, toPath: tool + ".away")
        Thread.sleep(forTimeInterval: 2)
        try FileManager.default.moveItem(atPath: tool + ".away", toPath: tool)
        scheduler.waitUntilExit()
        let log = (try? String(contentsOf: scratch.url.appendingPathComponent("s.err"), encoding: .utf8)) ?? ""
        #expect(scheduler.terminationStatus == 0, "\(log)")
        #expect(log.contains("cannot start a worker (\(tool)): No such file or directory; runs stay pending"), "\(log)")
        let runs = try Store.openReadOnly(path: scratch.path("mcpo.sqlite")).runs()
        #expect(runs.count == 16 && runs.allSatisfy { $0.status == .done }, "\(runs.map { "\($0.status) \($0.error ?? "")" })")
    }

    @Test(.timeLimit(.minutes(2))) func anExecutableThatStaysMissingStopsWithOneLineAndPendingRuns() throws {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep)
        let tool = try Self.copyOfTheTool(in: scratch)
        let scheduler = try Tool.start(["run", "tiny.yaml", "--workers", "2", "--give-up-seconds", "2"], in: scratch.url,
                                       log: "s", executable: tool)
        try FileManager.default.removeItem(atPath: tool)
        scheduler.waitUntilExit()
        let log = (try? String(contentsOf: scratch.url.appendingPathComponent("s.err"), encoding: .utf8)) ?? ""
        #expect(scheduler.terminationStatus == 4, "\(log)")
        let lines = log.split(separator: "\n").filter { !$0.contains("\r") && !$0.hasPrefix("[tiny] runs") }
        #expect(lines.last?.hasPrefix("mcpo-sweep: error: sweep 'tiny': stopped: cannot start a worker") == true, "\(log)")
        let runs = try Store.openReadOnly(path: scratch.path("mcpo.sqlite")).runs()
        #expect(runs.count == 4 && runs.allSatisfy { $0.status == .pending }, "\(runs.map { "\($0.status) \($0.error ?? "")" })")
    }

    /// Too few file descriptors: refused up front with one line, nothing stored.
    @Test func aLowFileLimitIsOneLineBeforeAnythingIsStored() throws {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep)
        let binary = try #require(Tool.binary)
        let result = try Tool.run(["-c", "ulimit -n 128 && exec \"$0\" run tiny.yaml --workers 2", binary], in: scratch.url,
                                  executable: "/bin/sh")
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr == "mcpo-sweep: error: cannot start workers: only 128 open files allowed (ulimit -n), 256 needed; raise the limit\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("mcpo.sqlite")))
    }
}
