/// What values a numeric hyperparameter admits.
public enum ParameterRule: Sendable, Equatable {
    /// A finite number > 0 (a clip range, a coefficient, a step size).
    case positive
    /// A whole number > 0 (a memory size, an interval).
    case wholePositive
    /// A number in [0, 1) (a dropout probability).
    case fraction

    public func admits(_ x: Double) -> Bool {
        switch self {
        case .positive: return x > 0 && x.isFinite
        case .wholePositive: return x > 0 && x.isFinite && x == x.rounded()
        case .fraction: return x >= 0 && x < 1
        }
    }

    /// "a number > 0", as error messages say it.
    public var expectation: String {
        switch self {
        case .positive: return "a number > 0"
        case .wholePositive: return "a whole number > 0"
        case .fraction: return "a number in [0, 1)"
        }
    }
}

/// The methods the trainer knows, their signature hyperparameter and every key they accept.
/// `check` is the one validator of a method's values: the sweep parser calls it on every value
/// of a sweep file before anything is stored, and the trainer on every value it builds a method
/// from, so a value the parser accepts is a value the method accepts. A new method is added here.
public struct MethodInfo: Sendable, Equatable {
    public let name: String
    /// The hyperparameter a Table 1 row is labelled with (clip, beta, N, ...).
    public let signature: String
    /// Every accepted key with its default (the signature's default is used when a sweep omits it).
    public let defaults: [String: Double]
    /// Every accepted string option with its allowed values, the first being the default.
    public let choices: [String: [String]]
    /// The rule of each numeric key that is not `.positive` (the rule of every other key).
    public let rules: [String: ParameterRule]

    public init(name: String, signature: String, defaults: [String: Double], choices: [String: [String]] = [:],
                rules: [String: ParameterRule] = [:]) {
        self.name = name
        self.signature = signature
        self.defaults = defaults
        self.choices = choices
        self.rules = rules
    }

    public func rule(for key: String) -> ParameterRule { rules[key] ?? .positive }

    /// Throws `TrainerError.invalidParameter` unless `value` is admitted for numeric key `key`,
    /// `invalidConfig` for a key the method does not have.
    public func check(_ key: String, _ value: Double) throws {
        guard defaults[key] != nil else {
            throw TrainerError.invalidConfig(
                "\(name) has no hyperparameter '\(key)'; valid: \(defaults.keys.sorted().joined(separator: ", "))")
        }
        let rule = rule(for: key)
        guard rule.admits(value) else {
            throw TrainerError.invalidParameter(method: name, key: key, expected: rule.expectation, found: value)
        }
    }
}

public enum MethodCatalog {
    public static let all: [MethodInfo] = [
        MethodInfo(name: "KLAdaptive", signature: "d_targ", defaults: ["d_targ": 0.01, "beta_init": 1]),
        MethodInfo(name: "KLFixed", signature: "beta", defaults: ["beta": 0.1]),
        MethodInfo(name: "PPO", signature: "clip", defaults: ["clip": 0.2]),
        MethodInfo(name: "MDPO", signature: "beta0", defaults: ["beta0": 0.5],
                   choices: ["schedule": MDPO.Schedule.allCases.map(\.rawValue)]),
        MethodInfo(name: "MCPO", signature: "N",
                   defaults: ["N": 10, "beta_max": 10, "beta_min": 0.01, "write_interval": 10, "dropout": 0.5],
                   choices: ["ablation": MCPO.Ablation.allCases.map(\.rawValue),
                             "write_every": MCPO.WriteEvery.allCases.map(\.rawValue)],
                   rules: ["N": .wholePositive, "write_interval": .wholePositive, "dropout": .fraction]),
        MethodInfo(name: "VMPO", signature: "alpha0",
                   defaults: ["alpha0": 1, "eta0": 1, "eps_eta": 0.01, "eps_alpha": 0.01, "eps_alpha_sigma": 1e-4]),
    ]

    /// Case-insensitive lookup; nil for an unknown method.
    public static func method(named name: String) -> MethodInfo? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    public static var names: [String] { all.map(\.name) }
}

/// Per-iteration metric keys every run records (the store's `metrics.key`).
public enum MetricKey {
    /// Mean undiscounted return of the last 100 completed training episodes: a run's score.
    public static let score = "score"
    public static let episodes = "episodes"
    public static let episodeReturnMean = "episode_return_mean"
    public static let episodeLengthMean = "episode_length_mean"
    public static let valueLoss = "value_loss"
    public static let policyLoss = "policy_loss"
    public static let entropy = "entropy"
    public static let clipFraction = "clip_fraction"
    /// Ê over the iteration's samples of KL(π_θold ‖ π_θ) after the update, d(θold, θ).
    public static let klOldNew = "kl_old_new"
    /// Ê over the minibatches of (ratio − 1) − log ratio, a cheap estimate of the same.
    public static let approxKLMinibatch = "approx_kl"
    /// Gaussian policies: the fraction of the rollout's action means (per action dimension) outside
    /// the environment's bounds, where the clipped action no longer depends on the mean, and the
    /// mean log σ after the update. Together they show a policy drifting into the bounds.
    public static let meanOutOfBounds = "mean_out_of_bounds"
    public static let logStd = "log_std"
}
