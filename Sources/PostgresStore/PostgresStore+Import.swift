import ExperimentStore
import Foundation

/// Runs copied in from another store (`mcpo-sweep copy`); the rules are `Store+Import.swift`'s.
extension PostgresStore {
    public func importFinishedRun(into runID: Int64, from run: RunRecord, metrics: [MetricRecord], events: [RunEvent],
                                  attempts: [RunAttempt]) throws {
        guard run.status == .done || run.status == .failed else { throw StoreError.runNotClaimable(id: run.id, status: run.status) }
        let rows = Store.rows(metrics)
        try Store.checkFinite(runID: runID, rows)
        try write { tx in
            guard let target = try tx.record(RunRecord.self, "SELECT * FROM runs WHERE id = $1 FOR UPDATE", [.int(runID)]) else {
                throw StoreError.noSuchRun(id: runID)
            }
            guard target.status == .pending || target.status == .failed else {
                throw StoreError.runNotClaimable(id: runID, status: target.status)
            }
            for table in ["checkpoints", "metrics", "run_events", "run_attempts"] {
                try tx.execute("DELETE FROM \(table) WHERE run_id = $1", [.int(runID)])
            }
            try tx.execute("""
                UPDATE runs SET status = $2, attempts = $3, worker = NULL, lease_expires_at = NULL, steps_done = $4,
                                wall_seconds = $5, started_at = $6, finished_at = $7, error = $8, stalls = $9, last_good_step = $10,
                                not_before = NULL
                WHERE id = $1
                """, [.int(runID), .text(run.status.rawValue), .int(Int64(run.attempts)), .int(run.stepsDone),
                      run.wallSeconds.argument, run.startedAt.argument, run.finishedAt.argument, run.error.argument,
                      .int(Int64(run.stalls ?? 0)), run.lastGoodStep.argument])
            try insert(tx, runID: runID, rows)
            for e in events {
                try tx.execute("""
                    INSERT INTO run_events (run_id, at, kind, worker, attempt, step, message) VALUES ($1, $2, $3, $4, $5, $6, $7)
                    """, [.int(runID), .text(e.at), .text(e.kind.rawValue), e.worker.argument, .int(Int64(e.attempt)),
                          .int(e.step), .text(e.message)])
            }
            for a in attempts {
                try tx.execute("""
                    INSERT INTO run_attempts (run_id, attempt, worker, blas_kernel, cpu, started_at) VALUES ($1, $2, $3, $4, $5, $6)
                    """, [.int(runID), .int(Int64(a.attempt)), .text(a.worker), .text(a.blasKernel), .text(a.cpu), .text(a.startedAt)])
            }
        }
    }
}
