import Foundation
import GRDB

/// Claiming, holding and giving back runs. Each operation is one IMMEDIATE transaction, so two
/// processes never claim the same run.
extension Store {
    /// Claims the first pending run (lowest id) of a sweep (or of the store): status running,
    /// holder `worker`, a lease of `leaseSeconds`, attempts + 1, started_at now. The metrics of an
    /// earlier attempt are deleted and steps_done reset (no checkpoints yet: it restarts).
    /// Returns nil when nothing is pending.
    public func claimNextRun(sweepID: Int64? = nil, worker: WorkerID, leaseSeconds: Double,
                             now: Double = Store.unixNow()) throws -> RunRecord? {
        try pool.write { db in
            var sql = "SELECT id FROM runs WHERE status = 'pending'"
            var args: StatementArguments = []
            if let sweepID { sql += " AND sweep_id = ?"; args += [sweepID] }
            guard let id = try Int64.fetchOne(db, sql: sql + " ORDER BY id LIMIT 1", arguments: args) else { return nil }
            return try Store.start(db, runID: id, worker: worker, leaseSeconds: leaseSeconds, now: now)
        }
    }

    /// Claims one given run, which must be pending (a worker started by hand on a run).
    public func claimRun(id: Int64, worker: WorkerID, leaseSeconds: Double, now: Double = Store.unixNow()) throws -> RunRecord {
        try pool.write { db in
            guard let status = try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [id]) else {
                throw StoreError.noSuchRun(id: id)
            }
            guard status == RunStatus.pending.rawValue else {
                throw StoreError.runNotClaimable(id: id, status: RunStatus(rawValue: status) ?? .running)
            }
            return try Store.start(db, runID: id, worker: worker, leaseSeconds: leaseSeconds, now: now)
        }
    }

    private static func start(_ db: Database, runID: Int64, worker: WorkerID, leaseSeconds: Double, now: Double) throws -> RunRecord {
        try db.execute(sql: "DELETE FROM metrics WHERE run_id = ?", arguments: [runID])
        try db.execute(sql: """
            UPDATE runs SET status = 'running', worker = ?, lease_expires_at = ?, attempts = attempts + 1,
                            started_at = ?, steps_done = 0, finished_at = NULL, wall_seconds = NULL, error = NULL
            WHERE id = ? AND status = 'pending'
            """, arguments: [worker.description, now + leaseSeconds, Store.timestamp(now), runID])
        return try RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [runID])!
    }

    /// Hands a running run from its holder `from` (a scheduler that claimed it) to `to` (the
    /// worker process that executes it), with a fresh lease. Throws `leaseLost` unless `from`
    /// holds it.
    public func adoptRun(id: Int64, from: WorkerID, to: WorkerID, leaseSeconds: Double,
                         now: Double = Store.unixNow()) throws -> RunRecord {
        try pool.write { db in
            try Store.updateHeld(db, runID: id, worker: from,
                                 set: "worker = ?, lease_expires_at = ?", [to.description, now + leaseSeconds])
            return try RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id])!
        }
    }

    /// Extends the lease of a run the worker holds; throws `leaseLost` otherwise.
    public func renewLease(runID: Int64, worker: WorkerID, leaseSeconds: Double, now: Double = Store.unixNow()) throws {
        try pool.write { db in
            try Store.updateHeld(db, runID: runID, worker: worker, set: "lease_expires_at = ?", [now + leaseSeconds])
        }
    }

    /// Gives a running run back (status pending) because its holder stops without finishing it.
    public func releaseRun(id: Int64, worker: WorkerID) throws {
        try pool.write { db in
            try Store.updateHeld(db, runID: id, worker: worker,
                                 set: "status = 'pending', worker = NULL, lease_expires_at = NULL", [])
        }
    }

    /// Puts back to pending every running run (of a sweep, or of the store) whose lease expired
    /// at `now`, or whose holder is a process of this host (`host`) that no longer exists.
    /// Returns the ids reclaimed.
    @discardableResult
    public func reclaimAbandonedRuns(sweepID: Int64? = nil, now: Double = Store.unixNow(),
                                     host: String = WorkerID.currentHost,
                                     isAlive: (Int32) -> Bool = WorkerID.isProcessAlive) throws -> [Int64] {
        try pool.write { db in
            var sql = "SELECT id, worker, lease_expires_at FROM runs WHERE status = 'running'"
            var args: StatementArguments = []
            if let sweepID { sql += " AND sweep_id = ?"; args += [sweepID] }
            var reclaimed: [Int64] = []
            for row in try Row.fetchAll(db, sql: sql, arguments: args) {
                let id: Int64 = row[0], holder: String = row[1], expires: Double = row[2]
                let dead = WorkerID(holder).map { $0.host == host && !isAlive($0.pid) } ?? false
                guard expires <= now || dead else { continue }
                try db.execute(sql: """
                    UPDATE runs SET status = 'pending', worker = NULL, lease_expires_at = NULL
                    WHERE id = ? AND status = 'running' AND worker = ?
                    """, arguments: [id, holder])
                reclaimed.append(id)
            }
            return reclaimed
        }
    }

    /// Runs `UPDATE runs SET <set> WHERE id = ? AND status = 'running' AND worker = ?`, throwing
    /// `leaseLost` (and so rolling back the transaction) when the worker does not hold the run.
    static func updateHeld(_ db: Database, runID: Int64, worker: WorkerID, set: String, _ values: StatementArguments) throws {
        try db.execute(sql: "UPDATE runs SET \(set) WHERE id = ? AND status = 'running' AND worker = ?",
                       arguments: values + [runID, worker.description])
        if db.changesCount == 0 {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [runID]) != nil else {
                throw StoreError.noSuchRun(id: runID)
            }
            throw StoreError.leaseLost(runID: runID, worker: worker.description)
        }
    }
}
