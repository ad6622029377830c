import Environments
import ExperimentStore
import Figures
import Foundation
import Trainer

/// Learning curves from the store: each line the mean over seeds of one configuration (a row of
/// Table 1 in one environment) with a band, on a common step grid.
public enum Curves {
    /// One run's recorded points of a metric.
    public struct RunCurve: Sendable {
        public var runID: Int64
        public var row: Table1.Row
        public var env: String
        public var seed: Int
        public var x: [Double]
        public var y: [Double]
    }

    /// A line: the runs of one configuration aligned on one grid.
    public struct Line: Sendable {
        public var row: Table1.Row
        public var env: String
        public var x: [Double]
        public var mean: [Double]
        public var lower: [Double]?
        public var upper: [Double]?
        /// Runs behind each point.
        public var counts: [Int]
        /// Whether the runs recorded at different x and were interpolated onto the grid.
        public var interpolated: Bool
    }

    /// The done and running runs of the sweep with the metric, filtered by environment and method,
    /// smoothed. Failed runs are left out, as in the tables (`mcpo-sweep list --status failed` shows them).
    public static func runCurves(_ data: [(run: RunRecord, metrics: [MetricRecord])], options: CurveOptions) -> [RunCurve] {
        var curves: [RunCurve] = []
        for (run, metrics) in data where run.status == .done || run.status == .running {
            if !options.envs.isEmpty && !options.envs.contains(run.env) { continue }
            if !options.methods.isEmpty && !options.methods.contains(run.method) { continue }
            var x: [Double] = [], y: [Double] = []
            let perIteration = options.x == .iterations ? stepsPerIteration(run) : 1
            for m in metrics where m.key == options.metric && m.value.isFinite {
                x.append(options.x == .steps ? Double(m.step) : (Double(m.step) / Double(perIteration)).rounded())
                y.append(m.value)
            }
            guard !x.isEmpty else { continue }
            let variant = Table1.Row.variant(of: MethodCatalog.method(named: run.method)?.distinguishing(run.choices) ?? run.choices)
            curves.append(RunCurve(runID: run.id, row: Table1.Row(method: run.method, param: run.param, value: run.value, variant: variant),
                                   env: run.env, seed: Int(run.seed), x: x, y: smoothed(y, window: options.smooth)))
        }
        return curves
    }

    /// Environment steps of one iteration (actors × horizon), from the run's config.
    static func stepsPerIteration(_ run: RunRecord) -> Int {
        struct Shape: Decodable { var horizon: Int?; var actors: Int? }
        let shape = try? JSONDecoder().decode(Shape.self, from: Data(run.configJSON.utf8))
        return max(1, (shape?.horizon ?? 2048) * (shape?.actors ?? 4))
    }

    /// Trailing moving average over `window` points (the first points average what there is).
    public static func smoothed(_ y: [Double], window: Int) -> [Double] {
        guard window > 1 else { return y }
        var out: [Double] = [], sum = 0.0
        out.reserveCapacity(y.count)
        for i in y.indices {
            sum += y[i]
            if i >= window { sum -= y[i - window] }
            out.append(sum / Double(min(i + 1, window)))
        }
        return out
    }

    /// Linear interpolation of (x, y) at `at`; nil outside [x.first, x.last].
    public static func interpolate(x: [Double], y: [Double], at t: Double) -> Double? {
        guard let first = x.first, let last = x.last, t >= first, t <= last else { return nil }
        var lo = 0, hi = x.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if x[mid] <= t { lo = mid } else { hi = mid }
        }
        if x[lo] == t || hi == lo { return y[lo] }
        if x[hi] == t { return y[hi] }
        let f = (t - x[lo]) / (x[hi] - x[lo])
        return y[lo] + f * (y[hi] - y[lo])
    }

    /// Groups runs by (row, env) and aligns each group: at the runs' own x when they all recorded
    /// at the same x, otherwise interpolated linearly onto `gridPoints` evenly spaced x from the
    /// earliest first to the latest last point (a point averages the runs that cover it).
    public static func lines(_ curves: [RunCurve], options: CurveOptions) -> [Line] {
        var groups: [String: [RunCurve]] = [:], order: [String] = []
        for c in curves {
            let key = "\(c.env)\u{1}\(c.row.label)\u{1}\(c.row.param ?? "")\u{1}\(c.row.value.map { "\($0)" } ?? "")"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(c)
        }
        return order.map { key in
            let runs = groups[key]!.sorted { ($0.seed, $0.runID) < ($1.seed, $1.runID) }
            let same = runs.allSatisfy { $0.x == runs[0].x }
            let grid: [Double]
            if same {
                grid = runs[0].x
            } else {
                let lo = runs.map { $0.x.first! }.min()!, hi = runs.map { $0.x.last! }.max()!
                let k = max(2, options.gridPoints)
                grid = (0..<k).map { lo + (hi - lo) * Double($0) / Double(k - 1) }
            }
            var mean: [Double] = [], lower: [Double] = [], upper: [Double] = [], counts: [Int] = [], xs: [Double] = []
            for (i, t) in grid.enumerated() {
                let values = same ? runs.map { $0.y[i] } : runs.compactMap { interpolate(x: $0.x, y: $0.y, at: t) }
                guard let m = Statistics.mean(values) else { continue }
                xs.append(t)
                mean.append(m)
                counts.append(values.count)
                switch options.band {
                case .std:
                    let s = Statistics.sampleStandardDeviation(values) ?? 0
                    lower.append(m - s)
                    upper.append(m + s)
                case .ci95:
                    let (l, u) = bootstrapInterval(values, resamples: options.resamples, seed: UInt64(i))
                    lower.append(l)
                    upper.append(u)
                case .none: break
                }
            }
            let first = runs[0]
            return Line(row: first.row, env: first.env, x: xs, mean: mean, lower: options.band == .none ? nil : lower,
                        upper: options.band == .none ? nil : upper, counts: counts, interpolated: !same)
        }
    }

    /// The percentile bootstrap 95 % interval of the mean (2.5th and 97.5th percentiles of
    /// `resamples` means of n values drawn with replacement), seeded; a single value is its own interval.
    public static func bootstrapInterval(_ values: [Double], resamples: Int, seed: UInt64) -> (Double, Double) {
        guard values.count > 1, resamples > 0 else { return (values.first ?? .nan, values.first ?? .nan) }
        var generator = SeededGenerator(seed: 0x6d63706f_63757276, stream: seed)
        var means: [Double] = []
        means.reserveCapacity(resamples)
        let n = values.count
        for _ in 0..<resamples {
            var sum = 0.0
            for _ in 0..<n { sum += values[Int(generator.next() % UInt64(n))] }
            means.append(sum / Double(n))
        }
        means.sort()
        return (quantile(means, 0.025), quantile(means, 0.975))
    }

    /// Linear-interpolation quantile of sorted values (numpy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = q * Double(sorted.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
