import Foundation

/// Any backend of the store's contract, as the tools hold it.
public typealias AnyStore = any RunQueue & ResultsReader

/// The everyday forms of the contract's operations, for any backend: now is the wall clock
/// (`Store.unixNow`), and the optional arguments default as on `Store`.
extension RunQueue {
    @discardableResult
    public func insertSweep(_ sweep: NewSweep, runs: [NewRun]) throws -> SweepInsertion {
        try insertSweep(sweep, runs: runs, now: Store.unixNow())
    }

    @discardableResult
    public func extendSweep(_ sweep: NewSweep, runs: [NewRun]) throws -> SweepInsertion {
        try extendSweep(sweep, runs: runs, now: Store.unixNow())
    }

    @discardableResult
    public func cancelSweep(id: Int64) throws -> SweepRecord { try cancelSweep(id: id, now: Store.unixNow()) }

    public func claimNextRun(sweepID: Int64? = nil, worker: WorkerID, leaseSeconds: Double) throws -> RunRecord? {
        try claimNextRun(sweepID: sweepID, worker: worker, leaseSeconds: leaseSeconds, now: Store.unixNow())
    }

    public func claimRun(id: Int64, worker: WorkerID, leaseSeconds: Double) throws -> RunRecord {
        try claimRun(id: id, worker: worker, leaseSeconds: leaseSeconds, now: Store.unixNow())
    }

    public func adoptRun(id: Int64, from: WorkerID, to: WorkerID, leaseSeconds: Double) throws -> RunRecord {
        try adoptRun(id: id, from: from, to: to, leaseSeconds: leaseSeconds, now: Store.unixNow())
    }

    @discardableResult
    public func renewLease(runID: Int64, worker: WorkerID, leaseSeconds: Double) throws -> Store.Renewal {
        try renewLease(runID: runID, worker: worker, leaseSeconds: leaseSeconds, now: Store.unixNow())
    }

    public func releaseRun(id: Int64, worker: WorkerID, retryAfter: Double? = nil, reason: String? = nil) throws {
        try releaseRun(id: id, worker: worker, retryAfter: retryAfter, reason: reason, now: Store.unixNow())
    }

    public func releaseStalledRun(id: Int64, worker: WorkerID, reason: String) throws {
        try releaseStalledRun(id: id, worker: worker, reason: reason, now: Store.unixNow())
    }

    @discardableResult
    public func reclaimAbandonedRuns(sweepID: Int64? = nil) throws -> [Int64] {
        try reclaimAbandonedRuns(sweepID: sweepID, now: Store.unixNow(), host: WorkerID.currentHost,
                                 isAlive: WorkerID.isProcessAlive, isStopped: WorkerID.isProcessStopped)
    }

    public func recordAttempt(runID: Int64, worker: WorkerID, platform: Platform) throws {
        try recordAttempt(runID: runID, worker: worker, platform: platform, now: Store.unixNow())
    }

    public func saveCheckpoint(runID: Int64, worker: WorkerID, step: Int, state: Data, format: Int, metrics: [MetricRow],
                               leaseSeconds: Double, release: Bool = false, reason: String? = nil,
                               platform: Platform? = nil) throws {
        try saveCheckpoint(runID: runID, worker: worker, step: step, state: state, format: format, metrics: metrics,
                           leaseSeconds: leaseSeconds, release: release, reason: reason, platform: platform, now: Store.unixNow())
    }

    public func discardCheckpoint(runID: Int64, worker: WorkerID, reason: String) throws {
        try discardCheckpoint(runID: runID, worker: worker, reason: reason, now: Store.unixNow())
    }

    public func noteResumed(runID: Int64, worker: WorkerID, step: Int, bytes: Int) throws {
        try noteResumed(runID: runID, worker: worker, step: step, bytes: bytes, now: Store.unixNow())
    }

    public func notePlatformChanged(runID: Int64, worker: WorkerID, step: Int, from old: Platform, to new: Platform) throws {
        try notePlatformChanged(runID: runID, worker: worker, step: step, from: old, to: new, now: Store.unixNow())
    }

    public func finishRun(runID: Int64, worker: WorkerID, step: Int?, metrics: [MetricRow], wallSeconds: Double) throws {
        try finishRun(runID: runID, worker: worker, step: step, metrics: metrics, wallSeconds: wallSeconds, now: Store.unixNow())
    }

    public func markFailed(runID: Int64, worker: WorkerID, error: String, metrics: [MetricRow] = [],
                           lastGoodStep: Int? = nil) throws {
        try markFailed(runID: runID, worker: worker, error: error, metrics: metrics, lastGoodStep: lastGoodStep, now: Store.unixNow())
    }

    @discardableResult
    public func retry(runID: Int64) throws -> RunRecord { try retry(runID: runID, now: Store.unixNow()) }

    public func retryFailed(sweepID: Int64? = nil) throws -> [RunRecord] { try retryFailed(sweepID: sweepID, now: Store.unixNow()) }

    public func announceScheduler(_ worker: WorkerID, kind: SchedulerRecord.Kind, sweepID: Int64?, workers: Int) throws {
        try announceScheduler(worker, kind: kind, sweepID: sweepID, workers: workers, now: Store.unixNow())
    }
}

extension ResultsReader {
    public func runs(sweepID: Int64? = nil) throws -> [RunRecord] { try runs(sweepID: sweepID, status: nil) }
    public func statusCounts() throws -> StatusCounts { try statusCounts(sweepID: nil) }
    public func liveSchedulers() throws -> [SchedulerRecord] { try liveSchedulers(now: Store.unixNow()) }
}
