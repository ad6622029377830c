/// Where a trainer reports per-iteration metrics. The trainer never touches the store: the
/// worker joins the two through this protocol.
public protocol MetricSink: AnyObject {
    /// Called once per iteration with the env steps taken so far and that iteration's metrics.
    func record(step: Int, metrics: [String: Double]) throws
}

/// Keeps everything in memory (tests, benchmarks).
public final class MemoryMetricSink: MetricSink {
    public private(set) var rows: [(step: Int, metrics: [String: Double])] = []
    public init() {}
    public func record(step: Int, metrics: [String: Double]) throws {
        rows.append((step, metrics))
    }
    public func last(_ key: String) -> Double? {
        rows.last(where: { $0.metrics[key] != nil })?.metrics[key]
    }
}
