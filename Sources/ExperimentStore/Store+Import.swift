import Foundation
import GRDB

/// Runs copied in from another store (`mcpo-sweep copy`).
extension Store {
    public func importFinishedRun(into runID: Int64, from run: RunRecord, metrics: [MetricRecord], events: [RunEvent],
                                  attempts: [RunAttempt]) throws {
        guard run.status == .done || run.status == .failed else { throw StoreError.runNotClaimable(id: run.id, status: run.status) }
        try Store.checkFinite(runID: runID, Store.rows(metrics))
        try pool.write { db in
            guard let target = try Store.fetchRun(db, id: runID) else { throw StoreError.noSuchRun(id: runID) }
            guard target.status == .pending || target.status == .failed else {
                throw StoreError.runNotClaimable(id: runID, status: target.status)
            }
            for table in ["checkpoints", "metrics", "run_events", "run_attempts"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ?", arguments: [runID])
            }
            try db.execute(sql: """
                UPDATE runs SET status = ?, attempts = ?, worker = NULL, lease_expires_at = NULL, steps_done = ?,
                                wall_seconds = ?, started_at = ?, finished_at = ?, error = ?, stalls = ?, last_good_step = ?,
                                not_before = NULL
                WHERE id = ?
                """, arguments: [run.status.rawValue, run.attempts, run.stepsDone, run.wallSeconds, run.startedAt,
                                 run.finishedAt, run.error, run.stalls ?? 0, run.lastGoodStep, runID])
            try Store.insert(db, runID: runID, Store.rows(metrics))
            for e in events {
                try db.execute(sql: """
                    INSERT INTO run_events (run_id, at, kind, worker, attempt, step, message) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [runID, e.at, e.kind.rawValue, e.worker, e.attempt, e.step, e.message])
            }
            for a in attempts {
                try db.execute(sql: """
                    INSERT INTO run_attempts (run_id, attempt, worker, blas_kernel, cpu, started_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [runID, a.attempt, a.worker, a.blasKernel, a.cpu, a.startedAt])
            }
        }
    }

    /// Metric records (any order) as one row per step, steps ascending.
    public static func rows(_ records: [MetricRecord]) -> [MetricRow] {
        var steps: [Int64: [String: Double]] = [:]
        for r in records { steps[r.step, default: [:]][r.key] = r.value }
        return steps.keys.sorted().map { MetricRow(step: Int($0), values: steps[$0]!) }
    }
}
