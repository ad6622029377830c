import Foundation
import Testing
@testable import Report

/// Tables over any grouping: rows and columns by any run key, several sweeps, the settings a
/// study varied found without being named, and the cell's statistic.
@Suite struct GroupingTests {
    static func score(_ method: String, _ param: String?, _ value: Double?, env: String = "Pendulum", seed: Int,
                      _ x: Double, facts: [String: RunFacts.Value]) -> Table1.RunScore {
        var all: [String: RunFacts.Value] = ["method": .text(method), "env": .text(env), "seed": .number(Double(seed)),
                                             "sweep": .text("s"), "lr": .number(3e-4), "epochs": .number(10)]
        if let param, let value { all[param] = .number(value) }
        all.merge(facts) { _, new in new }
        return Table1.RunScore(row: Table1.Row(method: method, param: param, value: value), env: env, seed: seed,
                               identity: "\(method)\(value ?? 0)\(facts)\(seed)", score: x, facts: RunFacts(values: all))
    }

    static let study: [Table1.RunScore] = [
        score("PPO", "clip", 0.2, seed: 0, 1, facts: ["lr": .number(1e-3)]),
        score("PPO", "clip", 0.2, seed: 1, 3, facts: ["lr": .number(1e-3)]),
        score("PPO", "clip", 0.2, seed: 0, 10, facts: ["lr": .number(3e-4)]),
        score("PPO", "clip", 0.2, seed: 1, 12, facts: ["lr": .number(3e-4)]),
        score("MCPO", "N", 10, seed: 0, 5, facts: ["lr": .number(3e-4)]),
        score("MCPO", "N", 10, seed: 1, 7, facts: ["lr": .number(3e-4)]),
        score("PPO", "clip", 0.2, env: "LunarLander", seed: 0, 100, facts: ["lr": .number(1e-3), "actors": .number(8)]),
    ]

    @Test func table1RowsNameTheSettingsAStudyVaried() throws {
        let (table, warnings) = try Table1.grouped(sweep: "s", scores: Self.study)
        #expect(warnings.isEmpty)
        #expect(table.rows.map(\.label) == ["PPO (lr=0.0003)", "PPO (lr=0.001)", "MCPO"])   // numeric order of lr
        let slow = try #require(table.cell(table.rows[0], "Pendulum"))
        #expect(slow.scores == [10, 12] && slow.mean == 11 && slow.bold)
        // actors differs between environments only, not within a column: not a row key.
        #expect(!table.rows.contains { $0.label.contains("actors") })
    }

    @Test func explicitRowsAndColumns() throws {
        let (table, warnings) = try Table1.grouped(sweep: "s", scores: Self.study.filter { $0.env == "Pendulum" },
                                                   grouping: TableGrouping(rows: ["lr"], columns: ["method"]))
        #expect(table.rows.map(\.label) == ["lr=0.0003", "lr=0.001"])
        #expect(table.envs == ["method=PPO", "method=MCPO"])   // the paper's method order
        #expect(table.cell(table.rows[0], "method=MCPO")?.scores == [5, 7])
        #expect(warnings.isEmpty)
        #expect(table.render(.term).contains("row  "))
    }

    @Test func aGroupingThatPoolsSettingsSaysSo() throws {
        let (table, warnings) = try Table1.grouped(sweep: "s", scores: Self.study, grouping: TableGrouping(rows: ["method"]))
        #expect(table.cell(table.rows.first { $0.method == "PPO" }!, "Pendulum")?.scores.sorted() == [1, 3, 10, 12])
        #expect(warnings == ["cells pool runs that differ in lr (add them to --rows or --columns to separate them)"])
    }

    @Test func anUnknownKeyIsRefusedWithASuggestion() {
        #expect(throws: ReportError.self) { try Table1.grouped(sweep: "s", scores: Self.study, grouping: TableGrouping(rows: ["lrate"])) }
        do {
            _ = try Table1.grouped(sweep: "s", scores: Self.study, grouping: TableGrouping(rows: ["method", "epoch"]))
        } catch {
            #expect("\(error)".hasSuffix("did you mean 'epochs'?"), "\(error)")
        }
    }

    @Test func theCellStatisticAndItsMarks() throws {
        // Two rows, 10 seeds each: the median/IQM differ from the mean, so the bold moves.
        let a = [Double](repeating: 0, count: 9) + [100], b = [Double](repeating: 5, count: 10)
        var scores: [Table1.RunScore] = []
        for (i, x) in a.enumerated() { scores.append(Self.score("PPO", "clip", 0.1, seed: i, x, facts: [:])) }
        for (i, x) in b.enumerated() { scores.append(Self.score("PPO", "clip", 0.2, seed: i, x, facts: [:])) }
        let mean = Table1(sweep: "s", scores: scores)
        #expect(mean.cells[0].bold && mean.cells[0].mean == 10)
        let iqm = Table1(sweep: "s", scores: scores, statistic: CellStatistic(stat: .iqm, ci: .none))
        #expect(iqm.cells[0].point == 0 && iqm.cells[1].point == 5 && iqm.cells[1].bold && !iqm.cells[0].bold)
        #expect(iqm.render(.term).contains("5.00 (n=10)") && iqm.footnote.contains("IQM"))
        let median = Table1(sweep: "s", scores: scores, statistic: CellStatistic(stat: .median, ci: .boot95, resamples: 400))
        let interval = try #require(median.cells[0].interval)
        // The median of 10 draws from nine 0s and a 100 is 0 unless 5+ draws are 100 (p ≈ 0.0016 < 2.5 %):
        // the interval is [0, 0].
        #expect(interval.low == 0 && interval.high == 0)
        #expect(median.cells[1].interval == RobustStatistics.Interval(low: 5, high: 5))
        #expect(!median.cells[0].underline)   // [0, 0] does not overlap [5, 5]
        #expect(median.render(.term).contains("0.00 [0.00, 0.00] (n=10)"))
        #expect(median.render(.json).contains("\"interval\": [0.0, 0.0]"))
        #expect(median.render(.csv).hasPrefix("method,param,value,env,mean,std,n,bold,underline,d,median,ci_low,ci_high"))
        // Bit for bit the same table again: the bootstrap is seeded.
        #expect(Table1(sweep: "s", scores: scores, statistic: CellStatistic(stat: .median, ci: .boot95, resamples: 400)) == median)
    }
}
