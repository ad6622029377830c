@testable import ExperimentStore
import Foundation
import GRDB
import Testing
@testable import Sweep

/// The worker in this process: runs given back at chosen iteration boundaries resume from their
/// checkpoints to the same numbers; diverged runs fail with their last good step; a full store
/// gives the run back intact.
@Suite struct ResumeTests {
    /// 2 methods × 2 seeds, 16 iterations of 2 actors × 32 steps each.
    static let sweep = """
        name: resume
        seeds: 2
        defaults: {horizon: 32, epochs: 2, minibatch_size: 32, actors: 2}
        envs:
          Pendulum: {steps: 1024}
        methods:
          PPO: {clip: 0.2}
          MCPO: {N: 3}

        """

    /// config_hash key step bits, for every metric row of the store.
    static func dump(_ store: Store) throws -> [String] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.config_hash, m.key, m.step, m.value FROM metrics m JOIN runs r ON r.id = m.run_id ORDER BY 1, 2, 3
                """).map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int) \(($0[3] as Double).bitPattern)" }
        }
    }

    func options(limit: Int?) -> Worker.Options {
        var o = Worker.Options()
        o.iterationLimit = limit
        o.checkpointSeconds = 0.001
        return o
    }

    @Test func runsGivenBackAtAnyBoundaryResumeToTheSameNumbers() throws {
        let scratch = try Scratch()
        let file = scratch.write("resume.yaml", Self.sweep)
        let reference = try SweepLaunch.prepare(file: file, dbPath: scratch.path("ref.sqlite"))
        for run in try reference.store.runs() {
            #expect(Worker.execute(dbPath: scratch.path("ref.sqlite"), runID: run.id, stop: StopSignal(), options: options(limit: nil)) { _ in } == .done)
        }
        let sliced = try SweepLaunch.prepare(file: file, dbPath: scratch.path("sliced.sqlite"))
        var generator = SystemRandomNumberGenerator()
        for run in try sliced.store.runs() {
            var attempts = 0
            while try sliced.store.run(id: run.id)?.status == .pending {
                attempts += 1
                let limit = Int.random(in: 1...5, using: &generator)
                let exit = Worker.execute(dbPath: scratch.path("sliced.sqlite"), runID: run.id, stop: StopSignal(),
                                          options: options(limit: limit)) { Issue.record("\($0)") }
                #expect(exit == .released || exit == .done)
                #expect(attempts < 20)
            }
            let done = try #require(try sliced.store.run(id: run.id))
            #expect(done.status == .done && done.attempts == attempts && done.attempts > 2)
            #expect(try sliced.store.events(runID: run.id).filter { $0.kind == .resumed }.count == attempts - 1)
        }
        #expect(try sliced.store.checkpointInfos().isEmpty)
        let expected = try Self.dump(reference.sqlite)
        #expect(expected.count > 100)
        #expect(try Self.dump(sliced.sqlite) == expected)
    }

    @Test func aDamagedCheckpointRestartsTheRunFromScratch() throws {
        let scratch = try Scratch()
        let file = scratch.write("resume.yaml", Self.sweep)
        let prepared = try SweepLaunch.prepare(file: file, dbPath: scratch.path("s.sqlite"))
        let id = try #require(try prepared.store.runs().first?.id)
        #expect(Worker.execute(dbPath: scratch.path("s.sqlite"), runID: id, stop: StopSignal(), options: options(limit: 3)) { _ in } == .released)
        // Damage one byte of it (as its holder: the SQL lets only a running run's checkpoint change).
        let hand = WorkerID(host: "test", pid: 1)
        _ = try prepared.store.claimRun(id: id, worker: hand, leaseSeconds: 5)
        try prepared.sqlite.pool.write { db in
            try db.execute(sql: "UPDATE checkpoints SET state = substr(state, 1, 100) || x'00' || substr(state, 102)")
        }
        try prepared.store.releaseRun(id: id, worker: hand)
        var messages: [String] = []
        #expect(Worker.execute(dbPath: scratch.path("s.sqlite"), runID: id, stop: StopSignal(), options: options(limit: nil)) { messages.append($0) } == .done)
        #expect(messages.count == 1 && messages[0].contains("checkpoint discarded"))
        let kinds = try prepared.store.events(runID: id).map(\.kind)
        #expect(kinds.contains(.checkpointDiscarded) && !kinds.contains(.resumed))
        // The numbers are those of an uninterrupted run.
        let reference = try SweepLaunch.prepare(file: file, dbPath: scratch.path("ref.sqlite"))
        #expect(Worker.execute(dbPath: scratch.path("ref.sqlite"), runID: id, stop: StopSignal()) { _ in } == .done)
        #expect(try prepared.store.metrics(runID: id) == reference.store.metrics(runID: id))
    }

    @Test func aDivergedRunFailsWithItsLastGoodStepAndTheOthersGoOn() throws {
        let scratch = try Scratch()
        let file = scratch.write("diverge.yaml", """
            name: diverge
            seeds: 1
            defaults: {horizon: 32, epochs: 2, minibatch_size: 32, actors: 2}
            envs:
              Pendulum: {steps: 1024}
            methods:
              PPO: {clip: 0.2}
              KLFixed: {beta: 0.1}

            """)
        let prepared = try SweepLaunch.prepare(file: file, dbPath: scratch.path("s.sqlite"))
        let runs = try prepared.store.runs()
        // An absurd learning rate for the first run, written behind the parser's back.
        try prepared.sqlite.pool.write { db in
            try db.execute(sql: "UPDATE runs SET config_json = replace(config_json, '\"lr\":0.0003', '\"lr\":1e+30') WHERE id = ?",
                           arguments: [runs[0].id])
        }
        var messages: [String] = []
        let exits = runs.map { run in
            Worker.execute(dbPath: scratch.path("s.sqlite"), runID: run.id, stop: StopSignal(), options: options(limit: nil)) { messages.append($0) }
        }
        #expect(exits == [.failed, .done])
        let failed = try #require(try prepared.store.run(id: runs[0].id))
        #expect(failed.status == .failed)
        #expect(failed.error?.contains("diverged") == true && failed.error?.contains("last good step \(failed.lastGoodStep ?? -1)") == true,
                "\(failed.error ?? "")")
        let good = try #require(failed.lastGoodStep)
        #expect(failed.stepsDone == good)
        #expect(try prepared.store.metrics(runID: failed.id).allSatisfy { $0.step <= good && $0.value.isFinite })
        #expect(try prepared.store.checkpointInfos().isEmpty)
        #expect(messages.count == 1)
        // retry re-queues it from scratch.
        try prepared.store.retry(runID: failed.id)
        #expect(try prepared.store.run(id: failed.id)?.status == .pending)
        #expect(try prepared.store.metrics(runID: failed.id).isEmpty)
    }

    /// The store capped as on a full disk: a run's first checkpoint does not fit, so the run is
    /// given back to be retried later; nothing is half-written (another run's checkpoint and
    /// metrics are intact); with room again it finishes with the numbers of an uninterrupted run.
    @Test func aFullStoreGivesTheRunBackIntact() throws {
        let scratch = try Scratch()
        let file = scratch.write("resume.yaml", Self.sweep)
        let prepared = try SweepLaunch.prepare(file: file, dbPath: scratch.path("s.sqlite"))
        let mcpo = try prepared.store.runs().filter { $0.method == "MCPO" }
        #expect(mcpo.count == 2)
        #expect(Worker.execute(dbPath: scratch.path("s.sqlite"), runID: mcpo[0].id, stop: StopSignal(), options: options(limit: 2)) { _ in } == .released)
        let before = try #require(try prepared.store.checkpoint(runID: mcpo[0].id))
        let metricsBefore = try prepared.store.metrics(runID: mcpo[0].id)
        // Room for the claim and the release, not for a checkpoint (about 60 pages of MCPO state;
        // VACUUM first, so that no free page of the replaced checkpoints is left to reuse).
        try prepared.sqlite.pool.writeWithoutTransaction { try $0.execute(sql: "VACUUM") }
        let pages = try prepared.sqlite.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_count")! }
        var full = options(limit: nil)
        full.storeMaxPageCount = pages + 4
        var messages: [String] = []
        #expect(Worker.execute(dbPath: scratch.path("s.sqlite"), runID: mcpo[1].id, stop: StopSignal(), options: full) { messages.append($0) } == .storeUnavailable)
        #expect(messages.contains { $0.contains("store unavailable") }, "\(messages)")
        let after = try #require(try prepared.store.run(id: mcpo[1].id))
        #expect(after.status == .pending && after.notBefore != nil && after.stepsDone == 0)
        #expect(try prepared.store.metrics(runID: mcpo[1].id).isEmpty)
        #expect(try prepared.store.checkpoint(runID: mcpo[1].id) == nil)
        #expect(try prepared.store.checkpoint(runID: mcpo[0].id) == before)
        #expect(try prepared.store.metrics(runID: mcpo[0].id) == metricsBefore)
        #expect(try prepared.sqlite.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        // Not claimed again before its back-off...
        #expect(try prepared.store.claimNextRun(sweepID: prepared.insertion.sweepID, worker: WorkerID(host: "h", pid: 1), leaseSeconds: 5)?.id != mcpo[1].id)
        // ...and with room again it finishes, to the numbers of an uninterrupted run.
        #expect(Worker.execute(dbPath: scratch.path("s.sqlite"), runID: mcpo[1].id, stop: StopSignal(), options: options(limit: nil)) { _ in } == .done)
        let reference = try SweepLaunch.prepare(file: file, dbPath: scratch.path("ref.sqlite"))
        #expect(Worker.execute(dbPath: scratch.path("ref.sqlite"), runID: mcpo[1].id, stop: StopSignal()) { _ in } == .done)
        #expect(try prepared.store.metrics(runID: mcpo[1].id) == reference.store.metrics(runID: mcpo[1].id))
    }
}
