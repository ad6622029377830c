import Foundation
import GRDB

/// What users do to runs and sweeps (`retry`, `cancel`), and what they read back (`logs`).
extension Store {
    /// Puts a failed run back to pending, from scratch: its error, metrics and divergence step
    /// are cleared (attempts keep counting). Throws `noSuchRun`, or `runNotRetryable` unless it
    /// failed.
    @discardableResult
    public func retry(runID: Int64, now: Double = Store.unixNow()) throws -> RunRecord {
        try pool.write { db in
            guard let run = try Store.fetchRun(db, id: runID) else {
                throw StoreError.noSuchRun(id: runID)
            }
            guard run.status == .failed else { throw StoreError.runNotRetryable(id: runID, status: run.status) }
            return try Store.requeue(db, run, now: now)
        }
    }

    /// Retries every failed run (of a sweep, or of the store); returns them.
    public func retryFailed(sweepID: Int64? = nil, now: Double = Store.unixNow()) throws -> [RunRecord] {
        try pool.write { db in
            var sql = "SELECT * FROM runs WHERE status = 'failed'"
            var args: StatementArguments = []
            if let sweepID { sql += " AND sweep_id = ?"; args += [sweepID] }
            return try RunRecord.fetchAll(db, sql: sql + " ORDER BY id", arguments: args).map { try Store.requeue(db, $0, now: now) }
        }
    }

    private static func requeue(_ db: Database, _ run: RunRecord, now: Double) throws -> RunRecord {
        try db.execute(sql: "DELETE FROM metrics WHERE run_id = ?", arguments: [run.id])
        try db.execute(sql: """
            UPDATE runs SET status = 'pending', error = NULL, finished_at = NULL, wall_seconds = NULL, last_good_step = NULL,
                            steps_done = 0, stalls = 0, not_before = NULL, worker = NULL, lease_expires_at = NULL
            WHERE id = ?
            """, arguments: [run.id])
        let updated = try Store.fetchRun(db, id: run.id)!
        try logEvent(db, run: updated, .retried, worker: nil, now: now,
                     "re-queued by retry (was failed: \(run.error ?? "no reason")); restarts from scratch")
        return updated
    }

    /// Cancels a sweep: its pending runs are no longer claimed, and holders of its running runs
    /// learn it at their next lease renewal (schedulers stop their workers at once). Returns the
    /// sweep; a sweep already cancelled is left as it is.
    @discardableResult
    public func cancelSweep(id: Int64, now: Double = Store.unixNow()) throws -> SweepRecord {
        try pool.write { db in
            try db.execute(sql: "UPDATE sweeps SET cancelled_at = coalesce(cancelled_at, ?) WHERE id = ?",
                           arguments: [Store.timestamp(now), id])
            guard let sweep = try SweepRecord.fetchOne(db, sql: "SELECT * FROM sweeps WHERE id = ?", arguments: [id]) else {
                throw StoreError.noSuchSweep(name: "#\(id)", stored: try String.fetchAll(db, sql: "SELECT name FROM sweeps ORDER BY id"))
            }
            return sweep
        }
    }

    /// Clears a sweep's cancellation (it is stored again by `run` or `submit`); returns whether
    /// it was cancelled.
    @discardableResult
    public func resumeSweep(id: Int64) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "UPDATE sweeps SET cancelled_at = NULL WHERE id = ? AND cancelled_at IS NOT NULL", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// The ids of the cancelled sweeps.
    public func cancelledSweepIDs() throws -> Set<Int64> {
        try pool.read { db in Set(try Int64.fetchAll(db, sql: "SELECT id FROM sweeps WHERE cancelled_at IS NOT NULL")) }
    }

    /// A run's events, oldest first.
    public func events(runID: Int64) throws -> [RunEvent] {
        try pool.read { db in try Store.fetchEvents(db, runID: runID) }
    }

    static func fetchEvents(_ db: Database, runID: Int64) throws -> [RunEvent] {
        guard try db.tableExists("run_events") else { return [] }
        return try RunEvent.fetchAll(db, sql: "SELECT * FROM run_events WHERE run_id = ? ORDER BY id", arguments: [runID])
    }
}

/// The registry of schedulers (`run` and `daemon` processes) executing a store.
extension Store {
    /// Announces (or re-announces) this scheduler; call it every few seconds.
    public func announceScheduler(_ worker: WorkerID, kind: SchedulerRecord.Kind, sweepID: Int64?, workers: Int,
                                  now: Double = Store.unixNow()) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO schedulers (worker, kind, sweep_id, workers, started_at, seen_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (worker) DO UPDATE SET seen_at = excluded.seen_at
                """, arguments: [worker.description, kind.rawValue, sweepID, workers, Store.timestamp(now), now])
            // Rows of schedulers that died without retiring (SIGKILL, reboot) are dropped after a day.
            try db.execute(sql: "DELETE FROM schedulers WHERE seen_at < ?", arguments: [now - 86_400])
        }
    }

    public func retireScheduler(_ worker: WorkerID) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM schedulers WHERE worker = ?", arguments: [worker.description]) }
    }

    /// Schedulers seen within `freshness` seconds whose process, if on this host, still exists.
    static func fetchLiveSchedulers(_ db: Database, now: Double = Store.unixNow(), freshness: Double = 30,
                                           host: String = WorkerID.currentHost,
                                           isAlive: (Int32) -> Bool = WorkerID.isProcessAlive) throws -> [SchedulerRecord] {
        guard try db.tableExists("schedulers") else { return [] }
        return try SchedulerRecord.fetchAll(db, sql: "SELECT * FROM schedulers WHERE seen_at >= ? ORDER BY started_at",
                                            arguments: [now - freshness])
            .filter { record in WorkerID(record.worker).map { $0.host != host || isAlive($0.pid) } ?? false }
    }

    public func liveSchedulers(now: Double = Store.unixNow()) throws -> [SchedulerRecord] {
        try pool.read { db in try Store.fetchLiveSchedulers(db, now: now) }
    }
}
