import ExperimentStore
import Foundation
import Trainer

/// One run of an expanded sweep: its config, the config's JSON (sorted keys) and hash, and the
/// labels the store keeps in columns.
public struct PlannedRun: Equatable, Sendable {
    public var config: TrainingConfig
    public var configJSON: String
    public var configHash: String
    /// The method's signature hyperparameter and its value (the Table 1 row label).
    public var param: String
    public var value: Double

    /// The run as the store inserts it.
    public var newRun: NewRun {
        NewRun(configJSON: configJSON, configHash: configHash, method: config.method, param: param,
               value: value, env: config.env, seed: config.seed, steps: config.steps)
    }
}

extension SweepSpec {
    /// The grid, in a stable order: methods (file order) × hyperparameter combinations (the
    /// signature outermost, then the other listed keys in alphabetical order, each in its
    /// listed order) × environments (file order) × setting combinations (the settings that are
    /// lists, from defaults, the method or the environment, in alphabetical order of their keys,
    /// each in its listed order) × seeds (listed order). A sweep without setting lists expands
    /// exactly as before settings could be grid axes.
    public func expand(methods catalog: [MethodInfo] = MethodCatalog.all) -> [PlannedRun] {
        var runs: [PlannedRun] = []
        for method in methods {
            guard let info = catalog.first(where: { $0.name == method.name }) else { continue }
            let axes = method.params.keys.sorted { a, b in
                a == info.signature ? b != info.signature : (b == info.signature ? false : a < b)
            }
            for combination in SweepSpec.product(axes.map { (key: $0, values: method.params[$0]!) }) {
                var params = info.defaults
                var given: [String: String] = [:]
                for (k, v) in combination {
                    switch v {
                    case let .number(x): params[k] = x
                    case let .choice(c): given[k] = c
                    }
                }
                // The first choice is left implicit, so writing it changes nothing; the method's
                // recommended options are written out (method.md §5 [choice]s).
                let choices = info.resolvedChoices(given)
                for env in envs {
                    let settings = self.settings(method: method, env: env)
                    for assignment in SweepSpec.product(settings.keys.sorted().map { (key: $0, values: settings[$0]!.values) }) {
                        for seed in seeds {
                            var config = TrainingConfig(method: info.name, env: env.name, seed: seed, steps: 1, params: params)
                            config.choices = choices
                            for (key, value) in assignment { ConfigField.named(key)?.apply(&config, value) }
                            let json = SweepSpec.json(config)
                            runs.append(PlannedRun(config: config, configJSON: json, configHash: StableHash.hex(of: json),
                                                   param: info.signature, value: params[info.signature] ?? .nan))
                        }
                    }
                }
            }
        }
        return runs
    }

    /// The settings of `method`'s runs on `env`: the defaults, replaced key by key by the
    /// method's, then by the environment's (the parser refuses a key set by both).
    func settings(method: MethodEntry, env: EnvEntry) -> [String: SettingValues] {
        defaults.merging(method.settings) { _, new in new }.merging(env.settings) { _, new in new }
    }

    /// A run config's JSON as stored: JSONEncoder with sorted keys.
    public static func json(_ config: TrainingConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(config), as: UTF8.self)
    }

    /// Cartesian product, first axis outermost.
    static func product<Value>(_ axes: [(key: String, values: [Value])]) -> [[(String, Value)]] {
        axes.reduce([[]]) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [(axis.key, $0)] } }
        }
    }
}
