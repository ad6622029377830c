import Foundation
import GRDB

/// What a worker records about the run it holds.
extension Store {
    /// The metric key of a run's score, as the trainer records it (Trainer's `MetricKey.score`;
    /// `StoreAPITests` checks that they agree).
    public static let scoreKey = "score"

    /// Appends one iteration's metrics at `step` (env steps taken so far), sets steps_done to
    /// `step` and renews the lease, in one transaction. Throws `leaseLost` (writing nothing)
    /// unless `worker` holds the run, and `nonFiniteMetric` for NaN or infinity. (Workers write
    /// metrics with their checkpoints instead: `saveCheckpoint`, `finishRun`.)
    public func appendMetrics(runID: Int64, worker: WorkerID, step: Int, metrics: [String: Double],
                              leaseSeconds: Double, now: Double = Store.unixNow()) throws {
        let rows = [MetricRow(step: step, values: metrics)]
        try Store.checkFinite(runID: runID, rows)
        try pool.write { db in
            try Store.updateHeld(db, runID: runID, worker: worker,
                                 set: "steps_done = ?, lease_expires_at = ?", [step, now + leaseSeconds])
            try Store.insert(db, runID: runID, rows)
        }
    }

    /// Marks the run done. Throws `leaseLost` unless `worker` holds it.
    public func markDone(runID: Int64, worker: WorkerID, wallSeconds: Double, now: Double = Store.unixNow()) throws {
        try finishRun(runID: runID, worker: worker, step: nil, metrics: [], wallSeconds: wallSeconds, now: now)
    }

    /// In one transaction: the last metrics (since the last checkpoint), steps_done = `step`,
    /// status done (which deletes the checkpoint). Throws `leaseLost` (nothing written) unless
    /// `worker` holds the run, `nonFiniteMetric` for NaN or infinity.
    public func finishRun(runID: Int64, worker: WorkerID, step: Int?, metrics: [MetricRow], wallSeconds: Double,
                          now: Double = Store.unixNow()) throws {
        try Store.checkFinite(runID: runID, metrics)
        try pool.write { db in
            try Store.updateHeld(db, runID: runID, worker: worker,
                                 set: "status = 'done', lease_expires_at = NULL, wall_seconds = ?, finished_at = ?, stalls = 0, steps_done = coalesce(?, steps_done)",
                                 [wallSeconds, Store.timestamp(now), step])
            try Store.insert(db, runID: runID, metrics)
            if let run = try Store.fetchRun(db, id: runID) {
                try Store.logEvent(db, run: run, .done, worker: worker, now: now,
                                   String(format: "done at step %lld (this attempt trained for %.1f s)", run.stepsDone, wallSeconds))
            }
        }
    }

    /// Marks the run failed with the reason, writing `metrics` first (the good iterations since
    /// the last checkpoint) and, for a diverged run, `lastGoodStep`. Throws `leaseLost` unless
    /// `worker` holds it.
    public func markFailed(runID: Int64, worker: WorkerID, error: String, metrics: [MetricRow] = [],
                           lastGoodStep: Int? = nil, now: Double = Store.unixNow()) throws {
        let finite = metrics.filter { $0.values.values.allSatisfy(\.isFinite) }
        try pool.write { db in
            let step = finite.last?.step
            try Store.updateHeld(db, runID: runID, worker: worker,
                                 set: "status = 'failed', lease_expires_at = NULL, error = ?, finished_at = ?, last_good_step = ?, steps_done = coalesce(?, steps_done)",
                                 [error, Store.timestamp(now), lastGoodStep, step])
            try Store.insert(db, runID: runID, finite)
            if let run = try Store.fetchRun(db, id: runID) {
                try Store.logEvent(db, run: run, .failed, worker: worker, now: now, "failed: \(error)")
            }
        }
    }
}
