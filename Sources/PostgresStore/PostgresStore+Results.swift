import ExperimentStore
import Foundation
import PostgresNIO

/// What a worker records about the run it holds, and what readers read back (see
/// `Store+Results.swift` and `Store+Checkpoints.swift`: the rules are the same). Metrics go in
/// with one statement per write (arrays unnested by the server), each step with its checksum.
extension PostgresStore {
    public func appendMetrics(runID: Int64, worker: WorkerID, step: Int, metrics: [String: Double], leaseSeconds: Double,
                              now: Double) throws {
        let rows = [MetricRow(step: step, values: metrics)]
        try Store.checkFinite(runID: runID, rows)
        try write { tx in
            try updateHeld(tx, runID: runID, worker: worker, set: "steps_done = $3, lease_expires_at = $4",
                           [.int(Int64(step)), .double(now + leaseSeconds)])
            try insert(tx, runID: runID, rows)
        }
    }

    public func saveCheckpoint(runID: Int64, worker: WorkerID, step: Int, state: Data, format: Int, metrics: [MetricRow],
                               leaseSeconds: Double, release: Bool, reason: String?, platform: Platform?, now: Double) throws {
        try Store.checkFinite(runID: runID, metrics)
        let checksum = Checksum.text(state)
        try write { tx in
            try updateHeld(tx, runID: runID, worker: worker, set: "steps_done = $3, lease_expires_at = $4, stalls = 0",
                           [.int(Int64(step)), .double(now + leaseSeconds)])
            try insert(tx, runID: runID, metrics)
            try tx.execute("""
                INSERT INTO checkpoints (run_id, step, format, checksum, state, created_at, blas_kernel, cpu)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (run_id) DO UPDATE SET step = excluded.step, format = excluded.format,
                    checksum = excluded.checksum, state = excluded.state, created_at = excluded.created_at,
                    blas_kernel = excluded.blas_kernel, cpu = excluded.cpu
                """, [.int(runID), .int(Int64(step)), .int(Int64(format)), .text(checksum), .bytes(state),
                      .text(Store.timestamp(now)), (platform?.blasKernel).argument, (platform?.cpu).argument])
            if release {
                guard let run = try tx.record(RunRecord.self, """
                    UPDATE runs SET status = 'pending', worker = NULL, lease_expires_at = NULL WHERE id = $1 RETURNING *
                    """, [.int(runID)]) else { throw StoreError.noSuchRun(id: runID) }
                try logEvent(tx, run: run, .stopped, worker: worker, now: now,
                             "stopped by \(worker) at step \(step) with a checkpoint\(reason.map { " (\($0))" } ?? ""); back to pending")
            }
        }
    }

    public func checkpoint(runID: Int64) throws -> Checkpoint? {
        try read { tx in
            guard let row = try tx.query("""
                SELECT step, format, checksum, state, blas_kernel, cpu FROM checkpoints WHERE run_id = $1
                """, [.int(runID)]).first else { return nil }
            let (step, format, stored, state, kernel, cpu) = try row.decode((Int64, Int32, String, Data, String?, String?).self)
            guard Checksum.text(state) == stored else {
                throw StoreError.corruptCheckpoint(runID: runID, reason: "checksum \(Checksum.text(state)) ≠ stored \(stored)")
            }
            let platform = kernel.flatMap { kernel in cpu.map { Platform(blasKernel: kernel, cpu: $0) } }
            return Checkpoint(step: Int(step), format: Int(format), state: state, platform: platform)
        }
    }

    public func checkpointInfos() throws -> [CheckpointInfo] {
        try read { tx in
            try tx.records(CheckpointInfo.self, """
                SELECT run_id, step, format, length(state) AS bytes, created_at FROM checkpoints ORDER BY run_id
                """)
        }
    }

    public func discardCheckpoint(runID: Int64, worker: WorkerID, reason: String, now: Double) throws {
        try write { tx in
            let run = try updateHeld(tx, runID: runID, worker: worker, set: "steps_done = 0", [])
            try tx.execute("DELETE FROM checkpoints WHERE run_id = $1", [.int(runID)])
            try tx.execute("DELETE FROM metrics WHERE run_id = $1", [.int(runID)])
            try logEvent(tx, run: run, .checkpointDiscarded, worker: worker, now: now,
                         "checkpoint discarded (\(reason)); the run restarts from scratch")
        }
    }

    public func noteResumed(runID: Int64, worker: WorkerID, step: Int, bytes: Int, now: Double) throws {
        try write { tx in
            guard let run = try tx.run(id: runID) else { return }
            try logEvent(tx, run: run, .resumed, worker: worker, now: now, "resumed from its checkpoint at step \(step) (\(bytes) bytes)")
        }
    }

    public func finishRun(runID: Int64, worker: WorkerID, step: Int?, metrics: [MetricRow], wallSeconds: Double,
                          now: Double) throws {
        try Store.checkFinite(runID: runID, metrics)
        try write { tx in
            let run = try updateHeld(tx, runID: runID, worker: worker, set: """
                status = 'done', lease_expires_at = NULL, wall_seconds = $3, finished_at = $4, stalls = 0,
                steps_done = coalesce($5, steps_done)
                """, [.double(wallSeconds), .text(Store.timestamp(now)), step.map(Int64.init).argument])
            try insert(tx, runID: runID, metrics)
            try logEvent(tx, run: run, .done, worker: worker, now: now,
                         String(format: "done at step %lld (this attempt trained for %.1f s)", run.stepsDone, wallSeconds))
        }
    }

    public func markFailed(runID: Int64, worker: WorkerID, error: String, metrics: [MetricRow], lastGoodStep: Int?,
                           now: Double) throws {
        let finite = metrics.filter { $0.values.values.allSatisfy(\.isFinite) }
        try write { tx in
            let run = try updateHeld(tx, runID: runID, worker: worker, set: """
                status = 'failed', lease_expires_at = NULL, error = $3, finished_at = $4, last_good_step = $5,
                steps_done = coalesce($6, steps_done)
                """, [.text(error), .text(Store.timestamp(now)), lastGoodStep.map(Int64.init).argument,
                      finite.last.map { Int64($0.step) }.argument])
            try insert(tx, runID: runID, finite)
            try logEvent(tx, run: run, .failed, worker: worker, now: now, "failed: \(error)")
        }
    }

    /// Inserts the rows and each step's checksum (`Checksum.metrics`), two statements in all.
    func insert(_ tx: Transaction, runID: Int64, _ rows: [MetricRow]) throws {
        guard !rows.isEmpty else { return }
        var steps: [Int64] = [], keys: [String] = [], values: [Double] = [], checksumSteps: [Int64] = [], checksums: [Int64] = []
        for row in rows {
            for (key, value) in row.values {
                steps.append(Int64(row.step)); keys.append(key); values.append(value)
            }
            checksumSteps.append(Int64(row.step))
            checksums.append(Int64(Checksum.metrics(row.values.map { ($0.key, $0.value) })))
        }
        try tx.execute("""
            INSERT INTO metrics (run_id, step, key, value)
            SELECT $1, s, k, v FROM unnest($2::bigint[], $3::text[], $4::float8[]) AS t(s, k, v)
            """, [.int(runID), .ints(steps), .texts(keys), .doubles(values)])
        try tx.execute("""
            INSERT INTO metric_checksums (run_id, step, crc32c) SELECT $1, s, c FROM unnest($2::bigint[], $3::bigint[]) AS t(s, c)
            """, [.int(runID), .ints(checksumSteps), .ints(checksums)])
    }

    // MARK: Reading metrics

    public func metrics(runID: Int64) throws -> [MetricRecord] {
        try read { tx in
            let records = try metricRecords(tx, "SELECT run_id, step, key, value FROM metrics WHERE run_id = $1 ORDER BY key COLLATE \"C\", step",
                                            [.int(runID)])
            try verify(tx, runID: runID, records: records)
            return records
        }
    }

    public func sweepMetrics(sweepID: Int64) throws -> [(run: RunRecord, metrics: [MetricRecord])] {
        try read { tx in
            let runs = try tx.records(RunRecord.self, "SELECT * FROM runs WHERE sweep_id = $1 ORDER BY id", [.int(sweepID)])
            var byRun: [Int64: [MetricRecord]] = [:]
            for record in try metricRecords(tx, """
                SELECT m.run_id, m.step, m.key, m.value FROM metrics m JOIN runs r ON r.id = m.run_id
                WHERE r.sweep_id = $1 ORDER BY m.run_id, m.key COLLATE "C", m.step
                """, [.int(sweepID)]) {
                byRun[record.runID, default: []].append(record)
            }
            var sums: [Int64: [Int64: Int64]] = [:]
            for row in try tx.query("""
                SELECT c.run_id, c.step, c.crc32c FROM metric_checksums c JOIN runs r ON r.id = c.run_id WHERE r.sweep_id = $1
                """, [.int(sweepID)]) {
                let (run, step, crc) = try row.decode((Int64, Int64, Int64).self)
                sums[run, default: [:]][step] = crc
            }
            return try runs.compactMap { run in
                guard let records = byRun[run.id] else { return nil }
                try Checksum.verify(runID: run.id, records: records, checksums: sums[run.id] ?? [:])
                return (run, records)
            }
        }
    }

    public func lastMetric(runID: Int64, key: String) throws -> MetricRecord? {
        try read { tx in
            guard let record = try metricRecords(tx, """
                SELECT run_id, step, key, value FROM metrics WHERE run_id = $1 AND key = $2 ORDER BY step DESC LIMIT 1
                """, [.int(runID), .text(key)]).first else { return nil }
            try verify(tx, runID: runID, step: record.step)
            return record
        }
    }

    public func finalValues(sweepID: Int64, key: String) throws -> [(run: RunRecord, value: Double?)] {
        try values(sweepID: sweepID, key: key, order: "step DESC")
    }

    public func bestValues(sweepID: Int64, key: String) throws -> [(run: RunRecord, value: Double?)] {
        try values(sweepID: sweepID, key: key, order: "value DESC, step")
    }

    private func values(sweepID: Int64, key: String, order: String) throws -> [(run: RunRecord, value: Double?)] {
        try read { tx in
            let runs = try tx.records(RunRecord.self, "SELECT * FROM runs WHERE sweep_id = $1 AND status = 'done' ORDER BY id",
                                      [.int(sweepID)])
            return try runs.map { run in
                guard let row = try tx.query("SELECT step, value FROM metrics WHERE run_id = $1 AND key = $2 ORDER BY \(order) LIMIT 1",
                                             [.int(run.id), .text(key)]).first else { return (run, nil) }
                let (step, value) = try row.decode((Int64, Double).self)
                try verify(tx, runID: run.id, step: step)
                return (run, value)
            }
        }
    }

    private func metricRecords(_ tx: Transaction, _ sql: String, _ arguments: [Argument]) throws -> [MetricRecord] {
        try tx.query(sql, arguments).map { row in
            let (run, step, key, value) = try row.decode((Int64, Int64, String, Double).self)
            return MetricRecord(runID: run, step: step, key: key, value: value)
        }
    }

    /// `corruptMetrics` unless every stored checksum of the run (or of its step `only`) matches
    /// `records`, which hold all of the run's rows at those steps.
    private func verify(_ tx: Transaction, runID: Int64, records: [MetricRecord], only: Int64? = nil) throws {
        var sums: [Int64: Int64] = [:]
        for row in try tx.query("SELECT step, crc32c FROM metric_checksums WHERE run_id = $1 AND ($2::bigint IS NULL OR step = $2)",
                                [.int(runID), only.argument]) {
            let (step, crc) = try row.decode((Int64, Int64).self)
            sums[step] = crc
        }
        try Checksum.verify(runID: runID, records: records, checksums: sums)
    }

    private func verify(_ tx: Transaction, runID: Int64, step: Int64) throws {
        let rows = try metricRecords(tx, "SELECT run_id, step, key, value FROM metrics WHERE run_id = $1 AND step = $2",
                                     [.int(runID), .int(step)])
        try verify(tx, runID: runID, records: rows, only: step)
    }
}
