import Foundation

/// The store's contract as two protocols, so that a second backend (PostgreSQL) implements the
/// same operations with the same guarantees as `Store`, the SQLite implementation, and the
/// contract tests (`StoreContractTests`) run against every backend through them.
///
/// The guarantees are those stated on `Store`: every operation is one transaction; a run is
/// executed only by the holder of its lease, and every write about a run checks the lease
/// (`StoreError.leaseLost` otherwise); a checkpoint is written with the metrics it covers and
/// `steps_done` at once, and claiming a run again drops what was recorded after it; a run that
/// ends keeps no checkpoint; NaN and infinity are never stored (`nonFiniteMetric`).
///
/// Requirements spell out every argument (times as unix seconds), so that tests can drive the
/// clock; `Store` adds defaults (now, no reason, …) for everyday callers.
public protocol RunQueue: AnyObject, Sendable {
    /// Where the store lives (a file path or a URL), for messages.
    var path: String { get }
    /// Throws `StoreError.storeGone` if the store is no longer the one opened (a file deleted
    /// or replaced while in use); schedulers check it every round, workers at every heartbeat.
    func checkIdentity() throws

    // Sweeps.
    /// Idempotent: the same name and spec is `unchanged`; another spec throws `sweepChanged`.
    func insertSweep(_ sweep: NewSweep, runs: [NewRun], now: Double) throws -> SweepInsertion
    /// Adds the runs a stored sweep lacks; throws `cannotExtend` if it would drop stored runs.
    func extendSweep(_ sweep: NewSweep, runs: [NewRun], now: Double) throws -> SweepInsertion
    func cancelSweep(id: Int64, now: Double) throws -> SweepRecord
    /// Clears a cancellation; whether there was one.
    func resumeSweep(id: Int64) throws -> Bool
    func cancelledSweepIDs() throws -> Set<Int64>

    // Claiming and holding runs.
    /// The lowest-id pending run (of a sweep, or of the store) that may run now, claimed by `worker`.
    func claimNextRun(sweepID: Int64?, worker: WorkerID, leaseSeconds: Double, now: Double) throws -> RunRecord?
    func claimRun(id: Int64, worker: WorkerID, leaseSeconds: Double, now: Double) throws -> RunRecord
    func adoptRun(id: Int64, from: WorkerID, to: WorkerID, leaseSeconds: Double, now: Double) throws -> RunRecord
    func renewLease(runID: Int64, worker: WorkerID, leaseSeconds: Double, now: Double) throws -> Store.Renewal
    func releaseRun(id: Int64, worker: WorkerID, retryAfter: Double?, reason: String?, now: Double) throws
    /// `releaseRun` with the run's stalls + 1: its worker was killed before a checkpoint.
    func releaseStalledRun(id: Int64, worker: WorkerID, reason: String, now: Double) throws
    /// Running runs back to pending: those of holders on other hosts whose lease expired, those
    /// of holders on `host` that are not alive, or are stopped with their lease expired (a live,
    /// running local holder keeps its run whatever the clock says).
    func reclaimAbandonedRuns(sweepID: Int64?, now: Double, host: String, isAlive: (Int32) -> Bool,
                              isStopped: (Int32) -> Bool) throws -> [Int64]
    func recordAttempt(runID: Int64, worker: WorkerID, platform: Platform, now: Double) throws

    // Progress and results.
    func appendMetrics(runID: Int64, worker: WorkerID, step: Int, metrics: [String: Double], leaseSeconds: Double,
                       now: Double) throws
    func saveCheckpoint(runID: Int64, worker: WorkerID, step: Int, state: Data, format: Int, metrics: [MetricRow],
                        leaseSeconds: Double, release: Bool, reason: String?, platform: Platform?, now: Double) throws
    /// The run's checkpoint, checked against its checksum (`corruptCheckpoint`); nil without one.
    func checkpoint(runID: Int64) throws -> Checkpoint?
    func discardCheckpoint(runID: Int64, worker: WorkerID, reason: String, now: Double) throws
    func noteResumed(runID: Int64, worker: WorkerID, step: Int, bytes: Int, now: Double) throws
    func notePlatformChanged(runID: Int64, worker: WorkerID, step: Int, from old: Platform, to new: Platform,
                             now: Double) throws
    func finishRun(runID: Int64, worker: WorkerID, step: Int?, metrics: [MetricRow], wallSeconds: Double,
                   now: Double) throws
    func markFailed(runID: Int64, worker: WorkerID, error: String, metrics: [MetricRow], lastGoodStep: Int?,
                    now: Double) throws
    /// A failed run back to pending, from scratch (`runNotRetryable` otherwise).
    func retry(runID: Int64, now: Double) throws -> RunRecord
    func retryFailed(sweepID: Int64?, now: Double) throws -> [RunRecord]

    // Copies between stores (`mcpo-sweep copy`).
    /// Replaces run `runID` of this store (pending, or failed) by `run`, a finished (done or
    /// failed) run of the same config from another store, with its metrics, events and attempts,
    /// in one transaction; its checkpoint, if any, is dropped. A done run is never replaced
    /// (`runNotClaimable`); `run` must be done or failed.
    func importFinishedRun(into runID: Int64, from run: RunRecord, metrics: [MetricRecord], events: [RunEvent],
                           attempts: [RunAttempt]) throws

    // Schedulers.
    func announceScheduler(_ worker: WorkerID, kind: SchedulerRecord.Kind, sweepID: Int64?, workers: Int,
                           now: Double) throws
    func retireScheduler(_ worker: WorkerID) throws
}

/// What the reading commands and the report need; a read-only handle offers all of it.
public protocol ResultsReader: AnyObject, Sendable {
    var path: String { get }
    /// Every sweep, oldest first.
    func sweeps() throws -> [SweepRecord]
    func sweep(named name: String) throws -> SweepRecord?
    func sweep(id: Int64) throws -> SweepRecord?
    /// Whether storing `sweep` would be refused (`sweepChanged`), without writing: the stored
    /// sweep of its name, or nil.
    func checkSweep(_ sweep: NewSweep, runs: [NewRun]) throws -> SweepRecord?
    func checkExtension(_ sweep: NewSweep, runs: [NewRun]) throws -> (SweepRecord, [NewRun])?
    func run(id: Int64) throws -> RunRecord?
    /// In id order, optionally of one sweep and one status.
    func runs(sweepID: Int64?, status: RunStatus?) throws -> [RunRecord]
    func runIDRange() throws -> ClosedRange<Int64>?
    func statusCounts(sweepID: Int64?) throws -> StatusCounts
    /// A run's metrics ordered by key, then step.
    func metrics(runID: Int64) throws -> [MetricRecord]
    func lastMetric(runID: Int64, key: String) throws -> MetricRecord?
    /// Every run of a sweep that has metrics (any status), in id order, with its metrics ordered
    /// by key, then step, each step checked against its checksum, in one snapshot (curves).
    func sweepMetrics(sweepID: Int64) throws -> [(run: RunRecord, metrics: [MetricRecord])]
    /// The done runs of a sweep with their last value of `key`, in id order, in one snapshot.
    func finalValues(sweepID: Int64, key: String) throws -> [(run: RunRecord, value: Double?)]
    /// The same with each run's largest value of `key` over its steps (the earliest step on ties).
    func bestValues(sweepID: Int64, key: String) throws -> [(run: RunRecord, value: Double?)]
    func events(runID: Int64) throws -> [RunEvent]
    func attempts(runID: Int64) throws -> [RunAttempt]
    func checkpointInfos() throws -> [CheckpointInfo]
    func liveSchedulers(now: Double) throws -> [SchedulerRecord]
}

extension Store: RunQueue, ResultsReader {}
