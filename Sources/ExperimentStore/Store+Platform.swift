import Foundation
import GRDB

/// The platform of each attempt (`run_attempts`), and the event of a run resumed on another one.
extension Store {
    /// Records the platform of the holder's current attempt at the run (replacing a row of the
    /// same attempt). Throws `leaseLost` unless `worker` holds the run.
    public func recordAttempt(runID: Int64, worker: WorkerID, platform: Platform, now: Double = Store.unixNow()) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO run_attempts (run_id, attempt, worker, blas_kernel, cpu, started_at)
                SELECT id, attempts, ?, ?, ?, ? FROM runs WHERE id = ? AND status = 'running' AND worker = ?
                """, arguments: [worker.description, platform.blasKernel, platform.cpu, Store.timestamp(now), runID,
                                 worker.description])
            if db.changesCount == 0 { throw try Store.notHeld(db, runID: runID, worker: worker) }
        }
    }

    /// A run's attempts with their platforms, oldest first (none in stores without migration 003).
    public func attempts(runID: Int64) throws -> [RunAttempt] {
        try pool.read { db in try Store.fetchAttempts(db, runID: runID) }
    }

    static func fetchAttempts(_ db: Database, runID: Int64) throws -> [RunAttempt] {
        guard try db.tableExists("run_attempts") else { return [] }
        return try RunAttempt.fetchAll(db, sql: "SELECT * FROM run_attempts WHERE run_id = ? ORDER BY attempt", arguments: [runID])
    }

    /// Records that the holder resumed the run from a checkpoint written on another platform:
    /// the run stays valid, but its numbers are no longer bit-identical to an uninterrupted run's.
    public func notePlatformChanged(runID: Int64, worker: WorkerID, step: Int, from old: Platform, to new: Platform,
                                    now: Double = Store.unixNow()) throws {
        try pool.write { db in
            guard let run = try Store.fetchRun(db, id: runID) else { return }
            try Store.logEvent(db, run: run, .platformChanged, worker: worker, now: now,
                               Store.platformChangeMessage(step: step, from: old, to: new))
        }
    }

    /// The text of a `platform_changed` event (and of the worker's warning).
    public static func platformChangeMessage(step: Int, from old: Platform, to new: Platform) -> String {
        let what = old.blasKernel != new.blasKernel
            ? "BLAS kernel \(old.blasKernel) → \(new.blasKernel)" + (old.cpu == new.cpu ? " on \(new.cpu)" : ", CPU \(old.cpu) → \(new.cpu)")
            : "CPU \(old.cpu) → \(new.cpu), BLAS kernel \(new.blasKernel)"
        return "resumed at step \(step) on another platform (\(what)): the run stays valid, "
            + "but its numbers are not bit-identical to an uninterrupted run's"
    }
}
