import ExperimentStore

/// Everything the report refuses, each described in one line for standard error.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case noStore(path: String)
    case noSweeps(path: String)
    case unknownSweep(name: String, existing: [String])
    case emptySweep(name: String, counts: [String: Int])
    case cannotReadReference(path: String, reason: String)
    case badReference(path: String, line: Int, message: String)
    case badOption(String)
    /// Nothing to draw: no run of the chosen sweeps recorded the metric (after the filters).
    case noCurves(metric: String, sweeps: [String], filters: String)

    public var description: String {
        switch self {
        case let .noStore(path):
            return "\(path): no such store (run `mcpo-sweep run FILE` first, or pass --db PATH)"
        case let .noSweeps(path):
            return "\(path): the store has no sweeps yet"
        case let .unknownSweep(name, existing):
            return "\(StoreError.noSuchSweep(name: name, stored: existing))"   // one wording, mcpo-sweep's too
        case let .emptySweep(name, counts):
            let states = ["pending", "running", "done", "failed"]
            let summary = states.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
            let total = counts.values.reduce(0, +)
            if total == 0 { return "sweep '\(name)' has no runs" }
            return "sweep '\(name)' has no finished run with a 'score' metric yet (\(total) runs: \(summary))"
        case let .cannotReadReference(path, reason):
            return "\(path): cannot read the reference table (\(reason))"
        case let .badReference(path, line, message):
            return "\(path):\(line): \(message)"
        case let .badOption(message):
            return message
        case let .noCurves(metric, sweeps, filters):
            let names = sweeps.map { "'\(PrintableName.escaped($0))'" }.joined(separator: ", ")
            return "no run of sweep \(names)\(filters) has recorded metric '\(PrintableName.escaped(metric))' yet"
        }
    }
}
