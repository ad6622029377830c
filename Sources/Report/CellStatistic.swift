/// What a table's cell shows (`--stat`, `--ci`) and how its column's marks are decided.
public struct CellStatistic: Equatable, Sendable {
    /// The spread shown beside the point statistic.
    public enum Spread: String, CaseIterable, Sendable {
        /// Nothing: the point statistic alone.
        case none
        /// ± the sample standard deviation over seeds.
        case std
        /// The percentile bootstrap 95 % interval of the statistic over seeds, in brackets.
        case boot95
    }

    public var stat: RobustStatistics.Stat
    public var ci: Spread
    /// Bootstrap resamples per cell (`boot95`).
    public var resamples: Int

    public init(stat: RobustStatistics.Stat = .mean, ci: Spread = .std, resamples: Int = 2000) {
        self.stat = stat
        self.ci = ci
        self.resamples = resamples
    }

    /// Mean ± sample std: Table 1's form (and the JSON's long-standing rules text).
    public var isDefault: Bool { stat == .mean && ci == .std }

    var statName: String {
        switch stat {
        case .mean: return "mean"
        case .median: return "median"
        case .iqm: return "IQM (interquartile mean, ⌊n/4⌋ cut from each end)"
        }
    }

    /// How a cell is computed, for the footnote.
    public var cellRule: String {
        switch ci {
        case .std:
            return "\(stat == .mean ? "mean" : statName) ± std over seeds (n = number of seeds), std = sample standard deviation (n−1), shown as 0 when n = 1"
        case .none:
            return "\(statName) over seeds (n = number of seeds)"
        case .boot95:
            return "\(statName) over seeds [95 % percentile bootstrap interval, \(resamples) seeded resamples of the seeds] (n = number of seeds)"
        }
    }

    /// How the marks are decided, for the footnote.
    public var markRule: String {
        let best = "bold = best \(stat == .mean ? "mean" : stat.rawValue == "iqm" ? "IQM" : stat.rawValue) of its column (ties all bold)"
        if ci == .boot95 { return best + "; underlined = its interval overlaps the best's" }
        return best + "; underlined = Cohen's d < 0.5 against the best (pooled sample std)"
    }

    /// The cell's bootstrap interval (`boot95` only; nil otherwise). One score is its own interval.
    func interval(_ xs: [Double], seed: UInt64) -> RobustStatistics.Interval? {
        guard ci == .boot95 else { return nil }
        let stat = self.stat
        return RobustStatistics.stratifiedBootstrap(xs.map { [$0] }, resamples: resamples, seed: seed) { m in
            stat.of(m.map { $0[0] }) ?? .nan
        }
    }

    /// The marks of one column. Bold: the best point statistic (ties all bold). Underline: with
    /// `boot95`, an interval overlapping a best cell's; otherwise Cohen's d < 0.5 against a best
    /// cell (d on the means and pooled sample std, as Table 1; `d` is always that).
    func marks(_ cells: [Table1.Cell]) -> [Statistics.Mark] {
        guard let top = cells.map(\.point).filter({ !$0.isNaN }).max() else {
            return cells.map { _ in Statistics.Mark(bold: false, underline: false, d: .nan) }
        }
        let bests = cells.filter { $0.point == top }
        return cells.map { cell in
            if cell.point == top { return Statistics.Mark(bold: true, underline: false, d: 0) }
            let d = bests.map { Statistics.cohensD(best: $0.summary, cell: cell.summary) }.min() ?? .infinity
            let underline: Bool
            if ci == .boot95, let mine = cell.interval {
                underline = bests.contains { $0.interval.map(mine.overlaps) ?? false }
            } else {
                underline = d < Statistics.indifferenceThreshold
            }
            return Statistics.Mark(bold: false, underline: underline, d: d)
        }
    }
}
