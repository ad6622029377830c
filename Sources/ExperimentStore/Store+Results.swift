import Foundation
import GRDB

/// What a worker records about the run it holds.
extension Store {
    /// Appends one iteration's metrics at `step` (env steps taken so far), sets steps_done to
    /// `step` and renews the lease, in one transaction. Throws `leaseLost` (writing nothing)
    /// unless `worker` holds the run, and `nonFiniteMetric` for NaN or infinity.
    public func appendMetrics(runID: Int64, worker: WorkerID, step: Int, metrics: [String: Double],
                              leaseSeconds: Double, now: Double = Store.unixNow()) throws {
        if let bad = metrics.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
            throw StoreError.nonFiniteMetric(runID: runID, key: bad.key, step: step, value: bad.value)
        }
        try pool.write { db in
            try Store.updateHeld(db, runID: runID, worker: worker,
                                 set: "steps_done = ?, lease_expires_at = ?", [step, now + leaseSeconds])
            let insert = try db.cachedStatement(sql: "INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, ?, ?)")
            for (key, value) in metrics {
                try insert.execute(arguments: [runID, step, key, value])
            }
        }
    }

    /// Marks the run done. Throws `leaseLost` unless `worker` holds it.
    public func markDone(runID: Int64, worker: WorkerID, wallSeconds: Double, now: Double = Store.unixNow()) throws {
        try pool.write { db in
            try Store.updateHeld(db, runID: runID, worker: worker,
                                 set: "status = 'done', lease_expires_at = NULL, wall_seconds = ?, finished_at = ?",
                                 [wallSeconds, Store.timestamp(now)])
        }
    }

    /// Marks the run failed with the reason. Throws `leaseLost` unless `worker` holds it.
    public func markFailed(runID: Int64, worker: WorkerID, error: String, now: Double = Store.unixNow()) throws {
        try pool.write { db in
            try Store.updateHeld(db, runID: runID, worker: worker,
                                 set: "status = 'failed', lease_expires_at = NULL, error = ?, finished_at = ?",
                                 [error, Store.timestamp(now)])
        }
    }
}
