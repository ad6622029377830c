import ExperimentStore
import Figures
import Foundation

/// Scores aggregated over tasks (`mcpo-report aggregate`): per row of a table, the run × task
/// score matrix (tasks = the table's columns, runs = the seeds every task has), optionally
/// normalised per task, and rliable's aggregates with stratified bootstrap intervals, the
/// probability of improvement over one row, and performance profiles.
public struct Aggregate: Equatable, Sendable {
    /// How scores are put on one scale before aggregating over tasks.
    public enum Normalisation: String, CaseIterable, Sendable {
        /// As they are (only meaningful when the tasks share a scale).
        case none
        /// Per task: (x − the lowest score of any run of the table) / (highest − lowest).
        case minmax
        /// Human-normalised: (x − random) / (human − random), with `docs/experiments.md`'s reference scores (1 = human).
        case atari
    }

    /// Random and human reference scores per Atari game (`docs/experiments.md`).
    public static let atariReference: [String: (random: Double, human: Double)] = [
        "BeamRider": (363.9, 16926.5), "Breakout": (1.7, 30.5), "Enduro": (0.0, 860.5),
        "Gopher": (257.6, 2412.5), "Seaquest": (68.4, 42054.7), "SpaceInvaders": (148.0, 1668.7),
    ]

    public struct Estimate: Equatable, Sendable {
        public var point: Double
        public var interval: RobustStatistics.Interval
    }

    public struct Row: Equatable, Sendable {
        public var label: String
        public var method: String
        /// The seeds in every task (the matrix's rows).
        public var seeds: [Int]
        public var scores: [[Double]]
        public var iqm, median, mean, optimalityGap: Estimate
        /// P(this row > the reference row), when one is given.
        public var improvement: Estimate?
    }

    public var sweep: String
    public var tasks: [String]
    public var normalisation: Normalisation
    public var resamples: Int
    public var rows: [Row]
    /// The row the probabilities of improvement are against.
    public var against: String?
    /// Rows left out: not every task has a run of them.
    public var skipped: [String]

    /// Builds the aggregate of `table`'s rows over its columns. `against` names a row (its label)
    /// for the probability of improvement; nil: the row with the best IQM.
    public init(table: Table1, normalisation: Normalisation = .none, resamples: Int = 2000,
                against: String? = nil, gamma: Double = 1) throws {
        sweep = table.sweep
        tasks = table.envs
        self.normalisation = normalisation
        self.resamples = resamples
        let resamples = resamples, tasks = table.envs
        rows = []
        skipped = []
        if normalisation == .atari, let unknown = tasks.first(where: { Self.atariReference[$0] == nil }) {
            throw ReportError.badOption("--normalize atari: no human/random reference score for '\(unknown)' (known: \(Self.atariReference.keys.sorted().joined(separator: ", ")))")
        }
        var bounds: [String: (Double, Double)] = [:]
        for env in tasks {
            let all = table.cells.filter { $0.env == env }.flatMap(\.scores)
            bounds[env] = (all.min() ?? 0, all.max() ?? 1)
        }
        func normalise(_ x: Double, _ env: String) -> Double {
            switch normalisation {
            case .none: return x
            case .minmax:
                let (lo, hi) = bounds[env]!
                return hi > lo ? (x - lo) / (hi - lo) : 0
            case .atari:
                let r = Self.atariReference[env]!
                return (x - r.random) / (r.human - r.random)
            }
        }
        var built: [Row] = []
        var skipped: [String] = []
        for (index, row) in table.rows.enumerated() {
            let cells = tasks.map { table.cell(row, $0) }
            guard cells.allSatisfy({ $0 != nil }) else { skipped.append(Self.label(row)); continue }
            let common = cells.map { Set($0!.seeds) }.reduce(Set(cells[0]!.seeds)) { $0.intersection($1) }.sorted()
            guard !common.isEmpty else { skipped.append(Self.label(row)); continue }
            let matrix = common.map { seed in
                zip(tasks, cells).map { env, cell in normalise(cell!.scores[cell!.seeds.firstIndex(of: seed)!], env) }
            }
            func estimate(_ f: ([[Double]]) -> Double, _ k: UInt64) -> Estimate {
                Estimate(point: f(matrix), interval: RobustStatistics.stratifiedBootstrap(
                    matrix, resamples: resamples, seed: UInt64(index) << 8 | k, statistic: f))
            }
            built.append(Row(label: Self.label(row), method: row.method, seeds: common, scores: matrix,
                             iqm: estimate(RobustStatistics.aggregateIQM, 0), median: estimate(RobustStatistics.aggregateMedian, 1),
                             mean: estimate(RobustStatistics.aggregateMean, 2),
                             optimalityGap: estimate({ RobustStatistics.optimalityGap($0, gamma: gamma) }, 3)))
        }
        self.skipped = skipped
        let reference: Row?
        if let against {
            guard let found = built.first(where: { $0.label == against }) else {
                throw ReportError.badOption("--against: no row '\(against)' (rows: \(built.map(\.label).joined(separator: "; ")))"
                    + Suggestion.clause(for: against, among: built.map(\.label)))
            }
            reference = found
        } else {
            reference = built.max { $0.iqm.point < $1.iqm.point }
        }
        self.against = reference?.label
        if let reference {
            for i in built.indices where built[i].label != reference.label {
                let x = built[i].scores, y = reference.scores
                built[i].improvement = Estimate(
                    point: RobustStatistics.probabilityOfImprovement(x, y),
                    interval: RobustStatistics.stratifiedBootstrap(x, y, resamples: resamples, seed: UInt64(i) << 8 | 4,
                                                                   statistic: RobustStatistics.probabilityOfImprovement))
            }
        }
        rows = built
    }

    static func label(_ row: Table1.Row) -> String {
        var text = row.label
        if let p = row.param { text += " \(p)=\(Format.value(row.value))" }
        return text
    }

    // MARK: rendering

    static func text(_ e: Estimate?, _ decimals: Int = 3) -> String {
        guard let e else { return "–" }
        return "\(Format.fixed(e.point, decimals: decimals)) [\(Format.fixed(e.interval.low, decimals: decimals)), \(Format.fixed(e.interval.high, decimals: decimals))]"
    }

    public var note: String {
        let scale: String
        switch normalisation {
        case .none: scale = "raw scores"
        case .minmax: scale = "scores min–max normalised per task over every run of the table"
        case .atari: scale = "human-normalised scores ((score − random)/(human − random), 1 = human)"
        }
        var text = "Over \(tasks.count) task(s) (\(tasks.joined(separator: ", "))) and the seeds every task has, \(scale). "
            + "IQM = interquartile mean of all run × task scores; median and mean of the per-task means; optimality gap = 1 − mean(min(score, 1)). "
            + "[ ] = 95 % stratified bootstrap percentile interval (\(resamples) seeded resamples, runs drawn per task), as rliable."
        if let against { text += " P(X > \(against)) = probability of improvement over that row (Mann–Whitney, averaged over tasks)." }
        if !skipped.isEmpty { text += " Left out (a task without runs): \(skipped.joined(separator: "; "))." }
        return text
    }

    public func render(_ format: Table1Format) -> String {
        let header = ["row", "runs", "IQM", "median", "mean", "optimality gap", "P(X > \(against ?? "–"))"]
        let lines = rows.map { r in
            [r.label, String(r.seeds.count), Self.text(r.iqm), Self.text(r.median), Self.text(r.mean),
             Self.text(r.optimalityGap), r.label == against ? "(reference)" : Self.text(r.improvement)]
        }
        switch format {
        case .md:
            let align = [":--", "--:"] + Array(repeating: ":--", count: header.count - 2)
            return "**Aggregate** — sweep `\(sweep)`\n\n" + Format.markdownTable(header, align: align, lines) + "\n" + note + "\n"
        case .csv:
            var out = "row,runs,iqm,iqm_low,iqm_high,median,median_low,median_high,mean,mean_low,mean_high,gap,gap_low,gap_high,poi,poi_low,poi_high\n"
            for r in rows {
                var f = [Table1.csvField(r.label), String(r.seeds.count)]
                for e in [r.iqm, r.median, r.mean, r.optimalityGap, r.improvement] as [Estimate?] {
                    f += e.map { [Table1.csvNumber($0.point), Table1.csvNumber($0.interval.low), Table1.csvNumber($0.interval.high)] } ?? ["", "", ""]
                }
                out += f.joined(separator: ",") + "\n"
            }
            return out
        case .json:
            func e(_ x: Estimate?) -> String {
                guard let x else { return "null" }
                return "{\"high\": \(Format.json(x.interval.high)), \"low\": \(Format.json(x.interval.low)), \"point\": \(Format.json(x.point))}"
            }
            let items = rows.map { r in
                "    {\"iqm\": \(e(r.iqm)), \"label\": \(Format.json(r.label)), \"mean\": \(e(r.mean)), \"median\": \(e(r.median)), "
                    + "\"method\": \(Format.json(r.method)), \"optimality_gap\": \(e(r.optimalityGap)), \"probability_of_improvement\": \(e(r.improvement)), "
                    + "\"runs\": \(r.seeds.count)}"
            }
            return "{\n  \"against\": \(against.map(Format.json) ?? "null"),\n  \"normalize\": \(Format.json(normalisation.rawValue)),\n"
                + "  \"resamples\": \(resamples),\n  \"rows\": [\n" + items.joined(separator: ",\n") + "\n  ],\n"
                + "  \"sweep\": \(Format.json(sweep)),\n  \"tasks\": [\(tasks.map(Format.json).joined(separator: ", "))]\n}\n"
        case .term, .latex:
            return "Aggregate · sweep '\(sweep)'\n" + Format.aligned([header] + lines) + note + "\n"
        }
    }

    /// Performance profiles: for each row, the fraction of its run × task scores above τ, over
    /// 101 values of τ spanning the scores, with a 95 % stratified bootstrap band.
    public func profileFigure() -> LineFigure {
        let all = rows.flatMap { $0.scores.flatMap { $0 } }
        let lo = all.min() ?? 0, hi = all.max() ?? 1
        let taus = (0...100).map { lo + (hi - lo) * Double($0) / 100 }
        let series = rows.enumerated().map { i, r in
            let bands = taus.enumerated().map { j, tau in
                RobustStatistics.stratifiedBootstrap(r.scores, resamples: min(resamples, 500), seed: UInt64(i) << 16 | UInt64(j)) {
                    RobustStatistics.scoreDistribution($0, taus: [tau])[0]
                }
            }
            return LineFigure.Series(label: r.label, color: rows.count <= 8 ? Palette.color(index: i) : Palette.color(method: r.method),
                                     dash: Palette.dash(index: i), x: taus, y: RobustStatistics.scoreDistribution(r.scores, taus: taus),
                                     lower: bands.map(\.low), upper: bands.map(\.high), seeds: "n=\(r.seeds.count)",
                                     attributes: [("row", r.label)])
        }
        let x = normalisation == .none ? "score τ" : "normalised score τ"
        return LineFigure(title: "Performance profiles · \(sweep)", xLabel: x, yLabel: "fraction of runs with score > τ",
                          panels: [LineFigure.Panel(title: tasks.joined(separator: ", "), series: series)], columns: 1,
                          note: "Run-score distributions (rliable): over all runs and tasks; band = 95 % stratified bootstrap interval.")
    }
}
