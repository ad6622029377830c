/// Everything that determines a run: a run is a pure function of this value (seed included).
/// Its JSON (sorted keys) is stored with the run; the run's identity is a hash of that JSON.
public struct TrainingConfig: Codable, Hashable, Sendable {
    public var method: String            // catalog name, e.g. "PPO"
    public var env: String               // environment id, e.g. "Pendulum"
    public var seed: UInt64
    public var steps: Int                // environment-step budget (all actors together)
    public var horizon: Int = 2048       // T, steps per actor per iteration
    public var epochs: Int = 10          // K
    public var minibatchSize: Int = 64   // B
    public var actors: Int = 4
    public var lr: Double = 3e-4
    public var gamma: Double = 0.99
    public var lambda: Double = 0.95
    public var c1: Double = 0.5          // value-loss coefficient
    public var c2: Double = 0.0          // entropy coefficient
    public var maxGradNorm: Double = 0.5
    public var normalizeObservations: Bool = true
    public var scaleRewards: Bool = true
    /// Continuous actions: log π of the action as the environment clips it (clipped action policy
    /// gradient) instead of the Gaussian density of the raw sample. Off by default (method.md §1
    /// and the PPO implementations the paper follows); no effect on discrete actions.
    public var clippedActionLikelihood: Bool = false
    /// The base code's details (method.md §1), each defaulting to this project's first behaviour
    /// and written into the config's JSON only when set otherwise, so stored runs keep their
    /// identity and meaning. Â normalised per minibatch or once per iteration over the rollout.
    public var advantageNorm: AdvantageNorm = .minibatch
    /// Value loss: plain squared error (nil) or the base code's clipped form with range ε,
    /// max((V_θ − V_target)², (V_θold + clip(V_θ − V_θold, ±ε) − V_target)²).
    public var valueClip: Double? = nil
    /// Step size: constant, or decayed linearly to 0 over the run's iterations (θ's optimiser).
    public var lrSchedule: LRSchedule = .constant
    /// A time-limit truncation bootstraps from V(final state), or ends the return like a termination.
    public var timeLimit: TimeLimit = .bootstrap
    /// Deterministic evaluation (mean action / argmax) on separate environment instances: every
    /// `evalEvery` iterations and after the last, `evalEpisodes` episodes (0: no evaluation).
    public var evalEvery: Int = TrainingConfig.defaultEvalEvery
    public var evalEpisodes: Int = TrainingConfig.defaultEvalEpisodes
    public static let defaultEvalEvery = 10
    public static let defaultEvalEpisodes = 10

    public enum AdvantageNorm: String, Codable, CaseIterable, Sendable { case minibatch, batch }
    public enum LRSchedule: String, Codable, CaseIterable, Sendable { case constant, linear }
    public enum TimeLimit: String, Codable, CaseIterable, Sendable { case bootstrap, terminal }

    /// The method's own hyperparameters, e.g. ["clip": 0.2] for PPO.
    public var params: [String: Double] = [:]
    /// The method's string options, e.g. ["ablation": "no_psi"] for MCPO (omitted from JSON when empty).
    public var choices: [String: String] = [:]

    public init(method: String, env: String, seed: UInt64, steps: Int, params: [String: Double] = [:]) {
        self.method = method
        self.env = env
        self.seed = seed
        self.steps = steps
        self.params = params
    }

    enum CodingKeys: String, CodingKey {
        case method, env, seed, steps, horizon, epochs
        case minibatchSize = "minibatch_size"
        case actors, lr, gamma, lambda, c1, c2
        case maxGradNorm = "max_grad_norm"
        case normalizeObservations = "normalize_observations"
        case scaleRewards = "scale_rewards"
        case clippedActionLikelihood = "clipped_action_likelihood"
        case advantageNorm = "advantage_norm", valueClip = "value_clip", lrSchedule = "lr_schedule"
        case timeLimit = "time_limit", evalEvery = "eval_every", evalEpisodes = "eval_episodes"
        case params, choices
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(method, forKey: .method)
        try c.encode(env, forKey: .env)
        try c.encode(seed, forKey: .seed)
        try c.encode(steps, forKey: .steps)
        try c.encode(horizon, forKey: .horizon)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(minibatchSize, forKey: .minibatchSize)
        try c.encode(actors, forKey: .actors)
        try c.encode(lr, forKey: .lr)
        try c.encode(gamma, forKey: .gamma)
        try c.encode(lambda, forKey: .lambda)
        try c.encode(c1, forKey: .c1)
        try c.encode(c2, forKey: .c2)
        try c.encode(maxGradNorm, forKey: .maxGradNorm)
        try c.encode(normalizeObservations, forKey: .normalizeObservations)
        try c.encode(scaleRewards, forKey: .scaleRewards)
        if clippedActionLikelihood { try c.encode(true, forKey: .clippedActionLikelihood) }  // absent = off: older hashes hold
        // Absent = the default: older hashes hold.
        if advantageNorm != .minibatch { try c.encode(advantageNorm, forKey: .advantageNorm) }
        if let valueClip { try c.encode(valueClip, forKey: .valueClip) }
        if lrSchedule != .constant { try c.encode(lrSchedule, forKey: .lrSchedule) }
        if timeLimit != .bootstrap { try c.encode(timeLimit, forKey: .timeLimit) }
        if evalEvery != TrainingConfig.defaultEvalEvery { try c.encode(evalEvery, forKey: .evalEvery) }
        if evalEpisodes != TrainingConfig.defaultEvalEpisodes { try c.encode(evalEpisodes, forKey: .evalEpisodes) }
        try c.encode(params, forKey: .params)
        if !choices.isEmpty { try c.encode(choices, forKey: .choices) }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decode(String.self, forKey: .method)
        env = try c.decode(String.self, forKey: .env)
        seed = try c.decode(UInt64.self, forKey: .seed)
        steps = try c.decode(Int.self, forKey: .steps)
        horizon = try c.decodeIfPresent(Int.self, forKey: .horizon) ?? horizon
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? epochs
        minibatchSize = try c.decodeIfPresent(Int.self, forKey: .minibatchSize) ?? minibatchSize
        actors = try c.decodeIfPresent(Int.self, forKey: .actors) ?? actors
        lr = try c.decodeIfPresent(Double.self, forKey: .lr) ?? lr
        gamma = try c.decodeIfPresent(Double.self, forKey: .gamma) ?? gamma
        lambda = try c.decodeIfPresent(Double.self, forKey: .lambda) ?? lambda
        c1 = try c.decodeIfPresent(Double.self, forKey: .c1) ?? c1
        c2 = try c.decodeIfPresent(Double.self, forKey: .c2) ?? c2
        maxGradNorm = try c.decodeIfPresent(Double.self, forKey: .maxGradNorm) ?? maxGradNorm
        normalizeObservations = try c.decodeIfPresent(Bool.self, forKey: .normalizeObservations) ?? normalizeObservations
        scaleRewards = try c.decodeIfPresent(Bool.self, forKey: .scaleRewards) ?? scaleRewards
        clippedActionLikelihood = try c.decodeIfPresent(Bool.self, forKey: .clippedActionLikelihood) ?? false
        advantageNorm = try c.decodeIfPresent(AdvantageNorm.self, forKey: .advantageNorm) ?? .minibatch
        valueClip = try c.decodeIfPresent(Double.self, forKey: .valueClip)
        lrSchedule = try c.decodeIfPresent(LRSchedule.self, forKey: .lrSchedule) ?? .constant
        timeLimit = try c.decodeIfPresent(TimeLimit.self, forKey: .timeLimit) ?? .bootstrap
        evalEvery = try c.decodeIfPresent(Int.self, forKey: .evalEvery) ?? TrainingConfig.defaultEvalEvery
        evalEpisodes = try c.decodeIfPresent(Int.self, forKey: .evalEpisodes) ?? TrainingConfig.defaultEvalEpisodes
        params = try c.decodeIfPresent([String: Double].self, forKey: .params) ?? [:]
        choices = try c.decodeIfPresent([String: String].self, forKey: .choices) ?? [:]
    }
}
