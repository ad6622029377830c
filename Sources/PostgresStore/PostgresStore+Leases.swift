import ExperimentStore
import Foundation

/// Claiming, holding and giving back runs (see `Store+Leases.swift` for the rules, which are the
/// same). A claim locks the run it takes (`FOR UPDATE SKIP LOCKED`): claimers on other hosts
/// skip it and take the next one.
extension PostgresStore {
    public func claimNextRun(sweepID: Int64?, worker: WorkerID, leaseSeconds: Double, now: Double) throws -> RunRecord? {
        try write { tx in
            guard let id = try tx.value(Int64.self, """
                SELECT r.id FROM runs r JOIN sweeps s ON s.id = r.sweep_id
                WHERE r.status = 'pending' AND s.cancelled_at IS NULL AND (r.not_before IS NULL OR r.not_before <= $1)
                  AND ($2::bigint IS NULL OR r.sweep_id = $2)
                ORDER BY r.id LIMIT 1 FOR UPDATE OF r SKIP LOCKED
                """, [.double(now), sweepID.argument]) else { return nil }
            return try start(tx, runID: id, worker: worker, leaseSeconds: leaseSeconds, now: now)
        }
    }

    public func claimRun(id: Int64, worker: WorkerID, leaseSeconds: Double, now: Double) throws -> RunRecord {
        try write { tx in
            guard let status = try tx.value(String.self, "SELECT status FROM runs WHERE id = $1 FOR UPDATE", [.int(id)]) else {
                throw StoreError.noSuchRun(id: id)
            }
            guard status == RunStatus.pending.rawValue else {
                throw StoreError.runNotClaimable(id: id, status: RunStatus(rawValue: status) ?? .running)
            }
            return try start(tx, runID: id, worker: worker, leaseSeconds: leaseSeconds, now: now)
        }
    }

    /// The claim of a locked pending run: it continues from its checkpoint (metrics after it are
    /// deleted), or from scratch.
    private func start(_ tx: Transaction, runID: Int64, worker: WorkerID, leaseSeconds: Double, now: Double) throws -> RunRecord {
        let resumeStep = try tx.value(Int64.self, "SELECT step FROM checkpoints WHERE run_id = $1", [.int(runID)])
        try tx.execute("DELETE FROM metrics WHERE run_id = $1 AND step > $2", [.int(runID), .int(resumeStep ?? -1)])
        guard let run = try tx.record(RunRecord.self, """
            UPDATE runs SET status = 'running', worker = $1, lease_expires_at = $2, attempts = attempts + 1,
                            not_before = NULL, started_at = $3, steps_done = $4,
                            finished_at = NULL, wall_seconds = NULL, error = NULL
            WHERE id = $5 AND status = 'pending' RETURNING *
            """, [.text(worker.description), .double(now + leaseSeconds), .text(Store.timestamp(now)), .int(resumeStep ?? 0),
                  .int(runID)]) else { throw StoreError.noSuchRun(id: runID) }
        try logEvent(tx, run: run, .claimed, worker: worker, now: now, resumeStep.map {
            "claimed by \(worker) (attempt \(run.attempts)); continues from its checkpoint at step \($0)"
        } ?? "claimed by \(worker) (attempt \(run.attempts)); starts from scratch")
        return run
    }

    public func adoptRun(id: Int64, from: WorkerID, to: WorkerID, leaseSeconds: Double, now: Double) throws -> RunRecord {
        try write { tx in
            try updateHeld(tx, runID: id, worker: from, set: "worker = $3, lease_expires_at = $4",
                           [.text(to.description), .double(now + leaseSeconds)])
        }
    }

    public func renewLease(runID: Int64, worker: WorkerID, leaseSeconds: Double, now: Double) throws -> Store.Renewal {
        try write { tx in
            try updateHeld(tx, runID: runID, worker: worker, set: "lease_expires_at = $3", [.double(now + leaseSeconds)])
            let cancelled = try tx.value(Bool.self, """
                SELECT s.cancelled_at IS NOT NULL FROM runs r JOIN sweeps s ON s.id = r.sweep_id WHERE r.id = $1
                """, [.int(runID)]) ?? false
            return Store.Renewal(sweepCancelled: cancelled)
        }
    }

    public func releaseRun(id: Int64, worker: WorkerID, retryAfter: Double?, reason: String?, now: Double) throws {
        try release(id: id, worker: worker, retryAfter: retryAfter, stalled: false, reason: reason, now: now)
    }

    public func releaseStalledRun(id: Int64, worker: WorkerID, reason: String, now: Double) throws {
        try release(id: id, worker: worker, retryAfter: nil, stalled: true, reason: reason, now: now)
    }

    private func release(id: Int64, worker: WorkerID, retryAfter: Double?, stalled: Bool, reason: String?, now: Double) throws {
        try write { tx in
            let run = try updateHeld(tx, runID: id, worker: worker,
                                     set: "status = 'pending', worker = NULL, lease_expires_at = NULL, not_before = $3"
                                         + (stalled ? ", stalls = stalls + 1" : ""),
                                     [retryAfter.map { now + $0 }.argument])
            var message = "put back to pending by \(worker) at step \(run.stepsDone)"
            if let reason { message += ": \(reason)" }
            if let retryAfter { message += "; not retried for \(Int(retryAfter)) s" }
            try logEvent(tx, run: run, .released, worker: worker, now: now, message)
        }
    }

    public func reclaimAbandonedRuns(sweepID: Int64?, now: Double, host: String, isAlive: (Int32) -> Bool,
                                     isStopped: (Int32) -> Bool) throws -> [Int64] {
        try write { tx in
            var reclaimed: [Int64] = []
            for row in try tx.query("""
                SELECT id, worker, lease_expires_at FROM runs WHERE status = 'running' AND ($1::bigint IS NULL OR sweep_id = $1)
                ORDER BY id
                """, [sweepID.argument]) {
                let (id, holder, expires) = try row.decode((Int64, String, Double).self)
                // As on SQLite: a holder on this host is judged by its process, others by their lease.
                let holderID = WorkerID(holder)
                let local = holderID?.host == host
                let dead = local && !isAlive(holderID!.pid)
                let expired = expires <= now
                guard local ? dead || (expired && isStopped(holderID!.pid)) : expired else { continue }
                guard let run = try tx.record(RunRecord.self, """
                    UPDATE runs SET status = 'pending', worker = NULL, lease_expires_at = NULL
                    WHERE id = $1 AND status = 'running' AND worker = $2 RETURNING *
                    """, [.int(id), .text(holder)]) else { continue }   // renewed or ended meanwhile
                try logEvent(tx, run: run, .reclaimed, worker: nil, now: now,
                             "put back to pending: holder \(holder) \(dead ? "no longer exists" : local ? "is stopped and let its lease expire" : "let its lease expire")")
                reclaimed.append(id)
            }
            return reclaimed
        }
    }

    /// `UPDATE runs SET <set> WHERE id = $1 AND status = 'running' AND worker = $2 RETURNING *`
    /// (`set` numbers its arguments from $3): the run as updated, or `leaseLost`/`noSuchRun`
    /// (rolling the transaction back) when the worker does not hold it.
    @discardableResult
    func updateHeld(_ tx: Transaction, runID: Int64, worker: WorkerID, set: String, _ values: [Argument]) throws -> RunRecord {
        if let run = try tx.record(RunRecord.self, "UPDATE runs SET \(set) WHERE id = $1 AND status = 'running' AND worker = $2 RETURNING *",
                                   [.int(runID), .text(worker.description)] + values) {
            return run
        }
        throw try notHeld(tx, runID: runID, worker: worker)
    }

    func notHeld(_ tx: Transaction, runID: Int64, worker: WorkerID) throws -> StoreError {
        guard try tx.value(Int32.self, "SELECT 1 FROM runs WHERE id = $1", [.int(runID)]) != nil else { return .noSuchRun(id: runID) }
        return .leaseLost(runID: runID, worker: worker.description)
    }

    func logEvent(_ tx: Transaction, run: RunRecord, _ kind: RunEvent.Kind, worker: WorkerID?, now: Double, _ message: String) throws {
        try tx.execute("""
            INSERT INTO run_events (run_id, at, kind, worker, attempt, step, message) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [.int(run.id), .text(Store.timestamp(now)), .text(kind.rawValue), (worker?.description).argument,
                  .int(Int64(run.attempts)), .int(run.stepsDone), .text(message)])
    }
}
