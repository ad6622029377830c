import Foundation
import GRDB

/// A run's checkpoint: written by the holder together with the metrics it covers, read back
/// when the run is claimed again.
extension Store {
    /// Fault injection for tests: called inside every checkpoint transaction just before it
    /// commits (the fault-injection test stops the worker there and kills it).
    nonisolated(unsafe) public static var beforeCheckpointCommit: (() -> Void)?

    /// In one transaction, unless `worker` no longer holds the run (`leaseLost`, nothing
    /// written): inserts `metrics` (the iterations since the last checkpoint, all at steps ≤
    /// `step`), sets steps_done = `step`, renews the lease, resets the run's stalls, and replaces
    /// its checkpoint with `state`. With `release`, the run then goes back to pending (the
    /// holder stops, for `reason`). `platform` is the writer's (see `Platform`). Throws
    /// `nonFiniteMetric` (writing nothing) for NaN or infinity.
    public func saveCheckpoint(runID: Int64, worker: WorkerID, step: Int, state: Data, format: Int,
                               metrics: [MetricRow], leaseSeconds: Double, release: Bool = false,
                               reason: String? = nil, platform: Platform? = nil, now: Double = Store.unixNow()) throws {
        try Store.checkFinite(runID: runID, metrics)
        let checksum = Checksum.text(state)
        try pool.write { db in
            try Store.updateHeld(db, runID: runID, worker: worker,
                                 set: "steps_done = ?, lease_expires_at = ?, stalls = 0", [step, now + leaseSeconds])
            try Store.insert(db, runID: runID, metrics)
            try db.execute(sql: """
                INSERT INTO checkpoints (run_id, step, format, checksum, state, created_at, blas_kernel, cpu)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id) DO UPDATE SET step = excluded.step, format = excluded.format,
                    checksum = excluded.checksum, state = excluded.state, created_at = excluded.created_at,
                    blas_kernel = excluded.blas_kernel, cpu = excluded.cpu
                """, arguments: [runID, step, format, checksum, state, Store.timestamp(now), platform?.blasKernel, platform?.cpu])
            if release {
                try db.execute(sql: "UPDATE runs SET status = 'pending', worker = NULL, lease_expires_at = NULL WHERE id = ?",
                               arguments: [runID])
                if let run = try Store.fetchRun(db, id: runID) {
                    try Store.logEvent(db, run: run, .stopped, worker: worker, now: now,
                                       "stopped by \(worker) at step \(step) with a checkpoint\(reason.map { " (\($0))" } ?? ""); back to pending")
                }
            }
            Store.beforeCheckpointCommit?()
        }
    }

    /// The run's checkpoint, its bytes checked against their checksum (`corruptCheckpoint`
    /// when they do not match); nil when it has none.
    public func checkpoint(runID: Int64) throws -> Checkpoint? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM checkpoints WHERE run_id = ?",
                                             arguments: [runID]) else { return nil }
            let state: Data = row["state"]
            let stored: String = row["checksum"]
            guard stored.hasPrefix("crc32c:") else {
                throw StoreError.corruptCheckpoint(runID: runID, reason: "written by an older mcpo (checksum \(stored)), not readable here")
            }
            guard Checksum.text(state) == stored else {
                throw StoreError.corruptCheckpoint(runID: runID, reason: "checksum \(Checksum.text(state)) ≠ stored \(stored)")
            }
            let kernel: String? = row["blas_kernel"], cpu: String? = row["cpu"]
            let platform = kernel.flatMap { kernel in cpu.map { Platform(blasKernel: kernel, cpu: $0) } }
            return Checkpoint(step: row["step"], format: row["format"], state: state, platform: platform)
        }
    }

    /// Checkpoint facts without the state bytes, for every run that has one.
    public func checkpointInfos() throws -> [CheckpointInfo] {
        try pool.read { db in
            guard try db.tableExists("checkpoints") else { return [] }
            return try CheckpointInfo.fetchAll(db, sql: """
                SELECT run_id, step, format, length(state) AS bytes, created_at FROM checkpoints ORDER BY run_id
                """)
        }
    }

    /// The holder found the checkpoint unusable (damaged, or of another format): it is deleted
    /// with every metric of the run, which restarts from scratch. Throws `leaseLost` unless
    /// `worker` holds the run.
    public func discardCheckpoint(runID: Int64, worker: WorkerID, reason: String, now: Double = Store.unixNow()) throws {
        try pool.write { db in
            try Store.updateHeld(db, runID: runID, worker: worker, set: "steps_done = 0", [])
            try db.execute(sql: "DELETE FROM checkpoints WHERE run_id = ?", arguments: [runID])
            try db.execute(sql: "DELETE FROM metrics WHERE run_id = ?", arguments: [runID])
            if let run = try Store.fetchRun(db, id: runID) {
                try Store.logEvent(db, run: run, .checkpointDiscarded, worker: worker, now: now,
                                   "checkpoint discarded (\(reason)); the run restarts from scratch")
            }
        }
    }

    /// Records that the holder resumed the run from its checkpoint (for `logs`).
    public func noteResumed(runID: Int64, worker: WorkerID, step: Int, bytes: Int, now: Double = Store.unixNow()) throws {
        try pool.write { db in
            guard let run = try Store.fetchRun(db, id: runID) else { return }
            try Store.logEvent(db, run: run, .resumed, worker: worker, now: now,
                               "resumed from its checkpoint at step \(step) (\(bytes) bytes)")
        }
    }

    /// Throws `nonFiniteMetric` for the first NaN or infinity of `rows` (keys in order).
    public static func checkFinite(runID: Int64, _ rows: [MetricRow]) throws {
        for row in rows {
            if let bad = row.values.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
                throw StoreError.nonFiniteMetric(runID: runID, key: bad.key, step: row.step, value: bad.value)
            }
        }
    }

    /// Inserts the rows with each step's checksum (`Checksum.metrics`).
    static func insert(_ db: Database, runID: Int64, _ rows: [MetricRow]) throws {
        guard !rows.isEmpty else { return }
        let insert = try db.cachedStatement(sql: "INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, ?, ?)")
        let checksum = try db.cachedStatement(sql: "INSERT INTO metric_checksums (run_id, step, crc32c) VALUES (?, ?, ?)")
        for row in rows {
            for (key, value) in row.values {
                try insert.execute(arguments: [runID, row.step, key, value])
            }
            try checksum.execute(arguments: [runID, row.step, Int64(Checksum.metrics(row.values.map { ($0.key, $0.value) }))])
        }
    }

    /// Throws `StoreError.corruptMetrics` unless every stored checksum of the run (or of its
    /// steps `only`) matches `records`, which hold all of the run's rows at those steps; steps
    /// without a checksum (written before migration 4, or an older store read-only) pass.
    static func verify(_ db: Database, runID: Int64, records: [MetricRecord], only: Int64? = nil) throws {
        guard try db.tableExists("metric_checksums") else { return }
        var sql = "SELECT step, crc32c FROM metric_checksums WHERE run_id = ?"
        var arguments: StatementArguments = [runID]
        if let only { sql += " AND step = ?"; arguments += [only] }
        var sums: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) { sums[row[0]] = row[1] }
        try Checksum.verify(runID: runID, records: records, checksums: sums)
    }

    /// `verify` for one step of the run, reading its rows.
    static func verify(_ db: Database, runID: Int64, step: Int64) throws {
        let rows = try MetricRecord.fetchAll(db, sql: "SELECT * FROM metrics WHERE run_id = ? AND step = ?",
                                             arguments: [runID, step])
        try verify(db, runID: runID, records: rows, only: step)
    }
}
