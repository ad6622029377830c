/// What values a numeric hyperparameter admits.
public enum ParameterRule: Sendable, Equatable {
    /// A finite number > 0 (a clip range, a coefficient, a step size).
    case positive
    /// A whole number in [1, max] (a memory size, an interval).
    case whole(max: Int)
    /// A number in [0, 1) (a dropout probability).
    case fraction

    public func admits(_ x: Double) -> Bool {
        switch self {
        case .positive: return x > 0 && x.isFinite
        case let .whole(max): return x >= 1 && x <= Double(max) && x == x.rounded()
        case .fraction: return x >= 0 && x < 1
        }
    }

    /// "a number > 0", as error messages say it.
    public var expectation: String {
        switch self {
        case .positive: return "a number > 0"
        case let .whole(max): return "a whole number in [1, \(max)]"
        case .fraction: return "a number in [0, 1)"
        }
    }
}

/// A method's entry in the catalog: its signature hyperparameter, every key it accepts with its
/// default and rule, and its string options. Its `init(_:)` checks values against this
/// (`MethodParameters.checked(by:)`), and the sweep parser reads it for keys and error wording.
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
    /// Options whose chosen default differs from their first value (the meaning of a config that
    /// does not name them, so stored runs keep theirs): a sweep expands to runs that name these
    /// explicitly, unless it sets the option itself or asks for `variant: paper`.
    public let recommended: [String: String]

    public init(name: String, signature: String, defaults: [String: Double], choices: [String: [String]] = [:],
                rules: [String: ParameterRule] = [:], recommended: [String: String] = [:]) {
        self.name = name
        self.signature = signature
        self.defaults = defaults
        self.choices = choices
        self.rules = rules
        self.recommended = recommended
    }

    /// The options of a run (its config's `choices`) that differ from what a new run gets by
    /// default, for labels: a run of the chosen defaults shows none; `variant: paper` shows itself
    /// and any option set besides; a stored run from before a recommendation shows that
    /// option's first value (what it ran).
    public func distinguishing(_ choices: [String: String]) -> [String: String] {
        if choices["variant"] == "paper" { return choices.filter { self.choices[$0.key]?.first != $0.value } }
        var out: [String: String] = [:]
        for (key, values) in self.choices {
            let ran = choices[key] ?? values[0], chosen = recommended[key] ?? values[0]
            if ran != chosen { out[key] = ran }
        }
        for (key, value) in choices where self.choices[key] == nil { out[key] = value }  // unknown: shown as stored
        return out
    }

    /// The options a new run of this method gets: its sweep's, plus the recommended defaults it
    /// does not set (none under `variant: paper`). The first (absent) value is left implicit.
    public func resolvedChoices(_ given: [String: String]) -> [String: String] {
        var out = given.filter { choices[$0.key]?.first != $0.value }
        guard given["variant"] != "paper" else { return out }
        for (key, value) in recommended where given[key] == nil { out[key] = value }
        return out
    }

    public func rule(for key: String) -> ParameterRule { rules[key] ?? .positive }

    /// Throws `TrainerError.invalidParameter` unless `value` is admitted for numeric key `key`,
    /// `invalidConfig` for a key the method does not have.
    func check(_ key: String, _ value: Double) throws {
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

/// The methods the trainer knows. Adding one: see `Trainer`'s doc comment.
public enum MethodCatalog {
    /// Every method, one line each.
    /// (Immutable; metatypes of a non-Sendable protocol are not Sendable to the compiler.)
    nonisolated(unsafe) static let types: [any PolicyObjective.Type] = [
        KLAdaptive.self,
        KLFixed.self,
        PPO.self,
        MDPO.self,
        MCPO.self,
        VMPO.self,
        TRPO.self,
    ]

    public static let all: [MethodInfo] = types.map { $0.info }

    /// Case-insensitive lookup; nil for an unknown method.
    public static func method(named name: String) -> MethodInfo? {
        type(named: name)?.info
    }

    static func type(named name: String) -> (any PolicyObjective.Type)? {
        types.first { $0.info.name.lowercased() == name.lowercased() }
    }

    public static var names: [String] { all.map(\.name) }

    /// Builds the method named `method` from `parameters` through its initialiser, the method's
    /// only validator, and discards it: what the sweep parser calls on every value before storing.
    public static func validate(method: String, _ parameters: MethodParameters) throws {
        _ = try make(method, parameters)
    }

    /// The method of a run's config, built through its initialiser.
    static func make(_ config: TrainingConfig) throws -> any PolicyObjective {
        try make(config.method, MethodParameters(config.params, choices: config.choices, learningRate: config.lr,
                                                 seed: config.seed))
    }

    static func make(_ method: String, _ parameters: MethodParameters) throws -> any PolicyObjective {
        guard let type = type(named: method) else { throw TrainerError.unknownMethod(method, valid: names) }
        return try type.init(parameters)
    }
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
    /// TRPO: the fraction of the natural-gradient step the line search kept (1, ½, …; 0: rejected, θ = θold).
    public static let stepFraction = "step_fraction"
    /// Mean undiscounted return and length of the deterministic evaluation episodes of θ
    /// (Trainer+Evaluation.swift), recorded every `eval_every` iterations and after the last.
    public static let evalReturn = "eval_return"
    public static let evalLength = "eval_length"
    /// `eval_return` of another policy the method names (MCPO: "psi", `eval_return_psi`).
    public static func evalReturn(of name: String) -> String { "\(evalReturn)_\(name)" }
}
