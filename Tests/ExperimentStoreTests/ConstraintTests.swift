@testable import ExperimentStore
import Foundation
import GRDB
import Testing

/// The invariants are enforced by SQL itself, whatever code writes to the store.
@Suite struct ConstraintTests {
    /// Runs `sql` and returns the extended result code it fails with (nil if it succeeds).
    func failure(_ t: TemporaryStore, _ sql: String, _ arguments: StatementArguments = []) -> ResultCode? {
        do {
            try t.store.pool.write { db in try db.execute(sql: sql, arguments: arguments) }
            return nil
        } catch let error as DatabaseError {
            return error.extendedResultCode
        } catch {
            return .SQLITE_ERROR
        }
    }

    let insertRun = """
        INSERT INTO runs (sweep_id, config_json, config_hash, method, param, value, env, seed, steps, status,
                          worker, lease_expires_at, started_at, finished_at, error, created_at)
        VALUES (?, '{}', ?, 'PPO', 'clip', 0.2, 'Pendulum', ?, ?, ?, ?, ?, ?, ?, ?, 'now')
        """

    func run(_ t: TemporaryStore, sweep: Int64, hash: String = "x", seed: Int = 0, steps: Int = 10, status: String = "pending",
             worker: String? = nil, lease: Double? = nil, started: String? = nil, finished: String? = nil,
             error: String? = nil) -> ResultCode? {
        failure(t, insertRun, [sweep, hash, seed, steps, status, worker, lease, started, finished, error])
    }

    @Test func sweepNamesAreUniqueAndNonEmpty() throws {
        let t = try TemporaryStore()
        try t.sweep("a")
        let insert = "INSERT INTO sweeps (name, spec_json, spec_hash, created_at) VALUES (?, '{}', 'h', 'now')"
        #expect(failure(t, insert, ["a"]) == .SQLITE_CONSTRAINT_UNIQUE)
        #expect(failure(t, insert, [""]) == .SQLITE_CONSTRAINT_CHECK)
        #expect(failure(t, insert, [nil as String?]) == .SQLITE_CONSTRAINT_NOTNULL)
        #expect(failure(t, insert, ["b"]) == nil)
    }

    @Test func runsBelongToAnExistingSweepAndAreUniquePerSweep() throws {
        let t = try TemporaryStore()
        let id = try t.sweep("a", runs: 0)
        #expect(run(t, sweep: id + 100) == .SQLITE_CONSTRAINT_FOREIGNKEY)
        #expect(run(t, sweep: id, hash: "x") == nil)
        #expect(run(t, sweep: id, hash: "x") == .SQLITE_CONSTRAINT_UNIQUE)
        let other = try t.sweep("b", runs: 0)
        #expect(run(t, sweep: other, hash: "x") == nil)   // unique per sweep only
    }

    @Test func runColumnsAreChecked() throws {
        let t = try TemporaryStore()
        let id = try t.sweep("a", runs: 0)
        #expect(run(t, sweep: id, hash: "1", seed: -1) == .SQLITE_CONSTRAINT_CHECK)
        #expect(run(t, sweep: id, hash: "2", steps: 0) == .SQLITE_CONSTRAINT_CHECK)
        #expect(run(t, sweep: id, hash: "3", status: "paused") == .SQLITE_CONSTRAINT_CHECK)
        #expect(run(t, sweep: id, hash: "4", status: "running") == .SQLITE_CONSTRAINT_CHECK)   // no holder, no lease
        #expect(run(t, sweep: id, hash: "5", status: "running", worker: "h:1", lease: 1, started: "now") == nil)
        #expect(run(t, sweep: id, hash: "6", status: "done") == .SQLITE_CONSTRAINT_CHECK)      // no finished_at
        #expect(run(t, sweep: id, hash: "7", status: "failed", finished: "now") == .SQLITE_CONSTRAINT_CHECK) // no error
        #expect(failure(t, "UPDATE runs SET attempts = -1") == .SQLITE_CONSTRAINT_CHECK)
        #expect(failure(t, "UPDATE runs SET param = NULL") == .SQLITE_CONSTRAINT_CHECK)       // param and value go together
    }

    @Test func metricsAreUniquePerRunKeyStepAndFollowTheirRun() throws {
        let t = try TemporaryStore()
        let id = try t.sweep("a", runs: 1)
        let runID = try #require(try t.store.runs(sweepID: id).first?.id)
        let insert = "INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, ?, ?)"
        #expect(failure(t, insert, [runID, 10, "score", 1.0]) == nil)
        #expect(failure(t, insert, [runID, 10, "score", 2.0]) == .SQLITE_CONSTRAINT_PRIMARYKEY)
        #expect(failure(t, insert, [runID + 100, 10, "score", 1.0]) == .SQLITE_CONSTRAINT_FOREIGNKEY)
        #expect(failure(t, insert, [runID, -1, "score", 1.0]) == .SQLITE_CONSTRAINT_CHECK)
        #expect(failure(t, insert, [runID, 20, "score", nil as Double?]) == .SQLITE_CONSTRAINT_NOTNULL)
        // Deleting a sweep deletes its runs and their metrics.
        #expect(failure(t, "DELETE FROM sweeps") == nil)
        #expect(try t.count("SELECT COUNT(*) FROM runs") == 0)
        #expect(try t.count("SELECT COUNT(*) FROM metrics") == 0)
    }
}
