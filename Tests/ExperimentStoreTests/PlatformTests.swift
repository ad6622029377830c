@testable import ExperimentStore
import Foundation
import GRDB
import Testing

/// Each attempt records its platform (BLAS kernel, CPU), each checkpoint its writer's, and a run
/// resumed elsewhere gets one `platform_changed` event naming both.
@Suite struct PlatformTests {
    static let here = Platform(blasKernel: "SkylakeX", cpu: "Test CPU (family 6 model 207)")
    static let there = Platform(blasKernel: "Prescott", cpu: "Test CPU (family 6 model 207)")

    @Test func attemptsRecordTheirPlatformAndOnlyTheHolderWritesThem() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10, now: 1000))
        try t.store.recordAttempt(runID: run.id, worker: Fixtures.worker, platform: Self.here, now: 1001)
        #expect(throws: StoreError.leaseLost(runID: run.id, worker: Fixtures.other.description)) {
            try t.store.recordAttempt(runID: run.id, worker: Fixtures.other, platform: Self.there)
        }
        try t.store.releaseRun(id: run.id, worker: Fixtures.worker)
        _ = try #require(try t.store.claimNextRun(worker: Fixtures.other, leaseSeconds: 10, now: 1002))
        try t.store.recordAttempt(runID: run.id, worker: Fixtures.other, platform: Self.there, now: 1003)
        let attempts = try t.store.attempts(runID: run.id)
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.map(\.platform) == [Self.here, Self.there])
        #expect(attempts.map(\.worker) == [Fixtures.worker.description, Fixtures.other.description])
    }

    @Test func aCheckpointKeepsItsWritersPlatform() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 100, state: Data([1, 2]), format: 1,
                                   metrics: [], leaseSeconds: 10, platform: Self.there)
        #expect(try t.store.checkpoint(runID: run.id)?.platform == Self.there)
        try t.store.saveCheckpoint(runID: run.id, worker: Fixtures.worker, step: 200, state: Data([3]), format: 1,
                                   metrics: [], leaseSeconds: 10)
        #expect(try t.store.checkpoint(runID: run.id) == Checkpoint(step: 200, format: 1, state: Data([3]), platform: nil))
    }

    @Test func aPlatformChangeIsOneEventNamingBothKernels() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 1)
        let run = try #require(try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        try t.store.notePlatformChanged(runID: run.id, worker: Fixtures.worker, step: 4096, from: Self.there, to: Self.here)
        let events = try t.store.events(runID: run.id).filter { $0.kind == .platformChanged }
        #expect(events.count == 1)
        #expect(events.first?.message.contains("BLAS kernel Prescott → SkylakeX") == true)
        #expect(events.first?.message.contains("not bit-identical") == true)
        let cpu = Platform(blasKernel: "SkylakeX", cpu: "Other CPU")
        #expect(Store.platformChangeMessage(step: 1, from: Self.here, to: cpu).contains("CPU Test CPU (family 6 model 207) → Other CPU"))
    }

    /// A store written before migration 003 (with events) opens, migrates and keeps its events.
    @Test func aStoreOfMigration002KeepsItsEventsThroughMigration003() throws {
        let t = try TemporaryStore()
        let path = try t.olderStore("old.sqlite", migrations: 2, extra: """
            INSERT INTO run_events (run_id, at, kind, attempt, step, message) VALUES (1, 'then', 'claimed', 1, 0, 'old event');
            """)
        let store = try Store(path: path)
        #expect(try store.events(runID: 1).map(\.message) == ["old event"])
        #expect(try store.attempts(runID: 1).isEmpty)
        let run = try #require(try store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 10))
        try store.notePlatformChanged(runID: run.id, worker: Fixtures.worker, step: 0, from: Self.there, to: Self.here)
        #expect(try store.events(runID: 1).map(\.kind) == [.claimed, .claimed, .platformChanged])
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pragma_index_list('run_events')") } == 1)
    }
}
