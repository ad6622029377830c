import Environments

/// Aggregate statistics over runs and tasks as rliable defines them (Agarwal et al. 2021,
/// "Deep RL at the edge of the statistical precipice"; rliable 1.2's `metrics` and `library`).
///
/// A score matrix is `scores[run][task]`: one row per run (seed), one column per task
/// (environment), every row of the same length, as rliable's `(num_runs, num_tasks)` arrays.
/// Pure functions; the bootstrap is seeded and gives the same interval every time.
public enum RobustStatistics {
    // MARK: point estimates

    /// The median (the mean of the two middle values of an even count). nil when empty.
    public static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }

    /// The interquartile mean: the mean of the values left after cutting ⌊n/4⌋ from each end of
    /// the sorted sample (scipy's `trim_mean(x, 0.25)`, which rliable's IQM is). nil when empty.
    public static func iqm(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        let cut = s.count / 4
        return Statistics.mean(Array(s[cut..<(s.count - cut)]))
    }

    /// A point statistic of one sample.
    public enum Stat: String, CaseIterable, Sendable {
        case mean, median, iqm

        public func of(_ xs: [Double]) -> Double? {
            switch self {
            case .mean: return Statistics.mean(xs)
            case .median: return RobustStatistics.median(xs)
            case .iqm: return RobustStatistics.iqm(xs)
            }
        }
    }

    /// rliable's `aggregate_mean`: the mean over tasks of each task's mean over runs.
    public static func aggregateMean(_ scores: [[Double]]) -> Double {
        Statistics.mean(taskMeans(scores)) ?? .nan
    }

    /// rliable's `aggregate_median`: the median over tasks of each task's mean over runs.
    public static func aggregateMedian(_ scores: [[Double]]) -> Double {
        median(taskMeans(scores)) ?? .nan
    }

    /// rliable's `aggregate_iqm`: the interquartile mean of all run × task scores together.
    public static func aggregateIQM(_ scores: [[Double]]) -> Double {
        iqm(scores.flatMap { $0 }) ?? .nan
    }

    /// rliable's `aggregate_optimality_gap`: γ − the mean of min(score, γ) over all scores.
    public static func optimalityGap(_ scores: [[Double]], gamma: Double = 1) -> Double {
        gamma - (Statistics.mean(scores.flatMap { $0 }.map { min($0, gamma) }) ?? .nan)
    }

    static func taskMeans(_ scores: [[Double]]) -> [Double] {
        guard let tasks = scores.first?.count else { return [] }
        return (0..<tasks).map { t in Statistics.mean(scores.map { $0[t] }) ?? .nan }
    }

    /// rliable's `probability_of_improvement(x, y)`: for each task, P(X > Y) + ½ P(X = Y) over
    /// all pairs of a run of x and a run of y (the Mann–Whitney U over n·m), averaged over tasks.
    /// x and y must have the same tasks; their run counts may differ.
    public static func probabilityOfImprovement(_ x: [[Double]], _ y: [[Double]]) -> Double {
        guard let tasks = x.first?.count, tasks > 0, !y.isEmpty else { return .nan }
        var sum = 0.0
        for t in 0..<tasks {
            var wins = 0.0
            for a in x { for b in y { wins += a[t] > b[t] ? 1 : (a[t] == b[t] ? 0.5 : 0) } }
            sum += wins / Double(x.count * y.count)
        }
        return sum / Double(tasks)
    }

    /// rliable's run-score distribution (the performance profile's point estimate): for each τ,
    /// the fraction of all run × task scores above τ.
    public static func scoreDistribution(_ scores: [[Double]], taus: [Double]) -> [Double] {
        let all = scores.flatMap { $0 }
        return taus.map { tau in all.isEmpty ? .nan : Double(all.filter { $0 > tau }.count) / Double(all.count) }
    }

    // MARK: stratified bootstrap

    /// A two-sided percentile interval.
    public struct Interval: Equatable, Sendable {
        public var low: Double
        public var high: Double
        public init(low: Double, high: Double) {
            self.low = low
            self.high = high
        }
        public func overlaps(_ other: Interval) -> Bool { low <= other.high && other.low <= high }
    }

    /// The percentile interval (95 % by default) of `statistic` over `resamples` stratified
    /// bootstrap resamples: each task's runs drawn with replacement independently of the other
    /// tasks (rliable's `StratifiedBootstrap`), every resample keeping the matrix's shape.
    /// Percentiles interpolate linearly (numpy's default). Seeded by `seed`.
    public static func stratifiedBootstrap(_ scores: [[Double]], resamples: Int = 2000, size: Double = 0.95,
                                           seed: UInt64 = 0, statistic: ([[Double]]) -> Double) -> Interval {
        let values = bootstrapValues([scores], resamples: resamples, seed: seed) { statistic($0[0]) }
        return percentileInterval(values, size: size)
    }

    /// The same for a statistic of two matrices resampled independently (rliable's
    /// `StratifiedIndependentBootstrap`, as for the probability of improvement).
    public static func stratifiedBootstrap(_ x: [[Double]], _ y: [[Double]], resamples: Int = 2000, size: Double = 0.95,
                                           seed: UInt64 = 0, statistic: ([[Double]], [[Double]]) -> Double) -> Interval {
        let values = bootstrapValues([x, y], resamples: resamples, seed: seed) { statistic($0[0], $0[1]) }
        return percentileInterval(values, size: size)
    }

    static func bootstrapValues(_ matrices: [[[Double]]], resamples: Int, seed: UInt64,
                                statistic: ([[[Double]]]) -> Double) -> [Double] {
        var generator = SeededGenerator(seed: 0x6d63706f_626f6f74, stream: seed)
        var resampled = matrices
        var values: [Double] = []
        values.reserveCapacity(resamples)
        for _ in 0..<resamples {
            for (m, matrix) in matrices.enumerated() {
                let runs = matrix.count
                guard runs > 0, let tasks = matrix.first?.count else { continue }
                for t in 0..<tasks {
                    for r in 0..<runs { resampled[m][r][t] = matrix[Int(generator.next() % UInt64(runs))][t] }
                }
            }
            values.append(statistic(resampled))
        }
        return values
    }

    static func percentileInterval(_ values: [Double], size: Double) -> Interval {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return Interval(low: .nan, high: .nan) }
        let tail = (1 - size) / 2
        return Interval(low: Curves.quantile(sorted, tail), high: Curves.quantile(sorted, 1 - tail))
    }
}
