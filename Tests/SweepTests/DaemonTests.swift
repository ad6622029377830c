@testable import ExperimentStore
import Foundation
import GRDB
import Testing
@testable import Sweep

/// `daemon`, `submit`, `cancel`, `retry`, `logs`, `list`, and two schedulers on one store.
@Suite(.serialized) struct DaemonTests {
    static let long = """
        name: long
        seeds: 2
        defaults: {horizon: 128, epochs: 1, minibatch_size: 64, actors: 2}
        envs: {Pendulum: {steps: 100000000}}
        methods: {PPO: {clip: 0.2}}

        """

    /// Pendulum runs finish; LunarLander runs diverge (an absurd learning rate).
    static let mixed = """
        name: mixed
        seeds: 1
        defaults: {horizon: 32, epochs: 2, minibatch_size: 32, actors: 2}
        envs:
          Pendulum: {steps: 2048}
          LunarLander: {steps: 2048, lr: 1.0e+30}
        methods: {PPO: {clip: 0.2}}

        """

    @Test(.timeLimit(.minutes(3)))
    func theDaemonExecutesSubmittedSweepsObeysCancelAndStopsOnSigterm() throws {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep)
        scratch.write("long.yaml", Self.long)
        scratch.write("mixed.yaml", Self.mixed)
        let daemon = try Tool.start(["daemon", "--db", "d.sqlite", "--workers", "2", "--checkpoint-seconds", "0.2"],
                                    in: scratch.url, log: "daemon")
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        let db = scratch.path("d.sqlite")
        #expect(try Tool.wait(timeout: 30) { (try? Store.openExisting(path: db).liveSchedulers().count) == 1 })
        let store = try Store.openExisting(path: db)

        // submit: stored, and the daemon (announced in the store) picks it up.
        let submitted = try Tool.run(["submit", "tiny.yaml", "--db", "d.sqlite"], in: scratch.url)
        #expect(submitted.status == 0)
        #expect(submitted.stderr.contains("sweep 'tiny': 4 runs stored in d.sqlite"))
        #expect(submitted.stderr.contains("queued for daemon"), "\(submitted.stderr)")
        #expect(try Tool.wait(timeout: 60) { try store.statusCounts().done == 4 })

        // A diverging run fails with its reason; the sweep goes on; retry re-queues it.
        #expect(try Tool.run(["submit", "mixed.yaml", "--db", "d.sqlite"], in: scratch.url).status == 0)
        let mixed = try #require(try store.sweep(named: "mixed"))
        #expect(try Tool.wait(timeout: 60) { try store.statusCounts(sweepID: mixed.id).isSettled })
        let failed = try store.runs(sweepID: mixed.id, status: .failed)
        #expect(failed.count == 1 && failed[0].env == "LunarLander")
        #expect(failed.first?.error?.contains("diverged") == true, "\(failed.first?.error ?? "")")
        #expect(try store.runs(sweepID: mixed.id, status: .done).count == 1)
        let id = try #require(failed.first?.id)
        let list = try Tool.run(["list", "--db", "d.sqlite", "--status", "failed"], in: scratch.url)
        #expect(list.status == 0 && list.stdout.contains("diverged"))
        let retry = try Tool.run(["retry", "--failed", "--db", "d.sqlite"], in: scratch.url)
        #expect(retry.status == 0 && retry.stdout.contains("1 failed run(s) pending again: \(id)"), "\(retry.stdout)")
        #expect(try Tool.wait(timeout: 60) { try store.run(id: id)?.attempts == 2 && store.run(id: id)?.status == .failed })
        let logs = try Tool.run(["logs", String(id), "--db", "d.sqlite"], in: scratch.url)
        #expect(logs.status == 0)
        let kinds = logs.stdout.split(separator: "\n").compactMap { line in RunEvent.Kind.allCases.first { line.contains("  \($0.rawValue) ") } }
        #expect(kinds == [.claimed, .failed, .retried, .claimed, .failed], "\(logs.stdout)")
        #expect(logs.stdout.contains("last good step"))

        // cancel: the running runs checkpoint and go back to pending; nothing more is claimed.
        #expect(try Tool.run(["submit", "long.yaml", "--db", "d.sqlite"], in: scratch.url).status == 0)
        let long = try #require(try store.sweep(named: "long"))
        #expect(try Tool.wait(timeout: 30) { try store.runs(sweepID: long.id, status: .running).count == 2 && store.checkpointInfos().count == 2 })
        let cancel = try Tool.run(["cancel", "long", "--db", "d.sqlite"], in: scratch.url)
        #expect(cancel.status == 0 && cancel.stdout.contains("sweep 'long' cancelled"), "\(cancel.stdout)")
        #expect(try Tool.wait(timeout: 15) { try store.runs(sweepID: long.id, status: .pending).count == 2 })
        let stopped = try store.runs(sweepID: long.id)
        #expect(stopped.allSatisfy { $0.stepsDone > 0 && $0.worker == nil })
        #expect(try store.checkpointInfos().count == 2)
        let status = try Tool.run(["status", "--db", "d.sqlite"], in: scratch.url)
        #expect(status.stdout.contains("(cancelled)") && status.stdout.contains("executing: daemon"), "\(status.stdout)")
        Thread.sleep(forTimeInterval: 1)
        #expect(try store.runs(sweepID: long.id, status: .running).isEmpty)

        // Resubmitting resumes it from the checkpoints; SIGTERM stops the daemon within 5 s.
        let resubmitted = try Tool.run(["submit", "long.yaml", "--db", "d.sqlite"], in: scratch.url)
        #expect(resubmitted.stderr.contains("was cancelled; storing it again resumed it"))
        #expect(try Tool.wait(timeout: 30) {
            try store.runs(sweepID: long.id).allSatisfy { $0.status == .running && $0.attempts == 2 }
        })
        #expect(try Tool.wait(timeout: 30) { try store.events(runID: stopped[0].id).contains { $0.kind == .resumed } })
        let stoppedAt = Date()
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(Date().timeIntervalSince(stoppedAt) < 5)
        #expect(daemon.terminationStatus == 128 + SIGTERM)
        #expect(try store.runs(sweepID: long.id).allSatisfy { $0.status == .pending && $0.worker == nil })
        #expect(try store.liveSchedulers().isEmpty)
    }

    /// Two `run`s of the same file on one new store, started together: each run is executed
    /// exactly once (claimed once, one attempt) and both exit 0.
    @Test(.timeLimit(.minutes(2)))
    func twoSchedulersShareASweepAndExecuteEachRunOnce() throws {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep.replacingOccurrences(of: "seeds: 2", with: "seeds: 5"))
        let (statuses, logs) = try Tool.runTwice(["run", "tiny.yaml", "--workers", "2"], in: scratch.url)
        #expect(statuses == [0, 0], "\(logs)")
        let store = try Store.openExisting(path: scratch.path("mcpo.sqlite"))
        let runs = try store.runs()
        #expect(runs.count == 10 && runs.allSatisfy { $0.status == .done && $0.attempts == 1 })
        let claimedTwice = try store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT run_id FROM run_events WHERE kind = 'claimed' GROUP BY run_id HAVING COUNT(*) <> 1)")!
        }
        #expect(claimedTwice == 0)
        #expect(try store.sweeps().count == 1)
    }
}
