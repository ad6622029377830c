import ExperimentStore
import Foundation
import GRDB
import Testing

/// retry, cancel, extend and the scheduler registry.
@Suite struct ControlTests {
    @Test func retryRequeuesAFailedRunFromScratch() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 2)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.markFailed(runID: run.id, worker: Fixtures.worker, error: "diverged",
                               metrics: [MetricRow(step: 5, values: ["score": 1])], lastGoodStep: 5)
        #expect(throws: StoreError.runNotRetryable(id: run.id + 1, status: .pending)) { try t.store.retry(runID: run.id + 1) }
        #expect(throws: StoreError.noSuchRun(id: 99)) { try t.store.retry(runID: 99) }
        let retried = try t.store.retry(runID: run.id)
        #expect(retried.status == .pending && retried.error == nil && retried.lastGoodStep == nil && retried.stepsDone == 0)
        #expect(retried.attempts == 1)
        #expect(try t.store.metrics(runID: run.id).isEmpty)
        #expect(try t.store.events(runID: run.id).map(\.kind) == [.claimed, .failed, .retried])
        #expect(try t.store.retryFailed().isEmpty)
    }

    @Test func aCancelledSweepIsNotClaimedUntilResumed() throws {
        let t = try TemporaryStore()
        let a = try t.sweep("a", runs: 2)
        let b = try t.sweep("b", runs: 1)
        let held = try #require(try t.store.claimNextRun(sweepID: a, worker: Fixtures.worker, leaseSeconds: 10))
        #expect(try t.store.renewLease(runID: held.id, worker: Fixtures.worker, leaseSeconds: 10).sweepCancelled == false)
        try t.store.cancelSweep(id: a)
        #expect(try t.store.renewLease(runID: held.id, worker: Fixtures.worker, leaseSeconds: 10).sweepCancelled)
        #expect(try t.store.claimNextRun(sweepID: a, worker: Fixtures.worker, leaseSeconds: 10) == nil)
        #expect(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10)?.sweepID == b)
        #expect(try t.store.cancelledSweepIDs() == [a])
        #expect(try t.store.resumeSweep(id: a))
        #expect(try !t.store.resumeSweep(id: a))
        #expect(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10)?.sweepID == a)
    }

    @Test func extendAddsRunsButNeverDropsOne() throws {
        let t = try TemporaryStore()
        try t.store.insertSweep(Fixtures.sweep("a"), runs: Fixtures.runs(2))
        let wider = Fixtures.sweep("a", spec: #"{"seeds":[0,1,2,3]}"#)
        #expect(throws: StoreError.self) { try t.store.insertSweep(wider, runs: Fixtures.runs(4)) }
        #expect(try t.store.extendSweep(wider, runs: Fixtures.runs(4)) == .extended(sweepID: 1, added: 2))
        #expect(try t.store.runs().count == 4)
        #expect(try t.store.sweep(named: "a")?.specJSON == wider.specJSON)
        #expect(try t.store.extendSweep(wider, runs: Fixtures.runs(4)) == .unchanged(sweepID: 1))
        #expect { try t.store.extendSweep(Fixtures.sweep("a", spec: "{}"), runs: Fixtures.runs(1)) } throws: { error in
            guard case let .cannotExtend(name, dropped, _, _) = error as? StoreError else { return false }
            return name == "a" && dropped == 3
        }
        #expect(try t.store.runs().count == 4)
        #expect(try t.store.extendSweep(Fixtures.sweep("new"), runs: Fixtures.runs(1)) == .inserted(sweepID: 2, runs: 1))
    }

    @Test func schedulersAnnounceThemselvesAndDeadOnesAreIgnored() throws {
        let t = try TemporaryStore()
        let a = try t.sweep("a", runs: 1)
        let me = WorkerID.current
        try t.store.announceScheduler(me, kind: .run, sweepID: a, workers: 2, now: 1000)
        try t.store.announceScheduler(WorkerID(host: WorkerID.currentHost, pid: 999_999_999), kind: .daemon, sweepID: nil,
                                      workers: 1, now: 1000)
        #expect(try t.store.liveSchedulers(now: 1010).map(\.worker) == [me.description])
        #expect(try t.store.liveSchedulers(now: 2000).isEmpty)
        try t.store.retireScheduler(me)
        #expect(try t.store.liveSchedulers(now: 1010).isEmpty)
        #expect(throws: DatabaseError.self) { try t.store.announceScheduler(me, kind: .run, sweepID: nil, workers: 1) }
    }
}
