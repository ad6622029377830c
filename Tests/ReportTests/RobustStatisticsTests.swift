import Foundation
import Testing
@testable import Report

/// The robust statistics against rliable 1.2 itself: `Fixtures/rliable.json` holds its numbers on
/// three fixed score matrices (made by `scripts/reference/rliable_fixture.py`), and against
/// hand computations.
@Suite struct RobustStatisticsTests {
    struct Fixture: Decodable {
        struct Matrix: Decodable {
            var scores: [[Double]]
            var point, low, high: [String: Double]
            var low_mc_sd, high_mc_sd: [String: Double]
            var profile: [Double]
        }
        struct POI: Decodable {
            var x, y: [[Double]]
            var point, low, high, low_mc_sd, high_mc_sd: Double
        }
        var reps: Int
        var repeats: Int
        var taus: [Double]
        var matrices: [String: Matrix]
        var poi: POI
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/rliable.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    static let aggregates: [String: @Sendable ([[Double]]) -> Double] = [
        "median": RobustStatistics.aggregateMedian, "iqm": RobustStatistics.aggregateIQM,
        "mean": RobustStatistics.aggregateMean, "optimality_gap": { RobustStatistics.optimalityGap($0) },
    ]

    /// How far one bootstrap's interval end may lie from the fixture's (the mean of `repeats`
    /// rliable bootstraps): 4 Monte-Carlo standard deviations of the difference.
    static func tolerance(_ sd: Double) -> Double { 4 * sd * (1 + 1 / Double(fixture.repeats)).squareRoot() + 1e-12 }

    @Test(arguments: ["a", "b", "c"])
    func pointEstimatesAgreeWithRliable(matrix: String) throws {
        let m = try #require(Self.fixture.matrices[matrix])
        for (name, f) in Self.aggregates {
            let expected = try #require(m.point[name])
            #expect(abs(f(m.scores) - expected) <= 1e-6, "\(matrix) \(name): \(f(m.scores)) vs rliable \(expected)")
        }
        let profile = RobustStatistics.scoreDistribution(m.scores, taus: Self.fixture.taus)
        #expect(zip(profile, m.profile).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(profile) vs \(m.profile)")
    }

    @Test(arguments: ["a", "b", "c"])
    func intervalsAgreeWithRliableToTheMonteCarloError(matrix: String) throws {
        let m = try #require(Self.fixture.matrices[matrix])
        for (name, f) in Self.aggregates {
            let ours = RobustStatistics.stratifiedBootstrap(m.scores, resamples: Self.fixture.reps, seed: 1, statistic: f)
            let (low, high) = (try #require(m.low[name]), try #require(m.high[name]))
            let (lowTol, highTol) = (Self.tolerance(m.low_mc_sd[name]!), Self.tolerance(m.high_mc_sd[name]!))
            #expect(abs(ours.low - low) <= lowTol, "\(matrix) \(name) low: \(ours.low) vs \(low) ± \(lowTol)")
            #expect(abs(ours.high - high) <= highTol, "\(matrix) \(name) high: \(ours.high) vs \(high) ± \(highTol)")
        }
    }

    @Test func probabilityOfImprovementAgreesWithRliable() {
        let p = Self.fixture.poi
        #expect(abs(RobustStatistics.probabilityOfImprovement(p.x, p.y) - p.point) <= 1e-6)
        let ours = RobustStatistics.stratifiedBootstrap(p.x, p.y, resamples: Self.fixture.reps, seed: 1,
                                                        statistic: RobustStatistics.probabilityOfImprovement)
        #expect(abs(ours.low - p.low) <= Self.tolerance(p.low_mc_sd), "\(ours.low) vs \(p.low)")
        #expect(abs(ours.high - p.high) <= Self.tolerance(p.high_mc_sd), "\(ours.high) vs \(p.high)")
    }

    @Test func handComputedValues() throws {
        // IQM of 8 values cuts 2 from each end: mean(3, 4, 5, 6) = 4.5; of 7 cuts 1: mean(2…6) = 4.
        #expect(RobustStatistics.iqm([8, 1, 7, 2, 6, 3, 5, 4]) == 4.5)
        #expect(RobustStatistics.iqm([7, 1, 6, 2, 5, 3, 4]) == 4)
        #expect(RobustStatistics.iqm([3, 100]) == 51.5)   // ⌊2/4⌋ = 0: nothing cut
        #expect(RobustStatistics.median([5, 1, 3]) == 3 && RobustStatistics.median([4, 1, 3, 2]) == 2.5)
        #expect(RobustStatistics.median([]) == nil && RobustStatistics.iqm([]) == nil)
        // x beats y in 3 of 4 pairs on task 0, ties 1 of 4 on task 1: (3/4 + 1/8 + …)
        let x = [[2.0, 1.0], [3.0, 0.0]], y = [[1.0, 1.0], [3.0, 2.0]]
        // task 0: (2>1, 2<3, 3>1, 3=3) = 1 + 0 + 1 + ½ = 2.5/4; task 1: (1=1, 1<2, 0<1, 0<2) = ½/4.
        #expect(RobustStatistics.probabilityOfImprovement(x, y) == (2.5 / 4 + 0.5 / 4) / 2)
        #expect(RobustStatistics.scoreDistribution(x, taus: [0, 1, 3]) == [0.75, 0.5, 0])
        #expect(RobustStatistics.optimalityGap([[0.5, 2]], gamma: 1) == 0.25)
    }

    @Test func theBootstrapIsSeededAndStratified() {
        let m = [[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]
        let a = RobustStatistics.stratifiedBootstrap(m, resamples: 500, seed: 3, statistic: RobustStatistics.aggregateMean)
        let b = RobustStatistics.stratifiedBootstrap(m, resamples: 500, seed: 3, statistic: RobustStatistics.aggregateMean)
        #expect(a == b)
        // Every resample keeps each task's own values: task 0 only ever sees 1…3, so the
        // mean of task 0's column stays in [1, 3].
        let column0 = RobustStatistics.stratifiedBootstrap(m, resamples: 500, seed: 3) { RobustStatistics.taskMeans($0)[0] }
        #expect(column0.low >= 1 && column0.high <= 3 && column0.low < column0.high)
    }
}
