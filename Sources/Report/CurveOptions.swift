/// What `mcpo-report curves` draws (and a dashboard figure declares).
public struct CurveOptions: Sendable, Equatable {
    public enum XAxis: String, CaseIterable, Sendable { case steps, iterations }
    public enum Band: String, CaseIterable, Sendable { case std, ci95, none }
    /// One panel per environment (lines: the rows of Table 1), per method and environment (lines:
    /// its hyperparameter values, the paper's Figs 6–11), or per row and environment (one line).
    public enum PanelBy: String, CaseIterable, Sendable { case env, method, value }

    public var metric = Table1.scoreKey
    public var x: XAxis = .steps
    public var band: Band = .std
    /// Trailing moving average over this many recorded points of each run, before averaging (1: none).
    public var smooth = 1
    public var panel: PanelBy = .env
    /// Only these environments / methods (empty: all).
    public var envs: [String] = []
    public var methods: [String] = []
    /// Points of the common grid for lines whose runs recorded at different steps.
    public var gridPoints = 200
    /// Bootstrap resamples for ci95 (seeded: the same figure every time).
    public var resamples = 1000
    /// Panels per row (0: up to 3).
    public var columns = 0
    public var title: String?

    public init() {}
}

/// Axis labels with units for the metric keys of docs/metrics.md.
public enum MetricLabel {
    static let labels: [String: String] = [
        "score": "return (mean of last 100 episodes)",
        "episode_return_mean": "episode return (this iteration)",
        "eval_return": "evaluation return (deterministic)",
        "eval_return_psi": "evaluation return of ψ (deterministic)",
        "eval_length": "evaluation episode length (steps)",
        "episode_length_mean": "episode length (steps)",
        "episodes": "episodes (count)",
        "approx_kl": "approx. KL(θold‖θ) (nats)",
        "kl_old_new": "KL(θold‖θ) (nats)",
        "entropy": "policy entropy (nats)",
        "value_loss": "value loss (squared return)",
        "policy_loss": "policy loss",
        "beta": "β (coefficient)",
        "alpha_mean": "mean forget gate α",
        "beta_max_fraction": "share of minibatches at β_max",
        "memory_size": "|M| (policies)",
        "memory_writes": "writes per iteration",
        "attention_entropy": "attention entropy (nats)",
        "attention_argmax_slot": "most-attended slot (0 = oldest)",
        "d_old_psi": "d(θold, ψ) (nats)",
        "log_std": "log σ",
        "mean_out_of_bounds": "share of means out of bounds",
        "clip_fraction": "clipped fraction",
    ]

    public static func axis(_ key: String) -> String { labels[key] ?? key }
}
