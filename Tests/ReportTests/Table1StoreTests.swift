import ExperimentStore
import Foundation
import Testing
@testable import Report

@Suite struct Table1StoreTests {
    func load(_ f: StoreFixture, sweep: String? = nil, reference: ReferenceTable? = nil) throws -> Table1 {
        let choice = try Table1.chooseSweep(named: sweep, in: f.store)
        return try Table1.load(from: f.store, sweep: choice, reference: reference).table
    }

    @Test func cellsFromLastStepOfFinishedRuns() throws {
        let f = try StoreFixture.standard()
        let t = try load(f)
        let ppo01 = Table1.Row(method: "PPO", param: "clip", value: 0.1)
        let ppo02 = Table1.Row(method: "PPO", param: "clip", value: 0.2)
        let mcpo5 = Table1.Row(method: "MCPO", param: "N", value: 5)
        #expect(t.rows == [ppo01, ppo02, mcpo5])
        #expect(t.envs == ["Pendulum", "LunarLander"])

        // Last-step rule: −150, −160, −170 (not 999 at step 2000, nor −1200 at step 1000).
        let a = try #require(t.cell(ppo02, "Pendulum"))
        #expect(a.scores == [-150, -160, -170])
        #expect(a.summary == Statistics.Summary(mean: -160, std: 10, n: 3))
        #expect(!a.bold && !a.underline && a.mark.d == 1)

        // The failed (10 000) and running runs of MCPO are ignored: n = 3.
        let best = try #require(t.cell(mcpo5, "Pendulum"))
        #expect(best.summary == Statistics.Summary(mean: -150, std: 10, n: 3))
        #expect(best.bold && !best.underline)

        let near = try #require(t.cell(ppo01, "Pendulum"))
        #expect(near.mean == -153 && near.n == 2)
        #expect(abs(near.std - 50.0.squareRoot()) < 1e-12)
        #expect(!near.bold && near.underline)
        #expect(abs(near.mark.d - 3 / (250.0 / 3).squareRoot()) < 1e-12)

        // LunarLander: a tie between n = 1 (250 ± 0) and n = 2 (250 ± 14.14): both bold.
        #expect(t.cell(ppo01, "LunarLander") == nil)
        let single = try #require(t.cell(ppo02, "LunarLander"))
        #expect(single.summary == Statistics.Summary(mean: 250, std: 0, n: 1) && single.bold)
        #expect(try #require(t.cell(mcpo5, "LunarLander")).bold)
    }

    @Test func runsThatDifferInAStringOptionAreSeparateRows() throws {
        let f = try StoreFixture()
        let sweep = try f.sweep("ablation", createdAt: "2025-01-01T00:00:00Z")
        let plain = mcpoConfigJSON(N: 10)
        let noPsi = mcpoConfigJSON(N: 10, extra: ["ablation": "no_psi"])
        let two = mcpoConfigJSON(N: 10, extra: ["write_every": "iteration", "ablation": "mean_psi"])
        // Stored before the chosen defaults: it ran the paper-literal switches, and says so.
        let old = #"{"method":"MCPO","params":{"N":10}}"#
        for seed in 0..<2 {
            try f.run(sweep: sweep, method: "MCPO", param: "N", value: 10, env: "Pendulum", seed: seed,
                      scores: [(1000, -150 - Double(seed))], configJSON: plain)
            try f.run(sweep: sweep, method: "MCPO", param: "N", value: 10, env: "Pendulum", seed: seed,
                      scores: [(1000, -300 - Double(seed))], configJSON: noPsi)
            try f.run(sweep: sweep, method: "MCPO", param: "N", value: 10, env: "Pendulum", seed: seed,
                      scores: [(1000, -500)], configJSON: two)
            try f.run(sweep: sweep, method: "MCPO", param: "N", value: 10, env: "Pendulum", seed: seed,
                      scores: [(1000, -700)], configJSON: old)
        }
        let t = try load(f)
        let rows = [nil, "ablation=mean_psi, write_every=iteration", "ablation=no_psi", "forget_gate=paper, write_check=same"]
            .map { Table1.Row(method: "MCPO", param: "N", value: 10, variant: $0) }
        #expect(t.rows == rows)
        #expect(t.cell(rows[0], "Pendulum")?.scores == [-150, -151])
        #expect(t.cell(rows[2], "Pendulum")?.scores == [-300, -301])
        #expect(rows[2].label == "MCPO (ablation=no_psi)")
        let reference = try ReferenceTable(csv: "method,param,value,env,mean,std,n,steps\nMCPO,N,10,Pendulum,-146.88,3.78,5,1000000\n", source: "ref.csv")
        #expect(reference.entry(for: rows[0], env: "Pendulum") != nil)
        #expect(reference.entry(for: rows[2], env: "Pendulum") == nil)  // the paper's cell is the plain method's
        let json = t.render(.json)
        #expect(json.contains(#""value": 10.0, "variant": "ablation=no_psi"}"#))
        #expect(json.components(separatedBy: "variant").count == 4)  // the plain row has none
    }

    @Test func doneRunWithoutScoreIsReportedNotCounted() throws {
        let f = try StoreFixture()
        let s = try f.sweep("x", createdAt: "2025-01-01T00:00:00Z")
        try f.run(sweep: s, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 0, scores: [(10, 1)])
        let bare = try f.run(sweep: s, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 1, scores: [])
        let choice = try Table1.chooseSweep(named: nil, in: f.store)
        let (table, unscored) = try Table1.load(from: f.store, sweep: choice)
        #expect(unscored == [bare])
        #expect(table.cells.map(\.n) == [1])
    }

    @Test func sweepChoice() throws {
        let f = try StoreFixture()
        #expect(throws: ReportError.noSweeps(path: f.path)) { try Table1.chooseSweep(named: nil, in: f.store) }
        try f.sweep("old", createdAt: "2025-01-01T00:00:00.000Z")
        let only = try Table1.chooseSweep(named: nil, in: f.store)
        #expect(only.name == "old" && only.notice == "using sweep 'old' (the store's only sweep)")
        try f.sweep("new", createdAt: "2025-02-01T00:00:00.000Z")
        try f.sweep("middle", createdAt: "2025-01-15T00:00:00.000Z")
        let latest = try Table1.chooseSweep(named: nil, in: f.store)
        #expect(latest.name == "new")
        #expect(latest.notice?.contains("most recently created of 3") == true)
        let named = try Table1.chooseSweep(named: "old", in: f.store)
        #expect(named.name == "old" && named.notice == nil)
        #expect(throws: ReportError.unknownSweep(name: "nope", existing: ["old", "middle", "new"])) {
            try Table1.chooseSweep(named: "nope", in: f.store)
        }
        #expect(ReportError.unknownSweep(name: "nope", existing: ["old", "new"]).description
            == "no sweep named 'nope' (stored: old, new)")
    }

    @Test func emptySweepIsAnError() throws {
        let f = try StoreFixture()
        let s = try f.sweep("empty", createdAt: "2025-01-01T00:00:00Z")
        let choice = try Table1.chooseSweep(named: "empty", in: f.store)
        #expect(throws: ReportError.emptySweep(name: "empty", counts: [:])) { try Table1.load(from: f.store, sweep: choice) }
        try f.run(sweep: s, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 0, status: "failed", scores: [(1, 1)])
        try f.run(sweep: s, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 1, status: "pending", scores: [])
        do {
            _ = try Table1.load(from: f.store, sweep: choice)
            Issue.record("expected emptySweep")
        } catch let error as ReportError {
            #expect(error == .emptySweep(name: "empty", counts: ["failed": 1, "pending": 1]))
            #expect(error.description == "sweep 'empty' has no finished run with a 'score' metric yet (2 runs: 1 pending, 0 running, 0 done, 1 failed)")
        }
    }

    @Test func missingStoreIsNotCreated() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-report-missing-\(UUID().uuidString)")
        let path = dir.appendingPathComponent("absent.sqlite").path
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: ReportError.noStore(path: path)) { try Table1.openStore(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: ReportError.noStore(path: dir.path)) { try Table1.openStore(path: dir.path) }
    }

    @Test func rowAndColumnOrder() {
        func score(_ m: String, _ v: Double, _ env: String) -> Table1.RunScore {
            Table1.RunScore(row: .init(method: m, param: "p", value: v), env: env, seed: 0, score: 1)
        }
        let scores = [
            score("MCPO", 40, "Zeta"), score("MCPO", 5, "BipedalWalker"), score("Alpha", 1, "Pendulum"),
            score("VMPO", 1, "Ant"), score("MDPO", 1, "LunarLander"), score("PPO", 0.3, "Pendulum"),
            score("PPO", 0.1, "Pendulum"), score("KLFixed", 1, "Pendulum"), score("KLAdaptive", 0.01, "Pendulum"),
            score("Beta", 2, "Pendulum"), score("MCPO", 10, "Pendulum"),
        ]
        let t = Table1(sweep: "s", scores: scores)
        #expect(t.rows.map { "\($0.method) \(Format.value($0.value))" } == [
            "KLAdaptive 0.01", "KLFixed 1", "PPO 0.1", "PPO 0.3", "MDPO 1", "VMPO 1",
            "MCPO 5", "MCPO 10", "MCPO 40", "Alpha 1", "Beta 2",
        ])
        #expect(t.envs == ["Pendulum", "LunarLander", "BipedalWalker", "Ant", "Zeta"])
    }

    @Test func seedOrderFixesTheSummation() {
        // The same scores given in any order give the same cell (summed in seed order).
        let xs: [(Int, Double)] = [(0, 0.1), (1, 0.2), (2, 0.3), (3, 1e16), (4, -1e16)]
        func table(_ pairs: [(Int, Double)]) -> Table1 {
            Table1(sweep: "s", scores: pairs.map {
                Table1.RunScore(row: .init(method: "PPO", param: "clip", value: 0.2), env: "Pendulum", seed: $0.0, score: $0.1)
            })
        }
        #expect(table(xs) == table(xs.reversed()))
        #expect(table(xs).cells[0].scores == xs.map(\.1))
    }
}
