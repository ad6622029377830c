import ExperimentStore
import Foundation
import GRDB
import Testing

@Suite struct LeaseTests {
    @Test func claimTakesThePendingRunsInOrder() throws {
        let t = try TemporaryStore()
        let id = try t.sweep("a", runs: 2)
        let first = try #require(try t.store.claimNextRun(sweepID: id, worker: Fixtures.worker, leaseSeconds: 30, now: 1000))
        #expect(first.configHash == "h0")
        #expect(first.status == .running)
        #expect(first.worker == "test-host:1234")
        #expect(first.leaseExpiresAt == 1030)
        #expect(first.attempts == 1)
        #expect(first.startedAt != nil)
        let second = try #require(try t.store.claimNextRun(sweepID: id, worker: Fixtures.other, leaseSeconds: 30, now: 1000))
        #expect(second.configHash == "h1")
        #expect(try t.store.claimNextRun(sweepID: id, worker: Fixtures.worker, leaseSeconds: 30) == nil)
    }

    @Test func claimIsLimitedToItsSweep() throws {
        let t = try TemporaryStore()
        let a = try t.sweep("a", runs: 1)
        let b = try t.sweep("b", runs: 1)
        _ = try t.store.claimNextRun(sweepID: a, worker: Fixtures.worker, leaseSeconds: 30)
        #expect(try t.store.claimNextRun(sweepID: a, worker: Fixtures.worker, leaseSeconds: 30) == nil)
        #expect(try t.store.claimNextRun(sweepID: b, worker: Fixtures.worker, leaseSeconds: 30)?.sweepID == b)
    }

    @Test func concurrentClaimsFromTwoConnectionsNeverShareARun() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 40)
        let stores = [t.store, try Store(path: t.path)]
        let lock = NSLock()
        nonisolated(unsafe) var claimed: [Int64] = []
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let worker = WorkerID(host: "h", pid: Int32(i + 1))
            while let run = try? stores[i % 2].claimNextRun(worker: worker, leaseSeconds: 30) {
                lock.withLock { claimed.append(run.id) }
            }
        }
        #expect(claimed.count == 40)
        #expect(Set(claimed).count == 40)
    }

    @Test func claimingASpecificRun() throws {
        let t = try TemporaryStore()
        let id = try t.sweep("a", runs: 2)
        let runs = try t.store.runs(sweepID: id)
        let run = try t.store.claimRun(id: runs[1].id, worker: Fixtures.worker, leaseSeconds: 30)
        #expect(run.status == .running && run.id == runs[1].id)
        #expect(throws: StoreError.runNotClaimable(id: runs[1].id, status: .running)) {
            try t.store.claimRun(id: runs[1].id, worker: Fixtures.other, leaseSeconds: 30)
        }
        #expect(throws: StoreError.noSuchRun(id: 999)) { try t.store.claimRun(id: 999, worker: Fixtures.other, leaseSeconds: 30) }
    }

    @Test func adoptHandsTheLeaseFromSchedulerToWorker() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 30, now: 1000))
        let adopted = try t.store.adoptRun(id: run.id, from: Fixtures.worker, to: Fixtures.other, leaseSeconds: 60, now: 1010)
        #expect(adopted.worker == Fixtures.other.description)
        #expect(adopted.leaseExpiresAt == 1070)
        #expect(adopted.attempts == 1)
        #expect(throws: StoreError.leaseLost(runID: run.id, worker: Fixtures.worker.description)) {
            try t.store.adoptRun(id: run.id, from: Fixtures.worker, to: Fixtures.worker, leaseSeconds: 60)
        }
    }

    @Test func renewExtendsTheLeaseOnlyForItsHolder() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 30, now: 1000))
        try t.store.renewLease(runID: run.id, worker: Fixtures.worker, leaseSeconds: 30, now: 1020)
        #expect(try t.store.run(id: run.id)?.leaseExpiresAt == 1050)
        #expect(throws: StoreError.leaseLost(runID: run.id, worker: Fixtures.other.description)) {
            try t.store.renewLease(runID: run.id, worker: Fixtures.other, leaseSeconds: 30, now: 1020)
        }
        #expect(try t.store.run(id: run.id)?.leaseExpiresAt == 1050)
        #expect(throws: StoreError.noSuchRun(id: 999)) { try t.store.renewLease(runID: 999, worker: Fixtures.worker, leaseSeconds: 1) }
    }

    /// Issue 11, defect 9: a holder on this host is judged by its process, not the clock.
    @Test func reclaimTakesBackExpiredLeasesAndDeadHoldersOnly() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 4)
        let alive = WorkerID(host: "this", pid: 10)
        let dead = WorkerID(host: "this", pid: 11)
        let remote = WorkerID(host: "elsewhere", pid: 11)
        let stopped = WorkerID(host: "this", pid: 12)
        let a = try #require(try t.store.claimNextRun(worker: alive, leaseSeconds: 100, now: 1000))
        let d = try #require(try t.store.claimNextRun(worker: dead, leaseSeconds: 100, now: 1000))
        let r = try #require(try t.store.claimNextRun(worker: remote, leaseSeconds: 100, now: 1000))
        let e = try #require(try t.store.claimNextRun(worker: stopped, leaseSeconds: 10, now: 1000))
        let reclaimed = try t.store.reclaimAbandonedRuns(now: 1050, host: "this", isAlive: { $0 != 11 }, isStopped: { $0 == 12 })
        #expect(reclaimed.sorted() == [d.id, e.id].sorted())  // dead; stopped past its lease
        #expect(try t.store.run(id: a.id)?.status == .running)
        #expect(try t.store.run(id: r.id)?.status == .running)   // pid 11 is dead here, but it is another host's pid
        for id in [d.id, e.id] {
            let run = try #require(try t.store.run(id: id))
            #expect(run.status == .pending && run.worker == nil && run.leaseExpiresAt == nil)
        }
        // A wall clock two hours ahead: the remote holder's lease has run out, the live local
        // holder keeps its run (its process says it works, whatever the clock says).
        #expect(try t.store.reclaimAbandonedRuns(now: 1000 + 7200, host: "this", isAlive: { _ in true },
                                                 isStopped: { _ in false }) == [r.id])
        #expect(try t.store.run(id: a.id)?.status == .running)
    }

    @Test func realProcessLiveness() {
        #expect(WorkerID.isProcessAlive(getpid()) && !WorkerID.isProcessStopped(getpid()))
        #expect(!WorkerID.isProcessAlive(0))
        #expect(!WorkerID.isProcessAlive(Int32.max))
        #expect(WorkerID("my.host:with:colons:42") == WorkerID(host: "my.host:with:colons", pid: 42))
        #expect(WorkerID("nopid") == nil)
        #expect(WorkerID.current.description.hasSuffix(":\(getpid())"))
    }

    @Test func reclaimedRunIsClaimedAgainFromScratch() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10, now: 1000))
        try t.store.appendMetrics(runID: run.id, worker: Fixtures.worker, step: 100, metrics: ["score": 1], leaseSeconds: 10, now: 1001)
        try t.store.reclaimAbandonedRuns(now: 2000, host: "test-host", isAlive: { _ in false })
        #expect(try t.store.metrics(runID: run.id).count == 1)   // kept until the run is claimed again
        let again = try #require(try t.store.claimNextRun(worker: Fixtures.other, leaseSeconds: 10, now: 2001))
        #expect(again.id == run.id)
        #expect(again.attempts == 2)
        #expect(again.stepsDone == 0)
        #expect(try t.store.metrics(runID: run.id).isEmpty)
        // The old holder can no longer write.
        #expect(throws: StoreError.leaseLost(runID: run.id, worker: Fixtures.worker.description)) {
            try t.store.appendMetrics(runID: run.id, worker: Fixtures.worker, step: 200, metrics: ["score": 2], leaseSeconds: 10)
        }
    }

    @Test func releasePutsTheRunBackToPending() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        #expect(throws: StoreError.leaseLost(runID: run.id, worker: Fixtures.other.description)) {
            try t.store.releaseRun(id: run.id, worker: Fixtures.other)
        }
        try t.store.releaseRun(id: run.id, worker: Fixtures.worker)
        #expect(try t.store.run(id: run.id)?.status == .pending)
        #expect(try t.store.statusCounts().pending == 1)
    }
}
