import ExperimentStore
import Foundation

/// Retry, cancellation, events, attempts and the registry of schedulers (see `Store+Control.swift`
/// and `Store+Platform.swift`: the rules are the same).
extension PostgresStore {
    public func retry(runID: Int64, now: Double) throws -> RunRecord {
        try write { tx in
            guard let run = try tx.record(RunRecord.self, "SELECT * FROM runs WHERE id = $1 FOR UPDATE", [.int(runID)]) else {
                throw StoreError.noSuchRun(id: runID)
            }
            guard run.status == .failed else { throw StoreError.runNotRetryable(id: runID, status: run.status) }
            return try requeue(tx, run, now: now)
        }
    }

    public func retryFailed(sweepID: Int64?, now: Double) throws -> [RunRecord] {
        try write { tx in
            try tx.records(RunRecord.self, """
                SELECT * FROM runs WHERE status = 'failed' AND ($1::bigint IS NULL OR sweep_id = $1) ORDER BY id FOR UPDATE
                """, [sweepID.argument]).map { try requeue(tx, $0, now: now) }
        }
    }

    private func requeue(_ tx: Transaction, _ run: RunRecord, now: Double) throws -> RunRecord {
        try tx.execute("DELETE FROM metrics WHERE run_id = $1", [.int(run.id)])
        guard let updated = try tx.record(RunRecord.self, """
            UPDATE runs SET status = 'pending', error = NULL, finished_at = NULL, wall_seconds = NULL, last_good_step = NULL,
                            steps_done = 0, stalls = 0, not_before = NULL, worker = NULL, lease_expires_at = NULL
            WHERE id = $1 RETURNING *
            """, [.int(run.id)]) else { throw StoreError.noSuchRun(id: run.id) }
        try logEvent(tx, run: updated, .retried, worker: nil, now: now,
                     "re-queued by retry (was failed: \(run.error ?? "no reason")); restarts from scratch")
        return updated
    }

    public func cancelSweep(id: Int64, now: Double) throws -> SweepRecord {
        try write { tx in
            guard let sweep = try tx.record(SweepRecord.self, """
                UPDATE sweeps SET cancelled_at = coalesce(cancelled_at, $1) WHERE id = $2 RETURNING *
                """, [.text(Store.timestamp(now)), .int(id)]) else {
                let names = try tx.query("SELECT name FROM sweeps ORDER BY id").map { try $0.first!.decode(String.self) }
                throw StoreError.noSuchSweep(name: "#\(id)", stored: names)
            }
            return sweep
        }
    }

    public func resumeSweep(id: Int64) throws -> Bool {
        try write { tx in
            try tx.execute("UPDATE sweeps SET cancelled_at = NULL WHERE id = $1 AND cancelled_at IS NOT NULL", [.int(id)]) > 0
        }
    }

    public func cancelledSweepIDs() throws -> Set<Int64> {
        try read { tx in
            Set(try tx.query("SELECT id FROM sweeps WHERE cancelled_at IS NOT NULL").map { try $0.first!.decode(Int64.self) })
        }
    }

    public func events(runID: Int64) throws -> [RunEvent] {
        try read { tx in try tx.records(RunEvent.self, "SELECT * FROM run_events WHERE run_id = $1 ORDER BY id", [.int(runID)]) }
    }

    public func recordAttempt(runID: Int64, worker: WorkerID, platform: Platform, now: Double) throws {
        try write { tx in
            let changed = try tx.execute("""
                INSERT INTO run_attempts (run_id, attempt, worker, blas_kernel, cpu, started_at)
                SELECT id, attempts, $1, $2, $3, $4 FROM runs WHERE id = $5 AND status = 'running' AND worker = $1
                ON CONFLICT (run_id, attempt) DO UPDATE SET worker = excluded.worker, blas_kernel = excluded.blas_kernel,
                    cpu = excluded.cpu, started_at = excluded.started_at
                """, [.text(worker.description), .text(platform.blasKernel), .text(platform.cpu), .text(Store.timestamp(now)),
                      .int(runID)])
            if changed == 0 { throw try notHeld(tx, runID: runID, worker: worker) }
        }
    }

    public func attempts(runID: Int64) throws -> [RunAttempt] {
        try read { tx in try tx.records(RunAttempt.self, "SELECT * FROM run_attempts WHERE run_id = $1 ORDER BY attempt", [.int(runID)]) }
    }

    public func notePlatformChanged(runID: Int64, worker: WorkerID, step: Int, from old: Platform, to new: Platform,
                                    now: Double) throws {
        try write { tx in
            guard let run = try tx.run(id: runID) else { return }
            try logEvent(tx, run: run, .platformChanged, worker: worker, now: now,
                         Store.platformChangeMessage(step: step, from: old, to: new))
        }
    }

    public func announceScheduler(_ worker: WorkerID, kind: SchedulerRecord.Kind, sweepID: Int64?, workers: Int,
                                  now: Double) throws {
        try write { tx in
            try tx.execute("""
                INSERT INTO schedulers (worker, kind, sweep_id, workers, started_at, seen_at) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (worker) DO UPDATE SET seen_at = excluded.seen_at
                """, [.text(worker.description), .text(kind.rawValue), sweepID.argument, .int(Int64(workers)),
                      .text(Store.timestamp(now)), .double(now)])
            try tx.execute("DELETE FROM schedulers WHERE seen_at < $1", [.double(now - 86_400)])
        }
    }

    public func retireScheduler(_ worker: WorkerID) throws {
        _ = try write { tx in try tx.execute("DELETE FROM schedulers WHERE worker = $1", [.text(worker.description)]) }
    }

    public func liveSchedulers(now: Double) throws -> [SchedulerRecord] {
        let host = WorkerID.currentHost
        return try read { tx in
            try tx.records(SchedulerRecord.self, "SELECT * FROM schedulers WHERE seen_at >= $1 ORDER BY started_at", [.double(now - 30)])
        }.filter { record in WorkerID(record.worker).map { $0.host != host || WorkerID.isProcessAlive($0.pid) } ?? false }
    }
}
