@testable import ExperimentStore
import Foundation
import Testing
import Trainer
@testable import Sweep

/// Issue 11, defect 2: killing the scheduler (with its worker) is the user stopping the sweep,
/// not the run stalling. Two such kills and then one of the worker alone, all before any
/// checkpoint, used to fail the run for good ("killed by signal 9 in 3 attempts in a row"); now
/// running the command again finishes it, with the metrics of an uninterrupted run.
@Suite(.serialized) struct StallTests {
    static let sweep = """
        name: one
        seeds: 1
        defaults: {horizon: 64, epochs: 2, minibatch_size: 64, actors: 2}
        envs:
          Pendulum: {steps: 60000}
        methods:
          MCPO: {N: 5}

        """

    @Test(.timeLimit(.minutes(3))) func schedulerKillsAreNotStalls() throws {
        let scratch = try Scratch()
        scratch.write("one.yaml", Self.sweep)
        // No checkpoint before the kills: every attempt dies before its first.
        let arguments = ["run", "one.yaml", "--workers", "1", "--checkpoint-seconds", "1000"]
        for round in 0..<3 {
            let scheduler = try Tool.start(arguments, in: scratch.url, log: "s\(round)")
            var workers: [Int32] = []
            #expect(Tool.wait(timeout: 30) {
                workers = Tool.children(of: scheduler.processIdentifier)
                return !workers.isEmpty
            })
            Thread.sleep(forTimeInterval: 0.3)
            for worker in workers { kill(worker, SIGKILL) }
            if round < 2 {
                kill(scheduler.processIdentifier, SIGKILL)  // the scheduler and its worker together
            } else {
                // The worker alone: the live scheduler sees it die, counts one stall and puts the
                // run back; stop the scheduler then (SIGINT, as Ctrl-C).
                let db = scratch.path("mcpo.sqlite")
                #expect(Tool.wait(timeout: 30) { (try? Store.openReadOnly(path: db).run(id: 1)?.stalls) == 1 })
                kill(scheduler.processIdentifier, SIGINT)
            }
            scheduler.waitUntilExit()
        }
        let store = try Store.openReadOnly(path: scratch.path("mcpo.sqlite"))
        let before = try #require(try store.run(id: 1))
        #expect(before.status != .failed, "\(before.error ?? "")")
        #expect((before.stalls ?? 0) <= 1 && before.attempts >= 3, "stalls \(before.stalls ?? -1), attempts \(before.attempts)")
        let finish = try Tool.run(["run", "one.yaml"], in: scratch.url)
        #expect(finish.status == 0, "\(finish.stderr)")
        let run = try #require(try store.run(id: 1))
        #expect(run.status == .done)
        let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(run.configJSON.utf8))
        let sink = MemoryMetricSink()
        try Trainer(config: config).train(sink: sink)
        let expected = sink.rows.flatMap { row in row.metrics.map { "\($0.key) \(row.step) \($0.value.bitPattern)" } }.sorted()
        #expect(try store.metrics(runID: 1).map { "\($0.key) \($0.step) \($0.value.bitPattern)" }.sorted() == expected)
    }
}

/// Issue 11, defect 9: a second scheduler whose wall clock is two hours ahead (every lease looks
/// expired to it) takes no run from the live workers of the first; the sweep ends with every run
/// done once, no reclaim, and the metrics of uninterrupted runs.
@Suite(.serialized) struct ClockJumpTests {
    @Test(.timeLimit(.minutes(3))) func aSchedulerTwoHoursAheadTakesNoRunFromLiveWorkers() throws {
        let scratch = try Scratch()
        scratch.write("s.yaml", StallTests.sweep.replacingOccurrences(of: "seeds: 1", with: "seeds: 2"))
        let first = try Tool.start(["run", "s.yaml", "--workers", "2"], in: scratch.url, log: "first")
        let db = scratch.path("mcpo.sqlite")
        #expect(Tool.wait(timeout: 30) { (try? Store.openReadOnly(path: db).statusCounts().running) == 2 })
        let ahead = try Tool.start(["run", "s.yaml", "--workers", "2"], in: scratch.url, log: "ahead",
                                   environment: ["MCPO_FAULT_CLOCK_OFFSET_SECONDS": "7200"])
        first.waitUntilExit()
        ahead.waitUntilExit()
        #expect(first.terminationStatus == 0 && ahead.terminationStatus == 0)
        let store = try Store.openReadOnly(path: db)
        let runs = try store.runs()
        #expect(runs.count == 2 && runs.allSatisfy { $0.status == .done && $0.attempts == 1 }, "\(runs.map { "\($0.status) \($0.attempts)" })")
        #expect(try runs.allSatisfy { try !store.events(runID: $0.id).contains { $0.kind == .reclaimed } })
        for run in runs {
            let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(run.configJSON.utf8))
            let sink = MemoryMetricSink()
            try Trainer(config: config).train(sink: sink)
            let expected = sink.rows.flatMap { row in row.metrics.map { "\($0.key) \(row.step) \($0.value.bitPattern)" } }.sorted()
            #expect(try store.metrics(runID: run.id).map { "\($0.key) \($0.step) \($0.value.bitPattern)" }.sorted() == expected)
        }
    }
}
