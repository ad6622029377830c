import Foundation
import Testing
@testable import Report

/// Table 2 (best configuration per method and task) and Tables 11–12 (human-normalised Atari).
@Suite struct PaperLayoutTests {
    static func run(_ method: String, _ param: String, _ value: Double, _ env: String, _ seed: Int, _ x: Double,
                    variant: String? = nil) -> Table1.RunScore {
        Table1.RunScore(row: Table1.Row(method: method, param: param, value: value, variant: variant), env: env, seed: seed,
                        identity: "\(method)\(value)\(variant ?? "")\(env)\(seed)", score: x)
    }

    static let mujoco: [Table1.RunScore] = [
        run("PPO", "clip", 0.2, "Hopper", 0, 2000), run("PPO", "clip", 0.2, "Hopper", 1, 2200),
        run("PPO", "clip", 0.5, "Hopper", 0, 2500), run("PPO", "clip", 0.5, "Hopper", 1, 2700),
        run("PPO", "clip", 0.2, "HalfCheetah", 0, 1500), run("PPO", "clip", 0.5, "HalfCheetah", 0, 900),
        run("MCPO", "N", 5, "Hopper", 0, 2600), run("MCPO", "N", 5, "Hopper", 1, 2650),
        run("MCPO", "N", 40, "Hopper", 0, 3000), run("MCPO", "N", 40, "Hopper", 1, 3100, variant: "ablation=mean_psi"),
        run("MCPO", "N", 40, "Hopper", 0, 1000, variant: "ablation=mean_psi"),
    ]

    @Test func table2KeepsEachMethodsBestConfigurationPerTask() throws {
        let table = Table1(sweep: "m", scores: Self.mujoco).bestConfiguration()
        #expect(table.rows.map(\.label) == ["PPO", "MCPO", "MeanPsi"])
        let hopper = try #require(table.cell(table.rows[0], "Hopper"))
        #expect(hopper.mean == 2600 && hopper.chosen == "clip=0.5")
        #expect(table.cell(table.rows[0], "HalfCheetah")?.chosen == "clip=0.2")   // per task, not one for all
        let mcpo = try #require(table.cell(table.rows[1], "Hopper"))
        #expect(mcpo.chosen == "N=40" && mcpo.bold && !hopper.bold)
        #expect(table.render(.term).contains("2600.00 ± 141.42 (n=2, clip=0.5)"))
        #expect(!table.render(.term).contains("param"))   // no signature columns in a per-method table
        #expect(table.footnote.contains("best point statistic over seeds on that task"))
        #expect(table.render(.json).contains("\"chosen\": \"N=40\""))
        // The paper's per-method figures (no param/value columns) sit beside the rows.
        let reference = try ReferenceTable(csv: "method,env,steps,mean,std,n\nPPO,Hopper,10000000,2316,51,5\nMeanPsi,Hopper,10000000,2951,87,5\n",
                                           source: "paper-table2.csv")
        #expect(reference.entry(for: table.rows[0], env: "Hopper")?.mean == 2316)
        #expect(reference.entry(for: table.rows[2], env: "Hopper")?.mean == 2951)
        #expect(reference.entry(for: Table1.Row(method: "PPO", param: "clip", value: 0.2), env: "Hopper") == nil)
    }

    @Test func atariIsHumanNormalisedMeanAndMedianOverGames() throws {
        // Breakout: random 1.7, human 30.5; Enduro 0 / 860.5; Seaquest 68.4 / 42054.7.
        let scores = [
            Self.run("PPO", "clip", 0.2, "Breakout", 0, 30.5), Self.run("PPO", "clip", 0.2, "Breakout", 1, 1.7),  // mean 16.1: 50 %
            Self.run("PPO", "clip", 0.2, "Enduro", 0, 860.5),                                                     // 100 %
            Self.run("PPO", "clip", 0.2, "Seaquest", 0, 68.4 + 2 * (42054.7 - 68.4)),                             // 200 %
        ]
        let reference = [AtariTable.ReferenceEntry(table: "11", method: "PPO", games: 3, mean: 1, median: 2),
                         AtariTable.ReferenceEntry(table: "12", method: "PPO", games: 9, mean: 3, median: 4)]
        let atari = try AtariTable(table: Table1(sweep: "a", scores: scores), reference: reference)
        let row = try #require(atari.rows.first)
        #expect(row.perGame.map { ($0 ?? .nan).rounded() } == [50, 100, 200])
        #expect(abs(row.mean - 350.0 / 3) < 1e-9 && abs(row.median - 100) < 1e-9)
        #expect(row.reference?.table == "11")   // the published table with as many games
        #expect(atari.render(.md).contains("| PPO clip=0.2 | 50.00 | 100.00 | 200.00 | 116.67 | 100.00 | 1.00 | 2.00 |"))
        #expect(throws: ReportError.self) { try AtariTable(table: Table1(sweep: "a", scores: [Self.run("PPO", "clip", 0.2, "Pong", 0, 1)])) }
    }

    @Test func theShippedAtariReferenceReads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reference/paper-table11.csv").path
        let entries = try AtariTable.reference(contentsOf: path)
        #expect(entries.count == 9)
        #expect(entries.contains { $0.method == "MCPO" && $0.games == 6 && $0.mean == 300.25 && $0.median == 100.28 })
    }
}
