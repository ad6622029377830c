import ExperimentStore
import Foundation

/// A sweep's progress for the live page: counts, a rate and an ETA.
public struct SweepProgress: Sendable {
    public var counts: StatusCounts
    /// Env steps per second of the whole sweep (all workers), nil when it cannot be told.
    public var stepsPerSecond: Double?
    public var eta: Double?
    /// Share of the sweep's work done: finished runs count whole, running ones by their steps.
    public var share: Double

    /// The rate from finished runs (steps over wall seconds, per run) times the runs running now;
    /// nil before any run of the sweep finished or while none runs.
    public static func of(sweepID: Int64, in store: any ResultsReader) throws -> SweepProgress {
        let counts = try store.statusCounts(sweepID: sweepID)
        var steps = 0.0, seconds = 0.0
        for r in try store.runs(sweepID: sweepID, status: .done) {
            if let w = r.wallSeconds, w > 0 { steps += Double(r.stepsDone); seconds += w }
        }
        var rate: Double?
        if seconds > 0, counts.running > 0 { rate = steps / seconds * Double(counts.running) }
        let eta = rate.map { Double(counts.stepsRemaining) / $0 }
        var work = Double(counts.done + counts.failed)
        for r in try store.runs(sweepID: sweepID, status: .running) where r.steps > 0 {
            // Metrics are recorded every iteration, steps_done only at checkpoints.
            let recorded = try store.lastMetric(runID: r.id, key: "episodes")?.step ?? 0
            work += min(1, Double(max(r.stepsDone, recorded)) / Double(r.steps))
        }
        return SweepProgress(counts: counts, stepsPerSecond: rate, eta: eta, share: counts.total > 0 ? work / Double(counts.total) : 0)
    }

    /// "2 h 05 min", "7 min 12 s", "40 s".
    public static func duration(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "–" }
        let t = Int(s.rounded())
        if t >= 3600 { return "\(t / 3600) h \(String(format: "%02d", (t % 3600) / 60)) min" }
        if t >= 60 { return "\(t / 60) min \(String(format: "%02d", t % 60)) s" }
        return "\(t) s"
    }
}
