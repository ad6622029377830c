import ExperimentStore
import Foundation
import GRDB

/// Reading Table 1 out of the experiment store (read-only queries, one snapshot).
extension Table1 {
    /// The metric key holding a run's score (written by the trainer once per iteration).
    public static let scoreKey = "score"

    /// Which sweep a report reads, and why.
    public struct SweepChoice: Equatable, Sendable {
        public var id: Int64
        public var name: String
        /// Every sweep in the store, oldest first.
        public var all: [String]
        /// True when the caller named it; false when chosen by default.
        public var explicit: Bool

        /// A line for standard error when the sweep was chosen by default.
        public var notice: String? {
            guard !explicit else { return nil }
            if all.count == 1 { return "using sweep '\(name)' (the store's only sweep)" }
            return "using sweep '\(name)', the most recently created of \(all.count) (\(all.map { "'\($0)'" }.joined(separator: ", "))); pass --sweep NAME to choose"
        }
    }

    /// Opens an existing store; never creates one (a report only reads).
    public static func openStore(path: String) throws -> Store {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ReportError.noStore(path: path)
        }
        return try Store(path: path)
    }

    /// `name` if given (it must exist); otherwise the store's only sweep, or else the most
    /// recently created one.
    public static func chooseSweep(named name: String?, in store: Store) throws -> SweepChoice {
        let sweeps = try store.pool.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT id, name FROM sweeps ORDER BY created_at, id")
                .map { (id: $0["id"] as Int64, name: $0["name"] as String) }
        }
        let names = sweeps.map(\.name)
        if let name {
            guard let found = sweeps.first(where: { $0.name == name }) else {
                throw ReportError.unknownSweep(name: name, existing: names)
            }
            return SweepChoice(id: found.id, name: found.name, all: names, explicit: true)
        }
        guard let latest = sweeps.last else { throw ReportError.noSweeps(path: store.path) }
        return SweepChoice(id: latest.id, name: latest.name, all: names, explicit: false)
    }

    /// Every finished run of the sweep with its score: the `score` metric at the run's largest
    /// step. Runs that are not 'done' are ignored; a 'done' run without any score is returned in
    /// `unscored` (the caller may warn about it).
    public static func runScores(sweepID: Int64, in store: Store) throws
        -> (scores: [RunScore], unscored: [Int64], counts: [String: Int])
    {
        try store.pool.read { db in
            let rows = try GRDB.Row.fetchAll(db, sql: """
                SELECT r.id, r.method, r.param, r.value, r.env, r.seed, r.config_hash, r.config_json,
                       (SELECT m.value FROM metrics m
                         WHERE m.run_id = r.id AND m.key = ?
                         ORDER BY m.step DESC LIMIT 1) AS score
                  FROM runs r
                 WHERE r.sweep_id = ? AND r.status = 'done'
                 ORDER BY r.id
                """, arguments: [scoreKey, sweepID])
            var scores: [RunScore] = []
            var unscored: [Int64] = []
            for r in rows {
                guard let score = r["score"] as Double? else {
                    unscored.append(r["id"])
                    continue
                }
                scores.append(RunScore(
                    row: Table1.Row(method: r["method"], param: r["param"], value: r["value"],
                                    variant: Table1.Row.variant(of: Self.choices(ofConfigJSON: r["config_json"]))),
                    env: r["env"], seed: r["seed"], identity: r["config_hash"], score: score))
            }
            var counts: [String: Int] = [:]
            for r in try GRDB.Row.fetchAll(
                db, sql: "SELECT status, COUNT(*) AS n FROM runs WHERE sweep_id = ? GROUP BY status",
                arguments: [sweepID])
            {
                counts[r["status"]] = r["n"]
            }
            return (scores, unscored, counts)
        }
    }

    /// Loads the table of one sweep. Throws `emptySweep` when no finished run has a score.
    public static func load(
        from store: Store, sweep: SweepChoice, reference: ReferenceTable? = nil
    ) throws -> (table: Table1, unscored: [Int64]) {
        let (scores, unscored, counts) = try runScores(sweepID: sweep.id, in: store)
        guard !scores.isEmpty else { throw ReportError.emptySweep(name: sweep.name, counts: counts) }
        return (Table1(sweep: sweep.name, scores: scores, reference: reference), unscored)
    }

    /// The string options of a stored run config (`"choices"`; empty when absent or unreadable).
    static func choices(ofConfigJSON json: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let choices = object["choices"] as? [String: String] else { return [:] }
        return choices
    }
}
