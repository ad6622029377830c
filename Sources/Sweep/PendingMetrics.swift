import ExperimentStore
import Trainer

/// The iterations' metrics since the last checkpoint, kept in memory until they are written
/// with the next one (or with the run's end). A non-finite value is refused at once: the run
/// diverged, and the iterations before it are the good ones.
final class PendingMetrics: MetricSink {
    private(set) var rows: [MetricRow] = []

    func record(step: Int, metrics: [String: Double]) throws {
        if let bad = metrics.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
            throw WorkerError.nonFiniteMetric(key: bad.key, step: step, value: bad.value)
        }
        rows.append(MetricRow(step: step, values: metrics))
    }

    /// The step of the newest row, if any.
    var lastStep: Int? { rows.last?.step }

    func removeAll() { rows.removeAll(keepingCapacity: true) }
}

/// Why a worker stops a run, beyond the trainer's and the store's own errors.
enum WorkerError: Error, CustomStringConvertible {
    case nonFiniteMetric(key: String, step: Int, value: Double)

    var description: String {
        switch self {
        case let .nonFiniteMetric(key, step, value): return "metric '\(key)' is \(value) at step \(step)"
        }
    }
}
