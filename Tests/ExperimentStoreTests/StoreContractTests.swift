import ExperimentStore
import Foundation
import Testing

/// The store's contract (`RunQueue`, `ResultsReader`), tested through the protocols only, once
/// per backend: every backend must pass the same cases. SQLite (a temporary file) and PostgreSQL
/// (a fresh database on the tests' server, `TestPostgres`).
@Suite struct StoreContractTests {
    /// A fresh, empty store of one backend.
    struct Backend: Sendable, CustomTestStringConvertible {
        let name: String
        let make: @Sendable () throws -> (store: any RunQueue & ResultsReader, keepAlive: AnyObject)
        var testDescription: String { name }
    }

    static let backends: [Backend] = [
        Backend(name: "SQLite") {
            let t = try TemporaryStore()
            return (t.store, t)
        },
        Backend(name: "PostgreSQL") {
            let store = try TestPostgres.freshStore()
            return (store, store)
        },
    ]

    static let w = Fixtures.worker, other = Fixtures.other
    static let platform = Platform(blasKernel: "Haswell", cpu: "Test CPU")

    /// A store holding sweep "s" with `runs` runs (seeds 0…), and the sweep's id.
    static func seeded(_ backend: Backend, runs: Int = 3) throws -> (any RunQueue & ResultsReader, Int64, AnyObject) {
        let (store, keep) = try backend.make()
        let inserted = try store.insertSweep(Fixtures.sweep("s"), runs: Fixtures.runs(runs), now: 100)
        guard case let .inserted(id, count) = inserted, count == runs else { throw ContractFailure("insert: \(inserted)") }
        return (store, id, keep)
    }

    struct ContractFailure: Error { let what: String; init(_ what: String) { self.what = what } }

    @Test(arguments: backends) func storingASweepIsIdempotentAndAChangedSpecIsRefused(_ backend: Backend) throws {
        let (store, id, keep) = try Self.seeded(backend)
        _ = keep
        #expect(try store.insertSweep(Fixtures.sweep("s"), runs: Fixtures.runs(3), now: 200) == .unchanged(sweepID: id))
        let changed = Fixtures.sweep("s", spec: #"{"methods":{"PPO":{"clip":[0.3]}},"seeds":[0,1,2]}"#)
        #expect(throws: StoreError.self) { try store.insertSweep(changed, runs: Fixtures.runs(3), now: 200) }
        #expect(throws: StoreError.self) { try store.checkSweep(changed, runs: Fixtures.runs(3)) }
        #expect(try store.runs(sweepID: id, status: nil).count == 3)
        #expect(try store.extendSweep(Fixtures.sweep("s"), runs: Fixtures.runs(5), now: 300) == .extended(sweepID: id, added: 2))
        #expect(try store.statusCounts(sweepID: id).pending == 5)
        #expect(try store.sweeps().map(\.name) == ["s"] && store.sweep(named: "s")?.id == id && store.sweep(id: id)?.name == "s")
    }

    @Test(arguments: backends) func runsAreClaimedInIdOrderOnceEach(_ backend: Backend) throws {
        let (store, id, keep) = try Self.seeded(backend)
        _ = keep
        var claimed: [Int64] = []
        for (i, worker) in [Self.w, Self.other, Self.w].enumerated() {
            let run = try #require(try store.claimNextRun(sweepID: id, worker: worker, leaseSeconds: 10, now: 1000 + Double(i)))
            #expect(run.status == .running && run.worker == worker.description && run.attempts == 1)
            claimed.append(run.id)
        }
        #expect(claimed == claimed.sorted() && Set(claimed).count == 3)
        #expect(try store.claimNextRun(sweepID: nil, worker: Self.other, leaseSeconds: 10, now: 1010) == nil)
        #expect(throws: StoreError.self) { try store.claimRun(id: claimed[0], worker: Self.other, leaseSeconds: 10, now: 1010) }
        #expect(try store.statusCounts(sweepID: nil).running == 3)
    }

    @Test(arguments: backends) func onlyTheHolderWritesAboutItsRun(_ backend: Backend) throws {
        let (store, _, keep) = try Self.seeded(backend, runs: 1)
        _ = keep
        let run = try #require(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 1000))
        let lost = StoreError.leaseLost(runID: run.id, worker: Self.other.description)
        #expect(throws: lost) { try store.renewLease(runID: run.id, worker: Self.other, leaseSeconds: 10, now: 1001) }
        #expect(throws: lost) {
            try store.appendMetrics(runID: run.id, worker: Self.other, step: 10, metrics: ["score": 1], leaseSeconds: 10, now: 1001)
        }
        #expect(throws: lost) {
            try store.saveCheckpoint(runID: run.id, worker: Self.other, step: 10, state: Data([1]), format: 1, metrics: [],
                                     leaseSeconds: 10, release: false, reason: nil, platform: nil, now: 1001)
        }
        #expect(throws: lost) {
            try store.finishRun(runID: run.id, worker: Self.other, step: 10, metrics: [], wallSeconds: 1, now: 1001)
        }
        #expect(throws: lost) { try store.releaseRun(id: run.id, worker: Self.other, retryAfter: nil, reason: nil, now: 1001) }
        #expect(throws: lost) { try store.recordAttempt(runID: run.id, worker: Self.other, platform: Self.platform, now: 1001) }
        #expect(try store.metrics(runID: run.id).isEmpty && store.run(id: run.id)?.worker == Self.w.description)
        let adopted = try store.adoptRun(id: run.id, from: Self.w, to: Self.other, leaseSeconds: 10, now: 1002)
        #expect(adopted.worker == Self.other.description)
        #expect(try !store.renewLease(runID: run.id, worker: Self.other, leaseSeconds: 10, now: 1003).sweepCancelled)
    }

    @Test(arguments: backends) func expiredLeasesAndDeadHoldersAreReclaimed(_ backend: Backend) throws {
        let (store, _, keep) = try Self.seeded(backend, runs: 2)
        _ = keep
        let a = try #require(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 1000))
        let b = try #require(try store.claimNextRun(sweepID: nil, worker: WorkerID(host: "elsewhere", pid: 1),
                                                    leaseSeconds: 100, now: 1000))
        // Alive, within the lease: nothing. Holder on this host dead: a. Lease expired: b.
        #expect(try store.reclaimAbandonedRuns(sweepID: nil, now: 1005, host: Self.w.host, isAlive: { _ in true }, isStopped: { _ in false }).isEmpty)
        #expect(try store.reclaimAbandonedRuns(sweepID: nil, now: 1006, host: Self.w.host, isAlive: { _ in false }, isStopped: { _ in false }) == [a.id])
        #expect(try store.reclaimAbandonedRuns(sweepID: nil, now: 1200, host: Self.w.host, isAlive: { _ in false }, isStopped: { _ in false }) == [b.id])
        #expect(try store.statusCounts(sweepID: nil).pending == 2)
        #expect(try store.events(runID: a.id).map(\.kind) == [.claimed, .reclaimed])
    }

    @Test(arguments: backends) func aCheckpointCarriesItsMetricsAndAClaimDropsWhatCameAfter(_ backend: Backend) throws {
        let (store, _, keep) = try Self.seeded(backend, runs: 1)
        _ = keep
        let run = try #require(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 1000))
        let rows = [MetricRow(step: 100, values: ["score": -5, "loss": 1]), MetricRow(step: 200, values: ["score": -4])]
        try store.saveCheckpoint(runID: run.id, worker: Self.w, step: 200, state: Data([7, 8, 9]), format: 1, metrics: rows,
                                 leaseSeconds: 10, release: false, reason: nil, platform: Self.platform, now: 1001)
        #expect(try store.checkpoint(runID: run.id) == Checkpoint(step: 200, format: 1, state: Data([7, 8, 9]), platform: Self.platform))
        #expect(try store.run(id: run.id)?.stepsDone == 200 && store.metrics(runID: run.id).count == 3)
        // Metrics after the checkpoint, then the holder dies: the next claim continues from step 200.
        try store.appendMetrics(runID: run.id, worker: Self.w, step: 300, metrics: ["score": -3], leaseSeconds: 10, now: 1002)
        _ = try store.reclaimAbandonedRuns(sweepID: nil, now: 1003, host: Self.w.host, isAlive: { _ in false }, isStopped: { _ in false })
        let again = try #require(try store.claimNextRun(sweepID: nil, worker: Self.other, leaseSeconds: 10, now: 1004))
        #expect(again.id == run.id && again.stepsDone == 200 && again.attempts == 2)
        #expect(try store.metrics(runID: run.id).map(\.step).max() == 200)
        #expect(try store.lastMetric(runID: run.id, key: "score")?.value == -4)
        #expect(try store.checkpointInfos().map(\.step) == [200])
        // NaN is never stored, and nothing of that write is.
        #expect(throws: StoreError.self) {
            try store.saveCheckpoint(runID: run.id, worker: Self.other, step: 300, state: Data([1]), format: 1,
                                     metrics: [MetricRow(step: 300, values: ["loss": .nan])], leaseSeconds: 10, release: false,
                                     reason: nil, platform: nil, now: 1005)
        }
        #expect(try store.checkpoint(runID: run.id)?.step == 200)
    }

    @Test(arguments: backends) func aFinishedRunKeepsNoCheckpointAndIsNotClaimedAgain(_ backend: Backend) throws {
        let (store, id, keep) = try Self.seeded(backend, runs: 2)
        _ = keep
        let a = try #require(try store.claimNextRun(sweepID: id, worker: Self.w, leaseSeconds: 10, now: 1000))
        try store.saveCheckpoint(runID: a.id, worker: Self.w, step: 100, state: Data([1]), format: 1, metrics: [],
                                 leaseSeconds: 10, release: false, reason: nil, platform: nil, now: 1001)
        try store.finishRun(runID: a.id, worker: Self.w, step: 200, metrics: [MetricRow(step: 200, values: ["score": 2])],
                            wallSeconds: 3, now: 1002)
        #expect(try store.checkpoint(runID: a.id) == nil && store.run(id: a.id)?.status == .done)
        let b = try #require(try store.claimNextRun(sweepID: id, worker: Self.w, leaseSeconds: 10, now: 1003))
        #expect(b.id != a.id)
        try store.markFailed(runID: b.id, worker: Self.w, error: "boom", metrics: [], lastGoodStep: nil, now: 1004)
        #expect(try store.claimNextRun(sweepID: id, worker: Self.w, leaseSeconds: 10, now: 1005) == nil)
        let values = try store.finalValues(sweepID: id, key: "score")
        #expect(values.map(\.run.id) == [a.id] && values.map(\.value) == [2])
        #expect(try store.statusCounts(sweepID: id) .done == 1 && store.statusCounts(sweepID: id).failed == 1)
        // retry: the failed run is pending again, from scratch; a done run is not retried.
        #expect(try store.retry(runID: b.id, now: 1006).status == .pending)
        #expect(throws: StoreError.runNotRetryable(id: a.id, status: .done)) { try store.retry(runID: a.id, now: 1007) }
        #expect(try store.retryFailed(sweepID: id, now: 1008).isEmpty)
    }

    @Test(arguments: backends) func aCancelledSweepIsNotClaimedUntilResumed(_ backend: Backend) throws {
        let (store, id, keep) = try Self.seeded(backend, runs: 1)
        _ = keep
        #expect(try store.cancelSweep(id: id, now: 1000).cancelledAt != nil)
        #expect(try store.cancelledSweepIDs() == [id])
        #expect(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 1001) == nil)
        #expect(try store.resumeSweep(id: id) && !store.resumeSweep(id: id))
        #expect(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 1002) != nil)
    }

    /// Only a worker killed before its checkpoint, as its scheduler saw it, counts as a stall:
    /// claims and reclaims (a scheduler killed with its workers) do not, a checkpoint resets them.
    @Test(arguments: backends) func onlyStalledReleasesCountAsStalls(_ backend: Backend) throws {
        let (store, _, keep) = try Self.seeded(backend, runs: 1)
        _ = keep
        var run = try #require(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 1000))
        #expect(run.stalls == 0)
        #expect(try store.reclaimAbandonedRuns(sweepID: nil, now: 2000, host: "elsewhere", isAlive: { _ in true }, isStopped: { _ in false }) == [run.id])
        run = try #require(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 2001))
        #expect(run.stalls == 0 && run.attempts == 2)
        try store.releaseStalledRun(id: run.id, worker: Self.w, reason: "worker killed by signal 9", now: 2002)
        run = try #require(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 2003))
        try store.releaseStalledRun(id: run.id, worker: Self.w, reason: "worker killed by signal 9", now: 2004)
        #expect(try store.run(id: run.id)?.stalls == 2)
        #expect(throws: StoreError.self) {
            try store.releaseStalledRun(id: run.id, worker: Self.w, reason: "not held", now: 2005)
        }
        run = try #require(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 2006))
        try store.saveCheckpoint(runID: run.id, worker: Self.w, step: 10, state: Data([1]), format: 1, metrics: [],
                                 leaseSeconds: 10, release: false, reason: nil, platform: nil, now: 2007)
        #expect(try store.run(id: run.id)?.stalls == 0)
    }

    @Test(arguments: backends) func attemptsEventsAndSchedulersAreRecorded(_ backend: Backend) throws {
        let (store, _, keep) = try Self.seeded(backend, runs: 1)
        _ = keep
        let run = try #require(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 1000))
        try store.recordAttempt(runID: run.id, worker: Self.w, platform: Self.platform, now: 1000)
        try store.noteResumed(runID: run.id, worker: Self.w, step: 0, bytes: 10, now: 1001)
        try store.notePlatformChanged(runID: run.id, worker: Self.w, step: 0, from: Self.platform,
                                      to: Platform(blasKernel: "Prescott", cpu: "Test CPU"), now: 1002)
        try store.releaseRun(id: run.id, worker: Self.w, retryAfter: 60, reason: "test", now: 1003)
        #expect(try store.events(runID: run.id).map(\.kind) == [.claimed, .resumed, .platformChanged, .released])
        #expect(try store.attempts(runID: run.id).map(\.platform) == [Self.platform])
        // Given back with a back-off: not claimable before it has passed.
        #expect(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 1010) == nil)
        #expect(try store.claimNextRun(sweepID: nil, worker: Self.w, leaseSeconds: 10, now: 1064)?.id == run.id)
        try store.announceScheduler(Self.w, kind: .daemon, sweepID: nil, workers: 2, now: Store.unixNow())
        #expect(try store.liveSchedulers(now: Store.unixNow()).map(\.worker) == [Self.w.description] || Self.w.host != WorkerID.currentHost)
        try store.retireScheduler(Self.w)
        #expect(try store.liveSchedulers(now: Store.unixNow()).isEmpty)
    }

    /// `StoreCopy` into the backend: finished runs arrive with their metrics and events, once;
    /// unfinished ones are not copied; a run done in the target is never replaced.
    @Test(arguments: backends) func finishedRunsAreCopiedInOnce(_ backend: Backend) throws {
        let source = try TemporaryStore()
        let id = try source.sweep("s", runs: 3)
        let a = try #require(try source.store.claimNextRun(sweepID: id, worker: Self.w, leaseSeconds: 10, now: 1000))
        try source.store.finishRun(runID: a.id, worker: Self.w, step: 1000,
                                   metrics: [MetricRow(step: 500, values: ["score": -3.25, "loss": 0.1]),
                                             MetricRow(step: 1000, values: ["score": 1.0 / 3.0])], wallSeconds: 2, now: 1001)
        let b = try #require(try source.store.claimNextRun(sweepID: id, worker: Self.w, leaseSeconds: 10, now: 1002))
        try source.store.markFailed(runID: b.id, worker: Self.w, error: "boom", metrics: [], lastGoodStep: nil, now: 1003)
        let (target, keep) = try backend.make()
        _ = keep
        let first = try StoreCopy.copy(from: source.store, to: target, now: 2000)
        #expect(first.sweeps == 1 && first.copied == 2 && first.notFinished == 1)
        let sweep = try #require(try target.sweep(named: "s"))
        let runs = try target.runs(sweepID: sweep.id, status: nil)
        #expect(runs.map(\.status) == [.done, .failed, .pending])
        #expect(try target.metrics(runID: runs[0].id).map(\.value) == source.store.metrics(runID: a.id).map(\.value))
        #expect(try target.events(runID: runs[0].id).map(\.kind) == [.claimed, .done])
        #expect(try target.finalValues(sweepID: sweep.id, key: "score").map(\.value) == [1.0 / 3.0])
        let second = try StoreCopy.copy(from: source.store, to: target, now: 3000)
        #expect(second.copied == 0 && second.alreadyThere == 2)
        let done = try #require(try source.store.run(id: a.id))
        #expect(throws: StoreError.runNotClaimable(id: runs[0].id, status: .done)) {
            try target.importFinishedRun(into: runs[0].id, from: done, metrics: [], events: [], attempts: [])
        }
    }
}
