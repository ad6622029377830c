import Foundation
import Testing
@testable import Report

/// `mcpo-report aggregate`: the run × task matrices a table's rows give, their normalisation and
/// the rliable aggregates over them, by hand.
@Suite struct AggregateTests {
    static func run(_ method: String, _ value: Double, _ env: String, _ seed: Int, _ x: Double) -> Table1.RunScore {
        Table1.RunScore(row: Table1.Row(method: method, param: "clip", value: value), env: env, seed: seed,
                        identity: "\(method)\(value)\(env)\(seed)", score: x)
    }

    @Test func matricesAlignSeedsAcrossTasksAndNormalise() throws {
        let table = Table1(sweep: "s", scores: [
            Self.run("PPO", 0.1, "Pendulum", 0, -1000), Self.run("PPO", 0.1, "Pendulum", 1, -200),
            Self.run("PPO", 0.1, "Pendulum", 2, -600),   // seed 2 has no LunarLander run: left out of the matrix
            Self.run("PPO", 0.1, "LunarLander", 0, 0), Self.run("PPO", 0.1, "LunarLander", 1, 200),
            Self.run("PPO", 0.2, "Pendulum", 0, -150), Self.run("PPO", 0.2, "Pendulum", 1, -100),
            Self.run("PPO", 0.2, "LunarLander", 0, 100), Self.run("PPO", 0.2, "LunarLander", 1, 300),
            Self.run("PPO", 0.3, "Pendulum", 0, -100),    // no LunarLander at all: skipped
        ])
        let agg = try Aggregate(table: table, normalisation: .minmax, resamples: 200)
        #expect(agg.tasks == ["Pendulum", "LunarLander"])
        #expect(agg.skipped == ["PPO clip=0.3"])
        let a = try #require(agg.rows.first { $0.label == "PPO clip=0.1" })
        let b = try #require(agg.rows.first { $0.label == "PPO clip=0.2" })
        #expect(a.seeds == [0, 1])
        // Pendulum spans [-1000, -100] over the table, LunarLander [0, 300].
        let expectedA: [[Double]] = [[0, 0], [800.0 / 900, 200.0 / 300]]
        let expectedB: [[Double]] = [[850.0 / 900, 100.0 / 300], [1, 1]]
        #expect(a.scores == expectedA)
        #expect(b.scores == expectedB)
        let handMean: Double = (800.0 / 900 + 200.0 / 300) / 4
        #expect(abs(a.mean.point - handMean) < 1e-12)
        #expect(a.iqm.point == RobustStatistics.aggregateIQM(a.scores))
        // The best IQM is the reference. P(a > b): Pendulum 0 of 4 pairs, LunarLander 1 of 4 (0.667 > 0.333): (0 + ¼)/2.
        #expect(agg.against == "PPO clip=0.2" && b.improvement == nil)
        #expect(a.improvement?.point == RobustStatistics.probabilityOfImprovement(a.scores, b.scores))
        #expect(a.improvement?.point == 0.125)
        #expect(agg.render(.json).contains("\"against\": \"PPO clip=0.2\""))
        #expect(try Aggregate(table: table, normalisation: .minmax, resamples: 200) == agg)   // seeded
    }

    @Test func atariNormalisationNeedsKnownGames() throws {
        let games = Table1(sweep: "a", scores: [Self.run("PPO", 0.2, "Breakout", 0, 30.5), Self.run("PPO", 0.2, "Enduro", 0, 430.25)])
        let agg = try Aggregate(table: games, normalisation: .atari, resamples: 100)
        let human: [[Double]] = [[1, 0.5]]
        #expect(agg.rows[0].scores == human)   // human on Breakout, half of human on Enduro
        let unknown = Table1(sweep: "a", scores: [Self.run("PPO", 0.2, "Pendulum", 0, 1)])
        #expect(throws: ReportError.self) { try Aggregate(table: unknown, normalisation: .atari) }
    }
}
