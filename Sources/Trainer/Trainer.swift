import Environments
import Foundation
import LinearAlgebra
import Networks

/// The on-policy loop of method.md §1: collect T steps on every actor with θold, compute GAE,
/// then K epochs of minibatch updates. Everything a run needs lives here, allocated once;
/// `checkpointData()` encodes it at once and `init(checkpointData:format:)` resumes bit-identically.
///
/// The policy objective is a `PolicyObjective`. Adding a method:
/// 1. One new file `Sources/Trainer/<Name>.swift` with `final class <Name>: PolicyObjective`:
///    `static let info` (name, signature hyperparameter, every key with its default and
///    `ParameterRule`, string options), `coefficientMetric`, `init(_:)` reading its values through
///    `parameters.checked(by: Self.info)` (plus any check of its own, thrown as
///    `TrainerError.invalidParameter`), and `policyLoss`, which adds ∂(−L)/∂θ to the context.
///    Implement `afterStep`, `iterationEnded` or `iterationMetrics` only if the method uses them;
///    a method whose values change while training declares a `State` (its checkpoint snapshot)
///    with `state` and `restore(_:)`.
/// 2. One line in `MethodCatalog.types`.
/// Sweep files, the parser's checks, checkpoints and the report then know the method; document
/// its equations in docs/method.md and any metric it records in docs/metrics.md (tests check that).
public final class Trainer {
    public let config: TrainingConfig
    let env: VectorEnv
    let net: ActorCritic
    let θ: FloatBuffer
    /// θold: the parameters that collected the current iteration's data.
    let θold: FloatBuffer
    let gradient: FloatBuffer
    var adam: Adam
    var observationStatistics: RunningMeanStd?
    var rewardScaler: RewardScaler?
    var rng: SeededGenerator
    var episodes: EpisodeTracker
    public private(set) var stepsDone = 0
    public private(set) var iteration = 0
    let method: any PolicyObjective
    /// Policy updates (minibatch steps) done so far, and how many the whole run will do.
    public internal(set) var updatesDone = 0
    let totalUpdates: Int
    let updatesPerIteration: Int
    /// Iterations the whole run will do.
    let totalIterations: Int
    /// Evaluation's environments and buffers, made at the first evaluation (never persisted).
    var evaluator: Evaluator?

    let buffer: RolloutBuffer
    let scratch: Scratch

    /// Asked during an iteration (every 16 rollout steps and every minibatch): returning true
    /// abandons the iteration with `TrainerError.interrupted`, leaving the trainer unusable
    /// (a worker asked to stop that would otherwise finish the iteration too late).
    public var interruption: (() -> Bool)?
    private var abandoned = false

    /// Evaluates `interruption` (once true, stays true).
    func shouldAbandon() -> Bool {
        if !abandoned, let interruption, interruption() { abandoned = true }
        return abandoned
    }

    public var isFinished: Bool { stepsDone >= config.steps }

    public convenience init(config: TrainingConfig) throws {
        try self.init(config: config, resuming: nil)
    }

    init(config: TrainingConfig, resuming state: TrainingState?) throws {
        try config.checkLimits()  // every size within its limit: none of the products below overflows
        self.config = config
        let samples = config.horizon * config.actors
        let iterations = (config.steps + samples - 1) / samples
        updatesPerIteration = config.epochs * ((samples + config.minibatchSize - 1) / config.minibatchSize)
        totalUpdates = iterations * updatesPerIteration
        totalIterations = iterations
        BLAS.useSingleThread()

        env = try state.map { try VectorEnv(snapshot: $0.environment) }
            ?? VectorEnv(name: config.env, count: config.actors, seed: config.seed)
        let head: ActorCritic.Head
        switch env.actionSpace {
        case let .continuous(dimension, _, _): head = .gaussian(dimension: dimension)
        case let .discrete(count): head = .categorical(count: count)
        }
        var net = ActorCritic(observationSize: env.observationSize, head: head)
        if config.clippedActionLikelihood, case let .continuous(_, low, high) = env.actionSpace {
            net.clippedLikelihood = DiagGaussian.Bounds(low: Float(low), high: Float(high))
        }
        self.net = net
        method = try state?.method ?? MethodCatalog.make(config)
        θ = FloatBuffer(count: net.parameterCount)
        θold = FloatBuffer(count: net.parameterCount)
        gradient = FloatBuffer(count: net.parameterCount)
        buffer = RolloutBuffer(horizon: config.horizon, actors: config.actors, observationSize: env.observationSize,
                               actionWidth: env.actionSpace.width, outputSize: head.outputSize)
        scratch = Scratch(net: net, capacity: max(config.minibatchSize, config.actors), actors: config.actors)

        if let state {
            guard state.parameters.count == θ.count else {
                throw TrainerError.invalidConfig("checkpoint has \(state.parameters.count) parameters, expected \(θ.count)")
            }
            θ.copy(from: state.parameters)
            adam = state.adam
            observationStatistics = state.observationStatistics
            rewardScaler = state.rewardScaler
            rng = state.rng
            episodes = state.episodes
            stepsDone = state.stepsDone
            iteration = state.iteration
            updatesDone = state.updatesDone
        } else {
            rng = SeededGenerator(seed: config.seed, stream: 0)
            var initRNG = SeededGenerator(seed: config.seed, stream: 0xA11CE)
            net.initialize(θ.pointer, normal: { initRNG.normal() })
            adam = Adam(count: net.parameterCount, learningRate: Float(config.lr))
            observationStatistics = config.normalizeObservations ? RunningMeanStd(dimension: env.observationSize) : nil
            rewardScaler = config.scaleRewards ? RewardScaler(actors: config.actors, gamma: config.gamma) : nil
            episodes = EpisodeTracker(actors: config.actors)
            env.reset(observations: scratch.rawObservations.pointer)
            observationStatistics?.update(scratch.rawObservations.pointer, rows: config.actors)
        }
        env.currentObservations(into: scratch.rawObservations.pointer)
        refreshPolicyObservations()
    }

    /// Trains until the step budget is spent or `shouldStop` says so (checked between iterations).
    public func train(sink: MetricSink, shouldStop: () -> Bool = { false }) throws {
        while !isFinished && !shouldStop() {
            try runIteration(sink: sink)
        }
    }

    /// One iteration: rollout, advantages, K epochs of updates; records its metrics.
    /// Throws `TrainerError.diverged` (the step being the last good one) when a loss or a
    /// parameter is not finite, `TrainerError.interrupted` when `interruption` asked to stop.
    public func runIteration(sink: MetricSink) throws {
        guard !abandoned else { throw TrainerError.interrupted(step: stepsDone) }
        episodes.startIteration()
        if config.lrSchedule == .linear {  // lr·(1 − i/I) in iteration i, as the base code's schedule
            adam.learningRate = Float(config.lr * (1 - Double(iteration) / Double(max(totalIterations, 1))))
        }
        collectRollout()
        if abandoned { throw TrainerError.interrupted(step: stepsDone) }
        buffer.computeAdvantages(gamma: Float(config.gamma), lambda: Float(config.lambda))
        if config.advantageNorm == .batch { buffer.normalizeAdvantages() }
        θold.copy(from: θ)
        var metrics = try update()
        try checkParameters()
        let kl = measureKL()
        metrics[MetricKey.klOldNew] = kl
        metrics.merge(gaussianDiagnostics()) { _, new in new }
        method.iterationEnded(measuredKL: kl)
        iteration += 1
        stepsDone += buffer.count
        metrics.merge(method.iterationMetrics()) { _, new in new }
        metrics[MetricKey.episodes] = Double(episodes.completed)
        if let score = episodes.score { metrics[MetricKey.score] = score }
        if episodes.iterationCount > 0 {
            metrics[MetricKey.episodeReturnMean] = episodes.iterationReturnSum / Double(episodes.iterationCount)
            metrics[MetricKey.episodeLengthMean] = Double(episodes.iterationLengthSum) / Double(episodes.iterationCount)
        }
        if config.evalEpisodes > 0 && (iteration % config.evalEvery == 0 || isFinished) {
            metrics.merge(try evaluate()) { _, new in new }
        }
        try sink.record(step: stepsDone, metrics: metrics)
    }

    /// Throws `diverged` if a policy or value parameter is NaN or infinite.
    func checkParameters() throws {
        let p = θ.pointer
        for i in 0..<θ.count where !p[i].isFinite {
            throw TrainerError.diverged(step: stepsDone, what: "parameter θ[\(i)] (\(p[i]))")
        }
    }

    /// The policy's view of the current observations: normalised copies of the raw ones.
    func refreshPolicyObservations() {
        let n = config.actors * env.observationSize
        scratch.observations.pointer.update(from: scratch.rawObservations.pointer, count: n)
        observationStatistics?.normalize(scratch.observations.pointer, rows: config.actors)
    }
}

extension Trainer {
    /// `mean_out_of_bounds` over the iteration's rollout and `log_std` of θ; empty for discrete actions.
    func gaussianDiagnostics() -> [String: Double] {
        guard case let .continuous(d, low, high) = env.actionSpace, buffer.outputSize == d else { return [:] }
        let n = buffer.count * d, means = buffer.outputs.pointer, lo = Float(low), hi = Float(high)
        var outside = 0
        for i in 0..<n where means[i] < lo || means[i] > hi { outside += 1 }
        var logStd = 0.0
        for i in 0..<d { logStd += Double(θ[net.logStdOffset + i]) }
        return [MetricKey.meanOutOfBounds: Double(outside) / Double(max(n, 1)), MetricKey.logStd: logStd / Double(d)]
    }
}
