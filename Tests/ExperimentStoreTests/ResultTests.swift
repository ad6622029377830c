@testable import ExperimentStore
import Foundation
import GRDB
import Testing

@Suite struct ResultTests {
    @Test func appendMetricsWritesRowsProgressAndLeaseTogether() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10, now: 1000))
        try t.store.appendMetrics(runID: run.id, worker: Fixtures.worker, step: 8192,
                                  metrics: ["score": -1000.5, "entropy": 1.25], leaseSeconds: 10, now: 1005)
        try t.store.appendMetrics(runID: run.id, worker: Fixtures.worker, step: 16384,
                                  metrics: ["score": -900.25], leaseSeconds: 10, now: 1006)
        let stored = try t.store.run(id: run.id)
        #expect(stored?.stepsDone == 16384)
        #expect(stored?.leaseExpiresAt == 1016)
        #expect(try t.store.metrics(runID: run.id) == [
            MetricRecord(runID: run.id, step: 8192, key: "entropy", value: 1.25),
            MetricRecord(runID: run.id, step: 8192, key: "score", value: -1000.5),
            MetricRecord(runID: run.id, step: 16384, key: "score", value: -900.25),
        ])
    }

    @Test func appendMetricsIsAllOrNothing() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.appendMetrics(runID: run.id, worker: Fixtures.worker, step: 10, metrics: ["b": 1], leaseSeconds: 10)
        // "a" is new but "b" at step 10 already exists: neither is written, steps_done is unchanged.
        #expect(throws: DatabaseError.self) {
            try t.store.appendMetrics(runID: run.id, worker: Fixtures.worker, step: 10, metrics: ["a": 1, "b": 2], leaseSeconds: 10)
        }
        #expect(try t.store.metrics(runID: run.id).map(\.key) == ["b"])
        #expect(throws: StoreError.nonFiniteMetric(runID: run.id, key: "loss", step: 20, value: .infinity)) {
            try t.store.appendMetrics(runID: run.id, worker: Fixtures.worker, step: 20, metrics: ["loss": .infinity, "score": 1],
                                      leaseSeconds: 10)
        }
        #expect(try t.store.metrics(runID: run.id).count == 1)
        #expect(try t.store.run(id: run.id)?.stepsDone == 10)
    }

    @Test func markDoneAndFailed() throws {
        let t = try TemporaryStore()
        let id = try t.sweep("a", runs: 3)
        let a = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        let b = try #require(try t.store.claimNextRun(worker: Fixtures.other, leaseSeconds: 10))
        #expect(throws: StoreError.leaseLost(runID: a.id, worker: Fixtures.other.description)) {
            try t.store.markDone(runID: a.id, worker: Fixtures.other, wallSeconds: 1)
        }
        try t.store.markDone(runID: a.id, worker: Fixtures.worker, wallSeconds: 12.5)
        try t.store.markFailed(runID: b.id, worker: Fixtures.other, error: "diverged at step 10")
        let done = try #require(try t.store.run(id: a.id))
        #expect(done.status == .done && done.wallSeconds == 12.5 && done.finishedAt != nil && done.leaseExpiresAt == nil)
        let failed = try #require(try t.store.run(id: b.id))
        #expect(failed.status == .failed && failed.error == "diverged at step 10" && failed.finishedAt != nil)
        // Finished runs are never claimed, renewed or reclaimed.
        #expect(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10)?.id == (try t.store.runs(sweepID: id)[2].id))
        #expect(throws: StoreError.leaseLost(runID: a.id, worker: Fixtures.worker.description)) {
            try t.store.renewLease(runID: a.id, worker: Fixtures.worker, leaseSeconds: 10)
        }
        #expect(try t.store.reclaimAbandonedRuns(now: .infinity, isAlive: { _ in false }).count == 1)
        #expect(try t.store.run(id: a.id)?.status == .done)
    }

    @Test func statusCountsPerSweepAndInTotal() throws {
        let t = try TemporaryStore()
        let a = try t.sweep("a", runs: 4, steps: 100)
        try t.sweep("b", runs: 2, steps: 100)
        let r1 = try #require(try t.store.claimNextRun(sweepID: a, worker: Fixtures.worker, leaseSeconds: 10))
        let r2 = try #require(try t.store.claimNextRun(sweepID: a, worker: Fixtures.worker, leaseSeconds: 10))
        let r3 = try #require(try t.store.claimNextRun(sweepID: a, worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.appendMetrics(runID: r1.id, worker: Fixtures.worker, step: 100, metrics: [:], leaseSeconds: 10)
        try t.store.markDone(runID: r1.id, worker: Fixtures.worker, wallSeconds: 1)
        try t.store.markFailed(runID: r2.id, worker: Fixtures.worker, error: "x")
        try t.store.appendMetrics(runID: r3.id, worker: Fixtures.worker, step: 40, metrics: [:], leaseSeconds: 10)
        let counts = try t.store.statusCounts(sweepID: a)
        #expect((counts.pending, counts.running, counts.done, counts.failed, counts.total) == (1, 1, 1, 1, 4))
        #expect(counts.stepsTotal == 400)
        #expect(counts.stepsDone == 140)
        #expect(counts.stepsRemaining == 160)   // 60 of the running run + 100 pending
        #expect(!counts.isSettled)
        let all = try t.store.statusCounts()
        #expect((all.pending, all.total) == (3, 6))
    }
}

/// Issue 11, defect 10: CRC-32C (the standard check value), and one flipped bit in a stored
/// metric is an error for every reader instead of a moved table cell.
@Suite struct MetricChecksumTests {
    @Test func crc32cMatchesTheStandardCheckValue() {
        #expect(Checksum.crc32c(Data("123456789".utf8)) == 0xE306_9283)
        #expect(Checksum.crc32c(Data()) == 0)
        #expect(Checksum.text(Data("123456789".utf8)) == "crc32c:e3069283")
    }

    /// The step checksum as the schema defines it (004_checksums.sql): CRC-32C over the rows sorted
    /// by key, each the UTF-8 key, a 0 byte and the value's 8 little-endian bytes, built as bytes here.
    @Test func stepChecksumIsTheCRCOfTheDefinedBytes() {
        let rows: [(key: String, value: Double)] = [("score", -150.25), ("beta", 1), ("α_mean", 0.5), ("kl", .leastNonzeroMagnitude)]
        var bytes = Data()
        for (key, value) in rows.sorted(by: { $0.key < $1.key }) {
            bytes.append(contentsOf: Array(key.utf8))
            bytes.append(0)
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        #expect(Checksum.metrics(rows) == Checksum.crc32c(bytes))
        #expect(Checksum.metrics(rows.reversed()) == Checksum.crc32c(bytes))
        #expect(Checksum.metrics([]) == 0)
    }

    @Test func aFlippedBitInAStoredMetricIsRefusedByEveryReader() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.appendMetrics(runID: run.id, worker: Fixtures.worker, step: 100, metrics: ["score": -150.25, "beta": 1],
                                  leaseSeconds: 10)
        try t.store.finishRun(runID: run.id, worker: Fixtures.worker, step: 100, metrics: [], wallSeconds: 1)
        #expect(try t.store.metrics(runID: run.id).count == 2)
        #expect(try t.store.finalValues(sweepID: run.sweepID, key: "score").first?.value == -150.25)
        // One bit of the score's mantissa, flipped behind the store's back.
        try t.store.pool.write { db in
            try db.execute(sql: "UPDATE metrics SET value = ? WHERE run_id = ? AND key = 'score'",
                           arguments: [Double(bitPattern: (-150.25).bitPattern ^ (1 << 20)), run.id])
        }
        #expect(try t.store.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        let damaged = StoreError.corruptMetrics(runID: run.id, step: 100)
        #expect(throws: damaged) { try t.store.metrics(runID: run.id) }
        #expect(throws: damaged) { try t.store.lastMetric(runID: run.id, key: "beta") }
        #expect(throws: damaged) { try t.store.finalValues(sweepID: run.sweepID, key: "score") }
    }
}
