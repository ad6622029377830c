@testable import ExperimentStore
import Foundation
import GRDB
import Testing
@testable import Sweep

/// The worker in this process, on tiny budgets: trains a stored run into the store.
@Suite struct WorkerTests {
    func metricsDump(_ store: Store) throws -> [String] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.config_hash, m.key, m.step, m.value FROM metrics m JOIN runs r ON r.id = m.run_id ORDER BY 1, 2, 3
                """).map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int) \(($0[3] as Double).bitPattern)" }
        }
    }

    @Test func workersExecuteEveryRunAndResultsAreReproducible() throws {
        let scratch = try Scratch()
        let file = scratch.write("tiny.yaml", tinySweep)
        var dumps: [[String]] = []
        for name in ["a.sqlite", "b.sqlite"] {
            let prepared = try SweepLaunch.prepare(file: file, dbPath: scratch.path(name))
            for run in try prepared.store.runs() {
                let exit = Worker.execute(dbPath: scratch.path(name), runID: run.id, stop: StopSignal()) { Issue.record("\($0)") }
                #expect(exit == .done)
            }
            let runs = try prepared.store.runs()
            #expect(runs.allSatisfy { $0.status == .done && $0.attempts == 1 && $0.stepsDone >= 512 && $0.wallSeconds != nil })
            #expect(runs.allSatisfy { $0.worker == WorkerID.current.description })
            dumps.append(try metricsDump(prepared.sqlite))
            // Done runs are not executed again.
            #expect(Worker.execute(dbPath: scratch.path(name), runID: runs[0].id, stop: StopSignal()) { _ in } == .notClaimable)
        }
        #expect(!dumps[0].isEmpty)
        #expect(dumps[0].contains { $0.contains(" score ") })
        #expect(dumps[0] == dumps[1])
    }

    @Test func aStopRequestGivesTheRunBack() throws {
        let scratch = try Scratch()
        let prepared = try SweepLaunch.prepare(file: scratch.write("tiny.yaml", tinySweep), dbPath: scratch.path("s.sqlite"))
        let stop = StopSignal()
        stop.request(SIGTERM)
        let id = try #require(try prepared.store.runs().first?.id)
        #expect(Worker.execute(dbPath: scratch.path("s.sqlite"), runID: id, stop: stop) { _ in } == .released)
        let run = try #require(try prepared.store.run(id: id))
        #expect(run.status == .pending && run.attempts == 1 && run.worker == nil)
    }

    @Test func aRunHeldByAnotherProcessIsNotTaken() throws {
        let scratch = try Scratch()
        let prepared = try SweepLaunch.prepare(file: scratch.write("tiny.yaml", tinySweep), dbPath: scratch.path("s.sqlite"))
        let held = try #require(try prepared.store.claimNextRun(worker: WorkerID(host: "elsewhere", pid: 1), leaseSeconds: 60))
        var messages: [String] = []
        #expect(Worker.execute(dbPath: scratch.path("s.sqlite"), runID: held.id, stop: StopSignal()) { messages.append($0) } == .notClaimable)
        #expect(try prepared.store.run(id: held.id)?.worker == "elsewhere:1")
        // The message names the holder, not this process's parent (issue 11, defect 8).
        #expect(messages == ["run \(held.id) is running, held by elsewhere:1; nothing to do"])
        #expect(Worker.execute(dbPath: scratch.path("none.sqlite"), runID: 1, stop: StopSignal()) { _ in } == .usage)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("none.sqlite")))
    }

    @Test func aTrainerErrorMarksTheRunFailed() throws {
        let scratch = try Scratch()
        let prepared = try SweepLaunch.prepare(file: scratch.write("tiny.yaml", tinySweep), dbPath: scratch.path("s.sqlite"))
        let id = try #require(try prepared.store.runs().first?.id)
        // A config the trainer refuses (written behind the parser's back).
        try prepared.sqlite.pool.write { db in
            try db.execute(sql: "UPDATE runs SET config_json = replace(config_json, '\"env\":\"Pendulum\"', '\"env\":\"Nowhere\"') WHERE id = ?",
                           arguments: [id])
        }
        var messages: [String] = []
        #expect(Worker.execute(dbPath: scratch.path("s.sqlite"), runID: id, stop: StopSignal()) { messages.append($0) } == .failed)
        let run = try #require(try prepared.store.run(id: id))
        #expect(run.status == .failed)
        #expect(run.error?.contains("Nowhere") == true)
        #expect(messages.count == 1)
    }
}
