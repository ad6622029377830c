import ExperimentStore
import Foundation
import Trainer

/// What a table can group runs by: a run's sweep and every key of its config with defaults
/// filled (`TrainingConfig.everySetting`, the method's hyperparameters and string options), by
/// the names sweep files use.
public struct RunFacts: Equatable, Sendable {
    /// A fact's value: a number (ordered numerically) or text.
    public enum Value: Hashable, Sendable, CustomStringConvertible {
        case number(Double), text(String)

        public var description: String {
            switch self {
            case .number(let x): return Format.value(x)
            case .text(let t): return t
            }
        }

        /// Numbers before text, numbers by value, text alphabetically.
        static func precedes(_ a: Value, _ b: Value) -> Bool {
            switch (a, b) {
            case let (.number(x), .number(y)): return x < y
            case (.number, .text): return true
            case (.text, .number): return false
            case let (.text(s), .text(t)): return s < t
            }
        }
    }

    public var values: [String: Value]

    public init(values: [String: Value]) { self.values = values }

    /// The facts of a stored run of sweep `sweep`.
    public init(run: RunRecord, sweep: String) {
        var values: [String: Value] = ["sweep": .text(sweep), "method": .text(run.method), "env": .text(run.env),
                                       "seed": .number(Double(run.seed)), "steps": .number(Double(run.steps))]
        if let config = try? JSONDecoder().decode(TrainingConfig.self, from: Data(run.configJSON.utf8)) {
            for (key, setting) in config.everySetting {
                switch setting {
                case .number(let x): values[key] = .number(x)
                case .flag(let b): values[key] = .text(b ? "true" : "false")
                case .text(let t): values[key] = .text(t)
                case .none: values[key] = .text("none")
                }
            }
            let (params, choices) = config.methodSettings(MethodCatalog.method(named: config.method))
            for (key, x) in params where values[key] == nil { values[key] = .number(x) }
            for (key, c) in choices where values[key] == nil { values[key] = .text(c) }
        }
        self.values = values
    }

    public subscript(key: String) -> Value? { values[key] }

    /// Keys a table never groups rows by on its own: the seed is what a cell averages over, the
    /// sweep only names where runs were stored.
    static let notRowKeys: Set<String> = ["seed", "sweep", "method", "env"]
}
