import Foundation
import GRDB

/// Claiming, holding and giving back runs. Each operation is one IMMEDIATE transaction, so two
/// processes never claim the same run.
extension Store {
    /// Claims the first pending run (lowest id) of a sweep (or of the store) that may run now:
    /// its sweep is not cancelled and its back-off (`not_before`) has passed. See `start`.
    /// Returns nil when nothing is claimable.
    public func claimNextRun(sweepID: Int64? = nil, worker: WorkerID, leaseSeconds: Double,
                             now: Double = Store.unixNow()) throws -> RunRecord? {
        try pool.write { db in
            var sql = """
                SELECT r.id FROM runs r JOIN sweeps s ON s.id = r.sweep_id
                WHERE r.status = 'pending' AND s.cancelled_at IS NULL AND (r.not_before IS NULL OR r.not_before <= ?)
                """
            var args: StatementArguments = [now]
            if let sweepID { sql += " AND r.sweep_id = ?"; args += [sweepID] }
            guard let id = try Int64.fetchOne(db, sql: sql + " ORDER BY r.id LIMIT 1", arguments: args) else { return nil }
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

    /// Status running, holder `worker`, a lease, attempts + 1, started_at now. The
    /// run continues from its checkpoint: metrics recorded after it (by an attempt that died
    /// before its next checkpoint) are deleted and steps_done is the checkpoint's step; without
    /// a checkpoint every metric is deleted and steps_done is 0.
    private static func start(_ db: Database, runID: Int64, worker: WorkerID, leaseSeconds: Double, now: Double) throws -> RunRecord {
        let resumeStep = try Int64.fetchOne(db, sql: "SELECT step FROM checkpoints WHERE run_id = ?", arguments: [runID])
        try db.execute(sql: "DELETE FROM metrics WHERE run_id = ? AND step > ?", arguments: [runID, resumeStep ?? -1])
        try db.execute(sql: """
            UPDATE runs SET status = 'running', worker = ?, lease_expires_at = ?, attempts = attempts + 1,
                            not_before = NULL, started_at = ?, steps_done = ?,
                            finished_at = NULL, wall_seconds = NULL, error = NULL
            WHERE id = ? AND status = 'pending'
            """, arguments: [worker.description, now + leaseSeconds, Store.timestamp(now), resumeStep ?? 0, runID])
        let run = try Store.fetchRun(db, id: runID)!
        try Store.logEvent(db, run: run, .claimed, worker: worker, now: now, resumeStep.map {
            "claimed by \(worker) (attempt \(run.attempts)); continues from its checkpoint at step \($0)"
        } ?? "claimed by \(worker) (attempt \(run.attempts)); starts from scratch")
        return run
    }

    /// Hands a running run from its holder `from` (a scheduler that claimed it) to `to` (the
    /// worker process that executes it), with a fresh lease. Throws `leaseLost` unless `from`
    /// holds it.
    public func adoptRun(id: Int64, from: WorkerID, to: WorkerID, leaseSeconds: Double,
                         now: Double = Store.unixNow()) throws -> RunRecord {
        try pool.write { db in
            try Store.updateHeld(db, runID: id, worker: from,
                                 set: "worker = ?, lease_expires_at = ?", [to.description, now + leaseSeconds])
            return try Store.fetchRun(db, id: id)!
        }
    }

    /// What a lease renewal learnt.
    public struct Renewal: Sendable, Equatable {
        /// The run's sweep was cancelled: the holder should stop (checkpoint and release).
        public var sweepCancelled: Bool
        public init(sweepCancelled: Bool) { self.sweepCancelled = sweepCancelled }
    }

    /// Extends the lease of a run the worker holds; throws `leaseLost` otherwise.
    @discardableResult
    public func renewLease(runID: Int64, worker: WorkerID, leaseSeconds: Double, now: Double = Store.unixNow()) throws -> Renewal {
        try pool.write { db in
            try Store.updateHeld(db, runID: runID, worker: worker, set: "lease_expires_at = ?", [now + leaseSeconds])
            let cancelled = try Bool.fetchOne(db, sql: """
                SELECT s.cancelled_at IS NOT NULL FROM runs r JOIN sweeps s ON s.id = r.sweep_id WHERE r.id = ?
                """, arguments: [runID]) ?? false
            return Renewal(sweepCancelled: cancelled)
        }
    }

    /// Gives a running run back (status pending) because its holder stops without finishing it;
    /// with `retryAfter`, it is not claimed again before that many seconds (a store error).
    public func releaseRun(id: Int64, worker: WorkerID, retryAfter: Double? = nil, reason: String? = nil,
                           now: Double = Store.unixNow()) throws {
        try release(id: id, worker: worker, retryAfter: retryAfter, stalled: false, reason: reason, now: now)
    }

    /// `releaseRun` after the run's worker was killed before its next checkpoint, seen by its
    /// live scheduler: the run's stalls + 1 (a checkpoint resets them). Only such deaths count:
    /// a scheduler killed with its workers leaves the run to be reclaimed, stalls unchanged.
    public func releaseStalledRun(id: Int64, worker: WorkerID, reason: String, now: Double = Store.unixNow()) throws {
        try release(id: id, worker: worker, retryAfter: nil, stalled: true, reason: reason, now: now)
    }

    private func release(id: Int64, worker: WorkerID, retryAfter: Double?, stalled: Bool, reason: String?,
                         now: Double) throws {
        try pool.write { db in
            try Store.updateHeld(db, runID: id, worker: worker,
                                 set: "status = 'pending', worker = NULL, lease_expires_at = NULL, not_before = ?"
                                     + (stalled ? ", stalls = stalls + 1" : ""),
                                 [retryAfter.map { now + $0 }])
            if let run = try Store.fetchRun(db, id: id) {
                var message = "put back to pending by \(worker) at step \(run.stepsDone)"
                if let reason { message += ": \(reason)" }
                if let retryAfter { message += "; not retried for \(Int(retryAfter)) s" }
                try Store.logEvent(db, run: run, .released, worker: worker, now: now, message)
            }
        }
    }

    /// Puts back to pending every running run (of a sweep, or of the store) whose lease expired
    /// at `now`, or whose holder is a process of this host (`host`) that no longer exists.
    /// Returns the ids reclaimed.
    @discardableResult
    public func reclaimAbandonedRuns(sweepID: Int64? = nil, now: Double = Store.unixNow(),
                                     host: String = WorkerID.currentHost,
                                     isAlive: (Int32) -> Bool = WorkerID.isProcessAlive,
                                     isStopped: (Int32) -> Bool = WorkerID.isProcessStopped) throws -> [Int64] {
        try pool.write { db in
            var sql = "SELECT id, worker, lease_expires_at FROM runs WHERE status = 'running'"
            var args: StatementArguments = []
            if let sweepID { sql += " AND sweep_id = ?"; args += [sweepID] }
            var reclaimed: [Int64] = []
            for row in try Row.fetchAll(db, sql: sql, arguments: args) {
                let id: Int64 = row[0], holder: String = row[1], expires: Double = row[2]
                // A holder on this host is judged by its process, not by the clock: alive and
                // running, it keeps the run however far the wall clock jumped; stopped (SIGSTOP,
                // Ctrl-Z), it loses the run once the lease has expired; gone, at once. Holders on
                // other hosts are judged by their lease.
                let holderID = WorkerID(holder)
                let local = holderID?.host == host
                let dead = local && !isAlive(holderID!.pid)
                let expired = expires <= now
                let reclaim = local ? dead || (expired && isStopped(holderID!.pid)) : expired
                guard reclaim else { continue }
                try db.execute(sql: """
                    UPDATE runs SET status = 'pending', worker = NULL, lease_expires_at = NULL
                    WHERE id = ? AND status = 'running' AND worker = ?
                    """, arguments: [id, holder])
                if let run = try Store.fetchRun(db, id: id) {
                    try Store.logEvent(db, run: run, .reclaimed, worker: nil, now: now,
                                       "put back to pending: holder \(holder) \(dead ? "no longer exists" : local ? "is stopped and let its lease expire" : "let its lease expire")")
                }
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
        if db.changesCount == 0 { throw try notHeld(db, runID: runID, worker: worker) }
    }

    /// Why a write guarded by "the run is running and held by `worker`" changed nothing:
    /// `noSuchRun` or `leaseLost`.
    static func notHeld(_ db: Database, runID: Int64, worker: WorkerID) throws -> StoreError {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [runID]) != nil else {
            return .noSuchRun(id: runID)
        }
        return .leaseLost(runID: runID, worker: worker.description)
    }

    /// Appends a `run_events` row about `run` (at its current attempt and steps_done).
    static func logEvent(_ db: Database, run: RunRecord, _ kind: RunEvent.Kind, worker: WorkerID?, now: Double,
                         _ message: String) throws {
        try db.execute(sql: """
            INSERT INTO run_events (run_id, at, kind, worker, attempt, step, message) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run.id, Store.timestamp(now), kind.rawValue, worker?.description, run.attempts, run.stepsDone, message])
    }
}
