/// The statistics of a results table: pure functions, no I/O.
///
/// Conventions (stated in every table's footnote):
/// - the standard deviation is the *sample* one (divisor n − 1); a cell with a single seed has
///   no spread to estimate, so its std is reported as 0 (and its n = 1 is shown beside it);
/// - Cohen's d compares a cell with the best cell of its column using the pooled sample std.
public enum Statistics {
    /// Arithmetic mean, summed in the given order (callers fix the order so that results are
    /// reproducible bit for bit). `nil` for an empty sample.
    public static func mean(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        var sum = 0.0
        for x in xs { sum += x }
        return sum / Double(xs.count)
    }

    /// Sample standard deviation, sqrt(Σ(x − mean)² / (n − 1)).
    /// n = 1 ⇒ 0 (by convention: undefined, reported as 0 with n = 1 beside it); n = 0 ⇒ nil.
    public static func sampleStandardDeviation(_ xs: [Double]) -> Double? {
        guard let m = mean(xs) else { return nil }
        guard xs.count > 1 else { return 0 }
        var squares = 0.0
        for x in xs { squares += (x - m) * (x - m) }
        return (squares / Double(xs.count - 1)).squareRoot()
    }

    /// Pooled standard deviation sqrt(((n1−1)s1² + (n2−1)s2²) / (n1+n2−2)).
    /// `nil` when n1 + n2 − 2 ≤ 0 (two single-seed cells: no degrees of freedom).
    public static func pooledStandardDeviation(n1: Int, s1: Double, n2: Int, s2: Double) -> Double? {
        let dof = n1 + n2 - 2
        guard dof > 0 else { return nil }
        let a = Double(n1 - 1) * s1 * s1
        let b = Double(n2 - 1) * s2 * s2
        return ((a + b) / Double(dof)).squareRoot()
    }

    /// Cohen's effect size of `cell` against `best`: d = (mean_best − mean_cell) / s_pooled.
    ///
    /// Edge cases (no spread to scale by, i.e. s_pooled = 0 or n1 + n2 − 2 = 0): d = 0 when the
    /// two means are equal, +∞ otherwise. A difference that no noise explains is not
    /// "indifferent", so such a cell is never underlined; equal means are indifferent.
    public static func cohensD(best: Summary, cell: Summary) -> Double {
        let difference = best.mean - cell.mean
        guard let pooled = pooledStandardDeviation(n1: best.n, s1: best.std, n2: cell.n, s2: cell.std),
              pooled > 0
        else {
            if difference == 0 { return 0 }
            return difference > 0 ? .infinity : -.infinity
        }
        return difference / pooled
    }

    /// The threshold under which a cell is "statistically indifferent" from the best.
    public static let indifferenceThreshold = 0.5

    /// Marks of one environment column (one entry per cell, same order as `cells`):
    /// - `bold`: the cell's mean equals the highest mean of the column (all tied bests are bold);
    /// - `d`: Cohen's d against the best cell (the smallest d over tied bests; 0 for a bold cell);
    /// - `underline`: not bold and d < 0.5.
    public static func marks(_ cells: [Summary]) -> [Mark] {
        guard let top = cells.map(\.mean).max() else { return [] }
        let bests = cells.filter { $0.mean == top }
        return cells.map { cell in
            if cell.mean == top { return Mark(bold: true, underline: false, d: 0) }
            let d = bests.map { cohensD(best: $0, cell: cell) }.min() ?? .infinity
            return Mark(bold: false, underline: d < indifferenceThreshold, d: d)
        }
    }

    /// Mean, sample std and count of one cell.
    public struct Summary: Equatable, Sendable {
        public var mean: Double
        public var std: Double
        public var n: Int

        public init(mean: Double, std: Double, n: Int) {
            self.mean = mean
            self.std = std
            self.n = n
        }

        /// nil for an empty sample.
        public init?(_ xs: [Double]) {
            guard let m = Statistics.mean(xs), let s = Statistics.sampleStandardDeviation(xs) else { return nil }
            self.init(mean: m, std: s, n: xs.count)
        }
    }

    public struct Mark: Equatable, Sendable {
        public var bold: Bool
        public var underline: Bool
        /// Cohen's d against the column's best (0 for a best cell; may be +∞).
        public var d: Double
    }
}
