import Foundation

/// The clipped-Gaussian collapse (issue 12, point 5): a run whose action means were driven past
/// the environment's bounds while log σ fell and the return sank. Recognised from a run's own
/// per-iteration metrics (docs/metrics.md), after the iteration of its best `score`:
/// - `mean_out_of_bounds` peaks at ≥ 0.3 and at least 0.25 above its first value (it rose);
/// - `log_std` falls to at least 0.25 below its value at the best score;
/// - `score` ends below the best by at least a quarter of the run's score range (best − worst
///   over training).
/// Runs of discrete policies (no `mean_out_of_bounds`) are never flagged.
public struct CollapseSignature: Equatable, Sendable, CustomStringConvertible {
    public var bestStep: Int64
    /// At the first iteration and its peak after the best score.
    public var outOfBounds: (first: Double, peak: Double)
    /// At the best score and its low after it.
    public var logStd: (atBest: Double, low: Double)
    public var score: (best: Double, final: Double)

    public static func == (a: CollapseSignature, b: CollapseSignature) -> Bool {
        a.bestStep == b.bestStep && a.outOfBounds == b.outOfBounds && a.logStd == b.logStd && a.score == b.score
    }

    public var description: String {
        String(format: "collapse after step %lld (its best score): action means out of bounds %.2f at the start, %.2f at most after; log σ %.2f → %.2f; score %.1f → %.1f at the end",
               bestStep, outOfBounds.first, outOfBounds.peak, logStd.atBest, logStd.low, score.best, score.final)
    }

    public static let keys = [Store.scoreKey, "mean_out_of_bounds", "log_std"]

    /// The signature in a run's metrics (any order), or nil when it does not show it.
    public static func find(in metrics: [MetricRecord]) -> CollapseSignature? {
        var series: [String: [Int64: Double]] = [:]
        for m in metrics where keys.contains(m.key) { series[m.key, default: [:]][m.step] = m.value }
        guard let scores = series[Store.scoreKey], let oob = series["mean_out_of_bounds"], let logStd = series["log_std"],
              let best = scores.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }),
              let worst = scores.values.min(), let last = scores.keys.max(), let scoreEnd = scores[last],
              let oobFirst = oob.min(by: { $0.key < $1.key })?.value, let sigmaBest = logStd[best.key],
              let oobPeak = oob.filter({ $0.key > best.key }).values.max(),
              let sigmaLow = logStd.filter({ $0.key > best.key }).values.min()
        else { return nil }
        let range = best.value - worst
        guard oobPeak >= 0.3, oobPeak >= oobFirst + 0.25, sigmaLow <= sigmaBest - 0.25,
              range > 0, scoreEnd <= best.value - range / 4 else { return nil }
        return CollapseSignature(bestStep: best.key, outOfBounds: (oobFirst, oobPeak), logStd: (sigmaBest, sigmaLow),
                                 score: (best.value, scoreEnd))
    }
}

extension ResultsReader {
    /// The collapse signature of a done run, reading its whole metrics only for a Gaussian policy
    /// (one that records `mean_out_of_bounds`).
    public func collapseSignature(runID: Int64) throws -> CollapseSignature? {
        guard try lastMetric(runID: runID, key: "mean_out_of_bounds") != nil else { return nil }
        return CollapseSignature.find(in: try metrics(runID: runID))
    }
}
