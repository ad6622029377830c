@testable import ExperimentStore
import Foundation
import GRDB
import Testing
@testable import Report

/// `--score final|best|eval|best-eval` and the collapse mark (issue 12), by hand on small stores.
@Suite struct ScoreRuleTests {
    func insert(_ f: StoreFixture, run: Int64, _ key: String, _ series: [(Int, Double)]) throws {
        try f.store.pool.write { db in
            for (step, v) in series {
                try db.execute(sql: "INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, ?, ?)",
                               arguments: [run, step, key, v])
            }
        }
    }

    func table(_ f: StoreFixture, _ rule: ScoreRule) throws -> (Table1, [Int64]) {
        let choice = try Table1.chooseSweep(named: nil, in: f.store)
        return try Table1.load(from: f.store, sweep: choice, rule: rule)
    }

    @Test func eachRuleReadsItsValue() throws {
        let f = try StoreFixture()
        let sweep = try f.sweep("rules", createdAt: "2025-01-01T00:00:00.000Z")
        let a = try f.run(sweep: sweep, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 0,
                          scores: [(1000, -300), (2000, -100), (3000, -200)])
        try insert(f, run: a, "eval_return", [(2000, -90), (3000, -250)])
        let b = try f.run(sweep: sweep, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 1,
                          scores: [(1000, -500), (3000, -400), (2000, -450)])
        let expected: [(ScoreRule, [Double], [Int64])] = [
            (.final, [-200, -400], []), (.best, [-100, -400], []), (.eval, [-250], [b]), (.bestEval, [-90], [b]),
        ]
        for (rule, scores, unscored) in expected {
            let (t, missing) = try table(f, rule)
            #expect(t.cells.first?.scores == scores, "\(rule)")
            #expect(missing == unscored, "\(rule)")
            #expect(t.render(.term).contains("score: \(rule.rawValue)\n"))
            #expect(t.render(.md).contains("Score = \(rule.text)."))
            #expect(t.render(.json).contains("\"score_rule\": \"\(rule.rawValue)\""))
        }
    }

    @Test func aCollapsedRunIsMarkedAndNamed() throws {
        let f = try StoreFixture()
        let sweep = try f.sweep("collapse", createdAt: "2025-01-01T00:00:00.000Z")
        let healthy = try f.run(sweep: sweep, method: "MCPO", param: "N", value: 5, env: "Pendulum", seed: 0,
                                scores: [(1, -1300), (2, -400), (3, -160), (4, -150)])
        try insert(f, run: healthy, "mean_out_of_bounds", [(1, 0.1), (2, 0.2), (3, 0.6), (4, 0.62)])
        try insert(f, run: healthy, "log_std", [(1, 0), (2, -0.3), (3, -0.6), (4, -0.7)])
        let collapsed = try f.run(sweep: sweep, method: "MCPO", param: "N", value: 5, env: "Pendulum", seed: 1,
                                  scores: [(1, -1300), (2, -300), (3, -700), (4, -1100)])
        try insert(f, run: collapsed, "mean_out_of_bounds", [(1, 0.1), (2, 0.2), (3, 0.95), (4, 0.4)])
        try insert(f, run: collapsed, "log_std", [(1, 0), (2, -0.4), (3, -1.6), (4, -1.5)])
        #expect(try f.store.collapseSignature(runID: healthy) == nil)
        let signature = try #require(try f.store.collapseSignature(runID: collapsed))
        #expect(signature.description
                == "collapse after step 2 (its best score): action means out of bounds 0.10 at the start, 0.95 at most after; log σ -0.40 → -1.60; score -300.0 → -1100.0 at the end")
        let (t, _) = try table(f, .final)
        let cell = try #require(t.cells.first)
        #expect(cell.scores == [-150, -1100])  // averaged in, but marked
        #expect(cell.flagged == [Table1.Flag(runID: collapsed, seed: 1, why: signature.description)])
        #expect(t.render(.term).contains("(n=2) †"))
        #expect(t.render(.term).contains("run \(collapsed) (MCPO N=5, Pendulum, seed 1): collapse after step 2"))
        #expect(t.render(.csv).hasSuffix(",\(collapsed)\n"))
        #expect(t.render(.json).contains("\"flagged\": [{\"run\": \(collapsed), \"seed\": 1, \"why\": "))
        #expect(t.render(.latex).contains("$^\\dagger$"))
        // A dashboard reads the flags from the sweep's metrics it already holds: the same marks.
        let preloaded = Dictionary(uniqueKeysWithValues: try f.store.sweepMetrics(sweepID: sweep).map { ($0.run.id, $0.metrics) })
        let choice = try Table1.chooseSweep(named: "collapse", in: f.store)
        let (fromCache, _) = try Table1.load(from: f.store, sweep: choice, rule: .final, metrics: preloaded)
        #expect(fromCache == t)
        // A return that sank while the means stayed as far out of bounds as at the start is not it.
        let sank = try f.run(sweep: sweep, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 2,
                             scores: [(1, -1300), (2, -300), (3, -1100)])
        try insert(f, run: sank, "mean_out_of_bounds", [(1, 0.5), (2, 0.6), (3, 0.7)])
        try insert(f, run: sank, "log_std", [(1, 0), (2, -0.4), (3, -1.6)])
        #expect(try f.store.collapseSignature(runID: sank) == nil)
    }
}
