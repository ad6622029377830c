@testable import ExperimentStore
import Foundation
import GRDB
import Testing

/// Checkpoints are written with the metrics they cover, resumed from at the next claim, and
/// never outlive their run.
@Suite struct CheckpointTests {
    let state = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) })

    func rows(_ steps: [Int]) -> [MetricRow] { steps.map { MetricRow(step: $0, values: ["score": Double($0), "loss": 0.5]) } }

    @Test func aCheckpointIsWrittenWithItsMetricsAndProgress() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10, now: 1000))
        try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 200, state: state, format: 1,
                                   metrics: rows([100, 200]), leaseSeconds: 10, now: 1005)
        let stored = try #require(try t.store.run(id: run.id))
        #expect(stored.stepsDone == 200 && stored.leaseExpiresAt == 1015 && stored.stalls == 0)
        #expect(try t.store.metrics(runID: run.id).count == 4)
        #expect(try t.store.checkpoint(runID: run.id) == Checkpoint(step: 200, format: 1, state: state))
        // The next one replaces it.
        try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 300, state: Data([1, 2, 3]), format: 1,
                                   metrics: rows([300]), leaseSeconds: 10)
        #expect(try t.store.checkpoint(runID: run.id)?.step == 300)
        #expect(try t.count("SELECT COUNT(*) FROM checkpoints") == 1)
    }

    @Test func aCheckpointIsAllOrNothingAndOnlyForTheHolder() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        #expect(throws: StoreError.leaseLost(runID: run.id, worker: Fixtures.other.description)) {
            try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.other, step: 100, state: state, format: 1,
                                       metrics: rows([100]), leaseSeconds: 10)
        }
        #expect {
            try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 200, state: state, format: 1,
                                       metrics: [MetricRow(step: 200, values: ["loss": .nan])], leaseSeconds: 10)
        } throws: { error in
            guard case let .nonFiniteMetric(id, key, step, value) = error as? StoreError else { return false }
            return id == run.id && key == "loss" && step == 200 && value.isNaN
        }
        // A duplicate metric row aborts the whole transaction: no checkpoint, no progress.
        try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 100, state: state, format: 1,
                                   metrics: rows([100]), leaseSeconds: 10)
        #expect(throws: DatabaseError.self) {
            try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 200, state: Data([9]), format: 1,
                                       metrics: rows([100, 200]), leaseSeconds: 10)
        }
        #expect(try t.store.checkpoint(runID: run.id)?.step == 100)
        #expect(try t.store.run(id: run.id)?.stepsDone == 100)
        #expect(try t.store.metrics(runID: run.id).count == 2)
    }

    @Test func claimingAgainResumesAtTheCheckpointAndDropsLaterMetrics() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 200, state: state, format: 1,
                                   metrics: rows([100, 200]), leaseSeconds: 10)
        // Written after the checkpoint by the old API, then the worker dies.
        try t.store.appendMetrics(runID: run.id, worker: Fixtures.worker, step: 300, metrics: ["score": 3], leaseSeconds: 10)
        #expect(try t.store.reclaimAbandonedRuns(now: Store.unixNow() + 60) == [run.id])
        let again = try #require(try t.store.claimNextRun(worker: Fixtures.other, leaseSeconds: 10))
        #expect(again.stepsDone == 200 && again.attempts == 2 && again.stalls == 0)  // a reclaim is no stall
        #expect(try t.store.metrics(runID: run.id).map(\.step).max() == 200)
        #expect(try t.store.events(runID: run.id).map(\.kind) == [.claimed, .reclaimed, .claimed])
        #expect(try t.store.events(runID: run.id).last?.message.contains("continues from its checkpoint at step 200") == true)
    }

    @Test func theSQLKeepsCheckpointsConsistent() throws {
        let t = try TemporaryStore()
        let sweep = try t.sweep("a", runs: 2)
        let runs = try t.store.runs(sweepID: sweep)
        let insert = "INSERT INTO checkpoints (run_id, step, format, checksum, state, created_at) VALUES (?, ?, 1, '0123456789abcdef', x'00', 'now')"
        // Not for a pending run; not at another step than the run's progress.
        #expect(throws: DatabaseError.self) { try t.store.pool.write { try $0.execute(sql: insert, arguments: [runs[0].id, 10]) } }
        let run = try #require(try t.store.claimNextRun(sweepID: sweep, worker: Fixtures.worker, leaseSeconds: 10))
        #expect(throws: DatabaseError.self) { try t.store.pool.write { try $0.execute(sql: insert, arguments: [run.id, 10]) } }
        try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 10, state: state, format: 1,
                                   metrics: [], leaseSeconds: 10)
        // Finishing the run drops it.
        try t.store.finishRun(runID: run.id, worker: Fixtures.worker, step: 20, metrics: rows([20]), wallSeconds: 1)
        #expect(try t.count("SELECT COUNT(*) FROM checkpoints") == 0)
        #expect(try t.store.run(id: run.id)?.stepsDone == 20)
        // And failing one drops it too.
        let second = try #require(try t.store.claimNextRun(sweepID: sweep, worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.saveCheckpoint(runID: second.id, worker: Fixtures.worker, step: 10, state: state, format: 1,
                                   metrics: rows([10]), leaseSeconds: 10)
        try t.store.markFailed(runID: second.id, worker: Fixtures.worker, error: "diverged", metrics: rows([20]), lastGoodStep: 20)
        #expect(try t.count("SELECT COUNT(*) FROM checkpoints") == 0)
        let failed = try #require(try t.store.run(id: second.id))
        #expect(failed.status == .failed && failed.lastGoodStep == 20 && failed.stepsDone == 20)
        // last_good_step only for failed runs; checksum of 16 hex digits.
        #expect(throws: DatabaseError.self) {
            try t.store.pool.write { try $0.execute(sql: "UPDATE runs SET last_good_step = 5 WHERE id = ?", arguments: [run.id]) }
        }
    }

    @Test func aDamagedCheckpointIsDetected() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 10, state: state, format: 1,
                                   metrics: [], leaseSeconds: 10)
        var damaged = state
        damaged[500] ^= 0x10
        try t.store.pool.write { try $0.execute(sql: "UPDATE checkpoints SET state = ?", arguments: [damaged]) }
        #expect { _ = try t.store.checkpoint(runID: run.id) } throws: { error in
            guard case .corruptCheckpoint(run.id, _) = error as? StoreError else { return false }
            return true
        }
        try t.store.discardCheckpoint(runID: run.id, worker: Fixtures.worker, reason: "damaged")
        #expect(try t.store.checkpoint(runID: run.id) == nil)
        #expect(try t.store.run(id: run.id)?.stepsDone == 0)
    }

    /// A write that does not fit (the database capped as on a full disk) is rolled back whole:
    /// the previous checkpoint, its metrics and the run's progress are intact, and so is the file.
    @Test func aFullDiskLeavesTheStoreIntact() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 10, state: state, format: 1,
                                   metrics: rows([10]), leaseSeconds: 10)
        let pages = try t.store.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_count")! }
        let capped = try Store(path: t.path, maxPageCount: pages + 2)
        let big = Data(repeating: 7, count: 200_000)
        var failure: Error?
        do {
            try capped.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 20, state: big, format: 1,
                                      metrics: rows([20]), leaseSeconds: 10)
        } catch {
            failure = error
        }
        let error = try #require(failure)
        #expect(Store.isUnavailable(error), "\(error)")
        #expect((error as? DatabaseError)?.resultCode == .SQLITE_FULL)
        #expect(try t.store.checkpoint(runID: run.id) == Checkpoint(step: 10, format: 1, state: state))
        #expect(try t.store.run(id: run.id)?.stepsDone == 10)
        #expect(try t.store.metrics(runID: run.id).map(\.step) == [10, 10])
        #expect(try t.store.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        // Small writes still fit: the holder can give the run back, to be retried later.
        try capped.releaseRun(id: run.id, worker: Fixtures.worker, retryAfter: 30, reason: "store full", now: 1000)
        #expect(try t.store.run(id: run.id)?.notBefore == 1030)
        #expect(try t.store.claimNextRun(worker: Fixtures.other, leaseSeconds: 10, now: 1010) == nil)
        #expect(try t.store.claimNextRun(worker: Fixtures.other, leaseSeconds: 10, now: 1031)?.stepsDone == 10)
    }
}
