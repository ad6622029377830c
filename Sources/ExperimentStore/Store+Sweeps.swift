import Foundation
import GRDB

extension Store {
    /// Inserts a sweep and its runs (all pending) in one transaction, idempotently:
    /// - no sweep of that name: inserts the sweep and every run → `.inserted`;
    /// - same name, same spec hash and the same set of run hashes: writes nothing → `.unchanged`;
    /// - same name, anything else: writes nothing and throws `StoreError.sweepChanged` naming
    ///   what changed.
    @discardableResult
    public func insertSweep(_ sweep: NewSweep, runs: [NewRun], now: Double = Store.unixNow()) throws -> SweepInsertion {
        try pool.write { db in
            if let existing = try Store.checkSweep(db, sweep, runs: runs) { return .unchanged(sweepID: existing.id) }
            return try insertNew(db, sweep, runs: runs, now: now)
        }
    }

    private func insertNew(_ db: Database, _ sweep: NewSweep, runs: [NewRun], now: Double) throws -> SweepInsertion {
        let createdAt = Store.timestamp(now)
        try db.execute(sql: "INSERT INTO sweeps (name, spec_json, spec_hash, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [sweep.name, sweep.specJSON, sweep.specHash, createdAt])
        let sweepID = db.lastInsertedRowID
        try insertRuns(db, sweepID: sweepID, runs, createdAt: createdAt)
        return .inserted(sweepID: sweepID, runs: runs.count)
    }

    private func insertRuns(_ db: Database, sweepID: Int64, _ runs: [NewRun], createdAt: String) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO runs (sweep_id, config_json, config_hash, method, param, value, env, seed, steps, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for run in runs {
            try insert.execute(arguments: [sweepID, run.configJSON, run.configHash, run.method, run.param, run.value,
                                           run.env, Int64(bitPattern: run.seed), run.steps, createdAt])
        }
    }

    /// Stores an edited sweep file under its existing name by adding the runs it expands to that
    /// are not stored yet (more seeds, grid values, environments or methods), and its new spec,
    /// in one transaction. Every stored run must still be in the expansion: otherwise nothing is
    /// written and `StoreError.cannotExtend` names a run that would be dropped. A sweep not
    /// stored yet is inserted; an unchanged one is left as it is.
    @discardableResult
    public func extendSweep(_ sweep: NewSweep, runs: [NewRun], now: Double = Store.unixNow()) throws -> SweepInsertion {
        try pool.write { db in
            guard let (existing, added) = try Store.checkExtension(db, sweep, runs: runs) else {
                return try insertNew(db, sweep, runs: runs, now: now)
            }
            if added.isEmpty && existing.specHash == sweep.specHash && existing.specJSON == sweep.specJSON {
                return .unchanged(sweepID: existing.id)
            }
            try db.execute(sql: "UPDATE sweeps SET spec_json = ?, spec_hash = ? WHERE id = ?",
                           arguments: [sweep.specJSON, sweep.specHash, existing.id])
            try insertRuns(db, sweepID: existing.id, added, createdAt: Store.timestamp(now))
            return .extended(sweepID: existing.id, added: added.count)
        }
    }

    /// For `extendSweep`: nil when no sweep has that name; otherwise the stored sweep and the
    /// runs to add, or `cannotExtend` when a stored run is not in `runs`. Reads only, so it runs
    /// on a read-only handle first.
    public func checkExtension(_ sweep: NewSweep, runs: [NewRun]) throws -> (SweepRecord, [NewRun])? {
        try pool.read { db in try Store.checkExtension(db, sweep, runs: runs) }
    }

    /// Compares `sweep` with the stored sweep of the same name: nil when there is none, the
    /// stored record when it has the same spec and the same runs, `StoreError.sweepChanged`
    /// (naming what changed) otherwise. Reads only, so it runs on a read-only handle first.
    public func checkSweep(_ sweep: NewSweep, runs: [NewRun]) throws -> SweepRecord? {
        try pool.read { db in try Store.checkSweep(db, sweep, runs: runs) }
    }

    static func checkExtension(_ db: Database, _ sweep: NewSweep, runs: [NewRun]) throws -> (SweepRecord, [NewRun])? {
        guard let existing = try fetchSweep(db, named: sweep.name) else { return nil }
        let stored = try RunRecord.fetchAll(db, sql: "SELECT * FROM runs WHERE sweep_id = ? ORDER BY id", arguments: [existing.id])
        return (existing, try SweepComparison.runsToAdd(sweep, runs: runs, existing: existing, stored: stored))
    }

    static func checkSweep(_ db: Database, _ sweep: NewSweep, runs: [NewRun]) throws -> SweepRecord? {
        guard let existing = try fetchSweep(db, named: sweep.name) else { return nil }
        let stored = Set(try String.fetchAll(db, sql: "SELECT config_hash FROM runs WHERE sweep_id = ?", arguments: [existing.id]))
        try SweepComparison.checkUnchanged(sweep, runs: runs, existing: existing, storedHashes: stored)
        return existing
    }

    static func fetchSweep(_ db: Database, named name: String) throws -> SweepRecord? {
        try SweepRecord.fetchOne(db, sql: "SELECT * FROM sweeps WHERE name = ?", arguments: [name])
    }

    /// Every sweep, oldest first (by id, which follows creation).
    static func fetchSweeps(_ db: Database) throws -> [SweepRecord] {
        try SweepRecord.fetchAll(db, sql: "SELECT * FROM sweeps ORDER BY id")
    }

    static func fetchRun(_ db: Database, id: Int64) throws -> RunRecord? {
        try RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id])
    }

    public func sweep(id: Int64) throws -> SweepRecord? {
        try pool.read { db in try SweepRecord.fetchOne(db, sql: "SELECT * FROM sweeps WHERE id = ?", arguments: [id]) }
    }

    public func sweep(named name: String) throws -> SweepRecord? {
        try pool.read { db in try Store.fetchSweep(db, named: name) }
    }

    public func sweeps() throws -> [SweepRecord] {
        try pool.read { db in try Store.fetchSweeps(db) }
    }

    public func run(id: Int64) throws -> RunRecord? {
        try pool.read { db in try Store.fetchRun(db, id: id) }
    }

    /// The smallest and largest run id; nil when the store has no runs.
    public func runIDRange() throws -> ClosedRange<Int64>? {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT MIN(id), MAX(id) FROM runs")
            guard let low = row?[0] as Int64?, let high = row?[1] as Int64? else { return nil }
            return low...high
        }
    }

    /// The runs of one sweep (or of the store), in insertion order, optionally of one status.
    public func runs(sweepID: Int64? = nil, status: RunStatus? = nil) throws -> [RunRecord] {
        try pool.read { db in
            var sql = "SELECT * FROM runs WHERE 1"
            var args: StatementArguments = []
            if let sweepID { sql += " AND sweep_id = ?"; args += [sweepID] }
            if let status { sql += " AND status = ?"; args += [status.rawValue] }
            return try RunRecord.fetchAll(db, sql: sql + " ORDER BY id", arguments: args)
        }
    }

    /// A run's metrics ordered by key then step, each step checked against its checksum
    /// (`corruptMetrics`).
    public func metrics(runID: Int64) throws -> [MetricRecord] {
        try pool.read { db in
            var records: [MetricRecord] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT step, key, value FROM metrics WHERE run_id = ? ORDER BY key, step",
                                           arguments: [runID])
            while let row = try rows.next() { records.append(MetricRecord(runID: runID, step: row[0], key: row[1], value: row[2])) }
            try Store.verify(db, runID: runID, records: records)
            return records
        }
    }

    public func sweepMetrics(sweepID: Int64) throws -> [(run: RunRecord, metrics: [MetricRecord])] {
        try pool.read { db in
            let runs = try RunRecord.fetchAll(db, sql: "SELECT * FROM runs WHERE sweep_id = ? ORDER BY id", arguments: [sweepID])
            var byRun: [Int64: [MetricRecord]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT m.run_id, m.step, m.key, m.value FROM metrics m JOIN runs r ON r.id = m.run_id
                WHERE r.sweep_id = ? ORDER BY m.run_id, m.key, m.step
                """, arguments: [sweepID])
            while let row = try rows.next() {
                byRun[row[0], default: []].append(MetricRecord(runID: row[0], step: row[1], key: row[2], value: row[3]))
            }
            return try runs.compactMap { run in
                guard let records = byRun[run.id] else { return nil }
                try Store.verify(db, runID: run.id, records: records)
                return (run, records)
            }
        }
    }

    /// The value of metric `key` at the run's largest step that has it (its step checked against
    /// its checksum); nil when it has none.
    public func lastMetric(runID: Int64, key: String) throws -> MetricRecord? {
        try pool.read { db in
            let record = try MetricRecord.fetchOne(
                db, sql: "SELECT * FROM metrics WHERE run_id = ? AND key = ? ORDER BY step DESC LIMIT 1", arguments: [runID, key])
            if let record { try Store.verify(db, runID: runID, step: record.step) }
            return record
        }
    }

    /// Every done run of the sweep with the value of metric `key` at its largest step (nil when
    /// it never recorded one), in run order, read in one snapshot.
    public func finalValues(sweepID: Int64, key: String) throws -> [(run: RunRecord, value: Double?)] {
        try values(sweepID: sweepID, key: key, order: "step DESC")
    }

    /// Every done run of the sweep with its largest value of metric `key` (its step checked
    /// against its checksum; the earliest such step on ties), nil when it never recorded one.
    public func bestValues(sweepID: Int64, key: String) throws -> [(run: RunRecord, value: Double?)] {
        try values(sweepID: sweepID, key: key, order: "value DESC, step")
    }

    private func values(sweepID: Int64, key: String, order: String) throws -> [(run: RunRecord, value: Double?)] {
        try pool.read { db in
            let runs = try RunRecord.fetchAll(db, sql: "SELECT * FROM runs WHERE sweep_id = ? AND status = 'done' ORDER BY id",
                                              arguments: [sweepID])
            let last = try db.cachedStatement(sql: "SELECT step, value FROM metrics WHERE run_id = ? AND key = ? ORDER BY \(order) LIMIT 1")
            return try runs.map { run in
                guard let row = try Row.fetchOne(last, arguments: [run.id, key]) else { return (run, nil) }
                try Store.verify(db, runID: run.id, step: row[0] as Int64)
                return (run, row[1] as Double)
            }
        }
    }

    /// Runs per status and step totals, for one sweep or the whole store.
    public func statusCounts(sweepID: Int64? = nil) throws -> StatusCounts {
        try pool.read { db in try Store.fetchStatusCounts(db, sweepID: sweepID) }
    }

    static func fetchStatusCounts(_ db: Database, sweepID: Int64? = nil) throws -> StatusCounts {
        var sql = "SELECT status, COUNT(*), TOTAL(steps), TOTAL(steps_done) FROM runs"
        var args: StatementArguments = []
        if let sweepID { sql += " WHERE sweep_id = ?"; args += [sweepID] }
        return StatusCounts(groups: try Row.fetchAll(db, sql: sql + " GROUP BY status", arguments: args).map {
            (status: $0[0], runs: $0[1], steps: $0[2], stepsDone: $0[3])
        })
    }
}
