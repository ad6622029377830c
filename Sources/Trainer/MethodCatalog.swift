/// The methods the trainer knows, their signature hyperparameter and every key they accept.
/// The sweep parser validates against this table, so a new method is added here and only here.
public struct MethodInfo: Sendable, Equatable {
    public let name: String
    /// The hyperparameter a Table 1 row is labelled with (clip, beta, N, ...).
    public let signature: String
    /// Every accepted key with its default (the signature's default is used when a sweep omits it).
    public let defaults: [String: Double]
    /// Every accepted string option with its allowed values, the first being the default.
    public let choices: [String: [String]]
    /// The numeric keys that must be whole numbers (a memory size, an interval).
    public let wholeNumbers: Set<String>

    public init(name: String, signature: String, defaults: [String: Double], choices: [String: [String]] = [:],
                wholeNumbers: Set<String> = []) {
        self.name = name
        self.signature = signature
        self.defaults = defaults
        self.choices = choices
        self.wholeNumbers = wholeNumbers
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
                             "write_every": MCPO.WriteEvery.allCases.map(\.rawValue)], wholeNumbers: ["N", "write_interval"]),
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
