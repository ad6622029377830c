@testable import ExperimentStore
import Foundation
import GRDB

/// A store in a fresh temporary directory, deleted with the value.
final class TemporaryStore {
    let directory: URL
    let path: String
    let store: Store

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mcpo-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("store.sqlite").path
        store = try Store(path: path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Inserts a sweep named `name` with `count` runs (seeds 0..<count) and returns its id.
    @discardableResult
    func sweep(_ name: String = "s", runs count: Int = 3, steps: Int = 1000) throws -> Int64 {
        try store.insertSweep(Fixtures.sweep(name), runs: Fixtures.runs(count, steps: steps)).sweepID
    }

    /// Creates `name` in the directory as a store of only the first `migrations` migrations,
    /// holding sweep 1 with run 1 (and what `extra` SQL inserts); returns its path.
    func olderStore(_ name: String, migrations: Int, extra: String = "") throws -> String {
        let path = directory.appendingPathComponent(name).path
        let queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all.prefix(migrations) {
            migrator.registerMigration(migration.id) { db in try db.execute(sql: migration.sql) }
        }
        try migrator.migrate(queue)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO sweeps (id, name, spec_json, spec_hash, created_at) VALUES (1, 's', '{}', 'h', 'now');
                INSERT INTO runs (id, sweep_id, config_json, config_hash, method, env, seed, steps, created_at)
                    VALUES (1, 1, '{}', 'c', 'PPO', 'Pendulum', 0, 100, 'now');
                """ + extra)
        }
        return path
    }

    func count(_ sql: String) throws -> Int {
        try store.pool.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}

enum Fixtures {
    static func sweep(_ name: String, spec: String = #"{"methods":{"PPO":{"clip":[0.1,0.2]}},"seeds":[0,1,2]}"#) -> NewSweep {
        NewSweep(name: name, specJSON: spec, specHash: "hash:" + spec)
    }

    static func runs(_ count: Int, steps: Int = 1000) -> [NewRun] {
        (0..<count).map { seed in
            NewRun(configJSON: #"{"seed":\#(seed)}"#, configHash: "h\(seed)", method: "PPO", param: "clip", value: 0.2,
                   env: "Pendulum", seed: UInt64(seed), steps: steps)
        }
    }

    static let worker = WorkerID(host: "test-host", pid: 1234)
    static let other = WorkerID(host: "test-host", pid: 5678)
}
