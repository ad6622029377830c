import ExperimentStore
import Foundation

/// Sweeps and their runs: storing, extending, reading. See `Store+Sweeps.swift` for the rules,
/// which are the same.
extension PostgresStore {
    public func insertSweep(_ sweep: NewSweep, runs: [NewRun], now: Double) throws -> SweepInsertion {
        try write { tx in
            try lockName(tx, sweep.name)
            if let existing = try checkSweep(tx, sweep, runs: runs) { return .unchanged(sweepID: existing.id) }
            return try insertNew(tx, sweep, runs: runs, now: now)
        }
    }

    public func extendSweep(_ sweep: NewSweep, runs: [NewRun], now: Double) throws -> SweepInsertion {
        try write { tx in
            try lockName(tx, sweep.name)
            guard let (existing, added) = try checkExtension(tx, sweep, runs: runs) else {
                return try insertNew(tx, sweep, runs: runs, now: now)
            }
            if added.isEmpty && existing.specHash == sweep.specHash && existing.specJSON == sweep.specJSON {
                return .unchanged(sweepID: existing.id)
            }
            try tx.execute("UPDATE sweeps SET spec_json = $1, spec_hash = $2 WHERE id = $3",
                           [.text(sweep.specJSON), .text(sweep.specHash), .int(existing.id)])
            try insertRuns(tx, sweepID: existing.id, added, createdAt: Store.timestamp(now))
            return .extended(sweepID: existing.id, added: added.count)
        }
    }

    public func checkSweep(_ sweep: NewSweep, runs: [NewRun]) throws -> SweepRecord? {
        try read { tx in try checkSweep(tx, sweep, runs: runs) }
    }

    public func checkExtension(_ sweep: NewSweep, runs: [NewRun]) throws -> (SweepRecord, [NewRun])? {
        try read { tx in try checkExtension(tx, sweep, runs: runs) }
    }

    /// Two processes storing a sweep of one name at once: the second waits for the first.
    private func lockName(_ tx: Transaction, _ name: String) throws {
        try tx.execute("SELECT pg_advisory_xact_lock(7132, hashtext($1))", [.text(name)])
    }

    private func insertNew(_ tx: Transaction, _ sweep: NewSweep, runs: [NewRun], now: Double) throws -> SweepInsertion {
        let createdAt = Store.timestamp(now)
        guard let id = try tx.value(Int64.self, """
            INSERT INTO sweeps (name, spec_json, spec_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id
            """, [.text(sweep.name), .text(sweep.specJSON), .text(sweep.specHash), .text(createdAt)]) else {
            throw StoreError.refused(path: path, reason: "the sweep was not inserted")
        }
        try insertRuns(tx, sweepID: id, runs, createdAt: createdAt)
        return .inserted(sweepID: id, runs: runs.count)
    }

    private func insertRuns(_ tx: Transaction, sweepID: Int64, _ runs: [NewRun], createdAt: String) throws {
        for run in runs {
            try tx.execute("""
                INSERT INTO runs (sweep_id, config_json, config_hash, method, param, value, env, seed, steps, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """, [.int(sweepID), .text(run.configJSON), .text(run.configHash), .text(run.method), run.param.argument,
                      run.value.argument, .text(run.env), .int(Int64(bitPattern: run.seed)), .int(Int64(run.steps)),
                      .text(createdAt)])
        }
    }

    private func checkExtension(_ tx: Transaction, _ sweep: NewSweep, runs: [NewRun]) throws -> (SweepRecord, [NewRun])? {
        guard let existing = try tx.sweep(named: sweep.name) else { return nil }
        let stored = try tx.records(RunRecord.self, "SELECT * FROM runs WHERE sweep_id = $1 ORDER BY id", [.int(existing.id)])
        return (existing, try SweepComparison.runsToAdd(sweep, runs: runs, existing: existing, stored: stored))
    }

    private func checkSweep(_ tx: Transaction, _ sweep: NewSweep, runs: [NewRun]) throws -> SweepRecord? {
        guard let existing = try tx.sweep(named: sweep.name) else { return nil }
        let stored = Set(try tx.query("SELECT config_hash FROM runs WHERE sweep_id = $1", [.int(existing.id)])
            .map { try $0.first!.decode(String.self) })
        try SweepComparison.checkUnchanged(sweep, runs: runs, existing: existing, storedHashes: stored)
        return existing
    }

    public func sweeps() throws -> [SweepRecord] {
        try read { tx in try tx.records(SweepRecord.self, "SELECT * FROM sweeps ORDER BY id") }
    }

    public func sweep(named name: String) throws -> SweepRecord? {
        try read { tx in try tx.sweep(named: name) }
    }

    public func sweep(id: Int64) throws -> SweepRecord? {
        try read { tx in try tx.record(SweepRecord.self, "SELECT * FROM sweeps WHERE id = $1", [.int(id)]) }
    }

    public func run(id: Int64) throws -> RunRecord? {
        try read { tx in try tx.run(id: id) }
    }

    public func runs(sweepID: Int64?, status: RunStatus?) throws -> [RunRecord] {
        try read { tx in
            try tx.records(RunRecord.self, """
                SELECT * FROM runs WHERE ($1::bigint IS NULL OR sweep_id = $1) AND ($2::text IS NULL OR status = $2) ORDER BY id
                """, [sweepID.argument, (status?.rawValue).argument])
        }
    }

    public func runIDRange() throws -> ClosedRange<Int64>? {
        try read { tx in
            guard let row = try tx.query("SELECT min(id), max(id) FROM runs").first else { return nil }
            let (low, high) = try row.decode((Int64?, Int64?).self)
            guard let low, let high else { return nil }
            return low...high
        }
    }

    public func statusCounts(sweepID: Int64?) throws -> StatusCounts {
        try read { tx in
            StatusCounts(groups: try tx.query("""
                SELECT status, count(*), coalesce(sum(steps), 0)::float8, coalesce(sum(steps_done), 0)::float8 FROM runs
                WHERE $1::bigint IS NULL OR sweep_id = $1 GROUP BY status
                """, [sweepID.argument]).map { row in
                let (status, n, steps, done) = try row.decode((String, Int64, Double, Double).self)
                return (status: status, runs: Int(n), steps: steps, stepsDone: done)
            })
        }
    }
}
