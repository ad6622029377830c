import ExperimentStore
import Foundation
import Testing
@testable import Sweep

/// A run is bit-identical only on one BLAS kernel. Resumed by a worker process under another
/// kernel (forced with OPENBLAS_CORETYPE), it finishes, both attempts record their kernel, and
/// one `platform_changed` event (and one warning line) names both kernels.
@Suite struct PlatformChangeTests {
    /// A kernel other than this process's that every x86-64 CPU runs.
    static var otherKernel: String { Worker.platform.blasKernel == "Prescott" ? "Core2" : "Prescott" }

    @Test func aRunResumedUnderAnotherKernelFinishesWithOneEventNamingBoth() throws {
        let scratch = try Scratch()
        let file = scratch.write("resume.yaml", ResumeTests.sweep)   // its first run: PPO, 16 iterations of 64 steps
        let db = scratch.path("s.sqlite")
        let prepared = try SweepLaunch.prepare(file: file, dbPath: db)
        let id = try #require(try prepared.store.runs().first?.id)
        var options = Worker.Options()
        options.iterationLimit = 6
        options.checkpointSeconds = 0.001
        #expect(Worker.execute(dbPath: db, runID: id, stop: StopSignal(), options: options) { Issue.record("\($0)") } == .released)
        let here = Worker.platform.blasKernel, other = Self.otherKernel
        #expect(try prepared.store.checkpoint(runID: id)?.platform == Worker.platform)

        let second = try Tool.run(["worker", "--db", db, "--run", String(id)], in: scratch.url,
                                  environment: ["OPENBLAS_CORETYPE": other])
        #expect(second.status == 0, "\(second.stderr)")
        let run = try #require(try prepared.store.run(id: id))
        #expect(run.status == .done && run.stepsDone == run.steps)
        #expect(try prepared.store.attempts(runID: id).map(\.blasKernel) == [here, other])
        let changes = try prepared.store.events(runID: id).filter { $0.kind == .platformChanged }
        #expect(changes.count == 1)
        #expect(changes.first?.message.contains("BLAS kernel \(here) → \(other)") == true, "\(changes)")
        #expect(changes.map(\.step) == [6 * 64], "\(changes)")
        let warnings = second.stderr.split(separator: "\n").filter { $0.contains("warning:") }
        #expect(warnings.count == 1 && warnings.first?.contains("\(here) → \(other)") == true, "\(second.stderr)")
    }
}
