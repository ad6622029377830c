@testable import ExperimentStore
import Foundation
import GRDB
import Trainer

/// The config JSON of a run of MCPO's chosen defaults with `extra` options: what a sweep stores.
func mcpoConfigJSON(N: Int, extra: [String: String] = [:]) -> String {
    let choices = MethodCatalog.method(named: "MCPO")!.recommended.merging(extra) { _, new in new }
    let data = try! JSONSerialization.data(withJSONObject: ["method": "MCPO", "params": ["N": N], "choices": choices],
                                           options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// A throw-away store in a temporary directory, filled with plain SQL (so these tests depend on
/// the schema only, not on the store's write API).
final class StoreFixture {
    let directory: URL
    let path: String
    let store: Store

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mcpo-report-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("test.sqlite").path
        store = try Store(path: path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func sweep(_ name: String, createdAt: String) throws -> Int64 {
        try store.pool.write { db in
            try db.execute(
                sql: "INSERT INTO sweeps (name, spec_json, spec_hash, created_at) VALUES (?, '{}', ?, ?)",
                arguments: [name, "hash-\(name)", createdAt])
            return db.lastInsertedRowID
        }
    }

    /// Inserts a run with its `score` metric at each (step, value); returns its id.
    @discardableResult
    func run(sweep: Int64, method: String, param: String?, value: Double?, env: String, seed: Int,
             status: String = "done", scores: [(step: Int, value: Double)], extra: [String: Double] = [:],
             configJSON: String = "{}") throws -> Int64 {
        // An MCPO run as a sweep stores it today names the chosen defaults.
        let configJSON = method == "MCPO" && configJSON == "{}" ? mcpoConfigJSON(N: Int(value ?? 10)) : configJSON
        return try store.pool.write { db in
            let hash = "\(method)|\(param ?? "")|\(value.map { "\($0)" } ?? "")|\(env)|\(seed)|\(configJSON)"
            let running = status == "running"
            let finished = status == "done" || status == "failed"
            try db.execute(
                sql: """
                    INSERT INTO runs (sweep_id, config_json, config_hash, method, param, value, env, seed, steps,
                                      status, worker, lease_expires_at, created_at, started_at, finished_at, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1000000, ?, ?, ?, '2025-01-01T00:00:00Z', ?, ?, ?)
                    """,
                arguments: [sweep, configJSON, hash, method, param, value, env, seed, status,
                            running ? "host:1" : nil, running ? 1e12 : nil,
                            status == "pending" ? nil : "2025-01-01T00:00:01Z",
                            finished ? "2025-01-01T01:00:00Z" : nil,
                            status == "failed" ? "diverged" : nil])
            let id = db.lastInsertedRowID
            for (step, v) in scores {
                try db.execute(sql: "INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, 'score', ?)",
                               arguments: [id, step, v])
                for (key, x) in extra {
                    try db.execute(sql: "INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, ?, ?)",
                                   arguments: [id, step, key, x])
                }
            }
            return id
        }
    }

    /// The standard small sweep used by the rendering tests (see `expected` in Table1StoreTests).
    /// `reversed` inserts the same rows in the opposite order (different run ids, same content).
    static func standard(reversed: Bool = false) throws -> StoreFixture {
        let f = try StoreFixture()
        let id = try f.sweep("small", createdAt: "2025-01-01T00:00:00.000Z")
        var inserts: [() throws -> Void] = []
        // PPO clip 0.2 on Pendulum: seeds 0, 1, 2 final scores −150, −160, −170 (the earlier steps
        // hold better values that must be ignored; steps are inserted out of order).
        for (seed, final) in [(0, -150.0), (1, -160.0), (2, -170.0)] {
            inserts.append {
                try f.run(sweep: id, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: seed,
                          scores: [(4000, final), (2000, 999), (1000, -1200)], extra: ["entropy": 1])
            }
        }
        // PPO clip 0.1 on Pendulum: −148, −158 → −153 ± 7.07 (d vs best = 3 / sqrt(250/3) = 0.33: underlined).
        for (seed, final) in [(0, -148.0), (1, -158.0)] {
            inserts.append {
                try f.run(sweep: id, method: "PPO", param: "clip", value: 0.1, env: "Pendulum", seed: seed,
                          scores: [(1000, -800), (2000, final)])
            }
        }
        // MCPO N 5 on Pendulum: −140, −150, −160 → −150 ± 10 (best).
        for (seed, final) in [(0, -140.0), (1, -150.0), (2, -160.0)] {
            inserts.append {
                try f.run(sweep: id, method: "MCPO", param: "N", value: 5, env: "Pendulum", seed: seed,
                          scores: [(2000, final)])
            }
        }
        // A failed MCPO run with a huge score, and a running one: both ignored.
        inserts.append {
            try f.run(sweep: id, method: "MCPO", param: "N", value: 5, env: "Pendulum", seed: 3, status: "failed",
                      scores: [(2000, 10_000)])
        }
        inserts.append {
            try f.run(sweep: id, method: "MCPO", param: "N", value: 5, env: "Pendulum", seed: 4, status: "running",
                      scores: [(1000, 10_000)])
        }
        // LunarLander: PPO clip 0.2 single seed 250; MCPO N 5 two seeds 240, 260 → 250 ± 14.14 (tie).
        inserts.append {
            try f.run(sweep: id, method: "PPO", param: "clip", value: 0.2, env: "LunarLander", seed: 0,
                      scores: [(5000, 250)])
        }
        for (seed, final) in [(0, 240.0), (1, 260.0)] {
            inserts.append {
                try f.run(sweep: id, method: "MCPO", param: "N", value: 5, env: "LunarLander", seed: seed,
                          scores: [(5000, final)])
            }
        }
        for insert in reversed ? inserts.reversed() : inserts { try insert() }
        return f
    }
}
