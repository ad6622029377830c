import Trainer

/// The TrainingConfig fields a sweep file may set under `defaults` and per environment, with
/// their type and valid range. A new TrainingConfig field becomes settable by adding one line.
public struct ConfigField: Sendable {
    public enum Kind: Sendable {
        /// An integer in [1, max] (`TrainingLimits`).
        case count(max: Int)
        /// A finite real number satisfying `valid`, described by `expected` ("a number > 0").
        case real(expected: String, valid: @Sendable (Double) -> Bool)
        case flag
        /// One of a fixed list of words.
        case choice([String])
    }

    public let key: String
    public let kind: Kind
    let apply: @Sendable (inout TrainingConfig, SettingValue) -> Void

    public static let all: [ConfigField] = [
        count("steps") { $0.steps = $1 },
        count("horizon") { $0.horizon = $1 },
        count("epochs") { $0.epochs = $1 },
        count("minibatch_size") { $0.minibatchSize = $1 },
        count("actors") { $0.actors = $1 },
        real("lr", "a number > 0", { $0 > 0 }) { $0.lr = $1 },
        real("gamma", "a number in (0, 1]", { $0 > 0 && $0 <= 1 }) { $0.gamma = $1 },
        real("lambda", "a number in [0, 1]", { $0 >= 0 && $0 <= 1 }) { $0.lambda = $1 },
        real("c1", "a number ≥ 0", { $0 >= 0 }) { $0.c1 = $1 },
        real("c2", "a number ≥ 0", { $0 >= 0 }) { $0.c2 = $1 },
        real("max_grad_norm", "a number > 0", { $0 > 0 }) { $0.maxGradNorm = $1 },
        flag("normalize_observations") { $0.normalizeObservations = $1 },
        flag("scale_rewards") { $0.scaleRewards = $1 },
        flag("clipped_action_likelihood") { $0.clippedActionLikelihood = $1 },
        choice("advantage_norm", TrainingConfig.AdvantageNorm.self) { $0.advantageNorm = $1 },
        real("value_clip", "a number > 0 (omit the key for no value clipping)", { $0 > 0 }) { $0.valueClip = $1 },
        choice("lr_schedule", TrainingConfig.LRSchedule.self) { $0.lrSchedule = $1 },
        choice("time_limit", TrainingConfig.TimeLimit.self) { $0.timeLimit = $1 },
        count("eval_every") { $0.evalEvery = $1 },
        count("eval_episodes") { $0.evalEpisodes = $1 },
    ]

    public static let keys: [String] = all.map(\.key)

    public static func named(_ key: String) -> ConfigField? { all.first { $0.key == key } }

    private static func count(_ key: String, _ set: @escaping @Sendable (inout TrainingConfig, Int) -> Void) -> ConfigField {
        ConfigField(key: key, kind: .count(max: TrainingLimits.counts[key]!)) { config, value in
            if case let .integer(i) = value { set(&config, i) }
        }
    }

    private static func real(_ key: String, _ expected: String, _ valid: @escaping @Sendable (Double) -> Bool,
                             _ set: @escaping @Sendable (inout TrainingConfig, Double) -> Void) -> ConfigField {
        ConfigField(key: key, kind: .real(expected: expected, valid: valid)) { config, value in
            switch value {
            case let .real(x): set(&config, x)
            case let .integer(i): set(&config, Double(i))
            case .flag, .text: break
            }
        }
    }

    private static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ key: String, _ type: T.Type, _ set: @escaping @Sendable (inout TrainingConfig, T) -> Void
    ) -> ConfigField where T.RawValue == String {
        ConfigField(key: key, kind: .choice(T.allCases.map(\.rawValue))) { config, value in
            if case let .text(word) = value, let v = T(rawValue: word) { set(&config, v) }
        }
    }

    private static func flag(_ key: String, _ set: @escaping @Sendable (inout TrainingConfig, Bool) -> Void) -> ConfigField {
        ConfigField(key: key, kind: .flag) { config, value in
            if case let .flag(b) = value { set(&config, b) }
        }
    }
}
