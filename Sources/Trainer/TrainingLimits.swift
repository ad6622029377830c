import Environments
import Foundation
import Networks

/// The largest sizes a run may have (sweeps/README.md, "Limits"). Every size is checked against
/// them before any product of sizes is formed, so no product overflows and no buffer is sized
/// from an unchecked value; the sweep parser checks the same limits, key by key, before storing.
public enum TrainingLimits {
    /// Environment steps of one run (10^12: about four months at 100k steps/s).
    public static let steps = 1_000_000_000_000
    public static let horizon = 1 << 20
    public static let actors = 4096
    public static let epochs = 10_000
    public static let minibatchSize = 1 << 20
    /// horizon × actors, the samples of one iteration.
    public static let samplesPerIteration = 1 << 24

    /// The limit of each integer setting of `TrainingConfig`, by its sweep key.
    public static let counts: [String: Int] = [
        "steps": steps, "horizon": horizon, "actors": actors, "epochs": epochs, "minibatch_size": minibatchSize,
        "eval_every": evalEvery, "eval_episodes": evalEpisodes,
    ]
    /// Iterations between evaluations, and evaluation episodes (0 turns evaluation off).
    public static let evalEvery = 1_000_000
    public static let evalEpisodes = 1024

    /// The smallest value of an integer setting: 1, except eval_episodes (0 = no evaluation).
    public static func minimum(_ key: String) -> Int { key == "eval_episodes" ? 0 : 1 }

    /// The machine's physical memory in bytes.
    public static var machineMemory: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }
}

extension TrainingConfig {
    /// Throws `TrainerError.invalidConfig` naming the first setting outside its limit: every count
    /// in [1, its limit], horizon × actors ≤ `samplesPerIteration`, every real finite.
    public func checkLimits() throws {
        let counts: [(String, Int)] = [("steps", steps), ("horizon", horizon), ("epochs", epochs),
                                       ("minibatch_size", minibatchSize), ("actors", actors),
                                       ("eval_every", evalEvery), ("eval_episodes", evalEpisodes)]
        for (key, value) in counts {
            let limit = TrainingLimits.counts[key]!, least = TrainingLimits.minimum(key)
            guard value >= least, value <= limit else {
                throw TrainerError.invalidConfig("\(key) must be in [\(least), \(limit)], found \(value)")
            }
        }
        guard horizon * actors <= TrainingLimits.samplesPerIteration else {  // both checked above: no overflow
            throw TrainerError.invalidConfig(
                "horizon × actors must be at most \(TrainingLimits.samplesPerIteration) samples per iteration, found \(horizon) × \(actors)")
        }
        for (key, value) in [("lr", lr), ("gamma", gamma), ("lambda", lambda), ("c1", c1), ("c2", c2),
                             ("max_grad_norm", maxGradNorm)] where !value.isFinite {
            throw TrainerError.invalidConfig("\(key) must be finite, found \(value)")
        }
        if let valueClip, !(valueClip > 0 && valueClip.isFinite) {
            throw TrainerError.invalidConfig("value_clip must be a number > 0, found \(valueClip)")
        }
    }

    /// An estimate of the memory a run of this config takes at its peak, in bytes: rollout
    /// buffer, minibatch scratch, parameters with their optimiser moments, MCPO's memory (twice
    /// while a checkpoint is encoded) and the environments. Throws like `checkLimits`, and for an
    /// unknown environment or method, or a value the method does not admit.
    public func estimatedMemory() throws -> Int {
        try checkLimits()
        let env = try VectorEnv(name: self.env, count: 1, seed: 0)
        let head: ActorCritic.Head
        switch env.actionSpace {
        case let .continuous(dimension, _, _): head = .gaussian(dimension: dimension)
        case let .discrete(count): head = .categorical(count: count)
        }
        let net = ActorCritic(observationSize: env.observationSize, head: head)
        let o = env.observationSize, out = head.outputSize, w = env.actionSpace.width, p = net.parameterCount
        let samples = horizon * actors, rows = max(minibatchSize, actors)
        // Floats per sample of the rollout buffer (observations, actions, outputs, log π, values,
        // rewards, flags, advantages, returns) and the shuffle permutation.
        var floats = samples * (o + w + out + 8)
        // Per minibatch row: gathered copies, gradients, and the MLP workspaces of both networks
        // (activations and their gradients for two hidden layers of 64).
        floats += rows * (2 * o + 3 * out + 16 + 2 * 3 * (64 + 64 + out + 1))
        floats += 8 * p  // θ, θold, gradient, Adam moments, MCPO's ψ, ψold and gradient
        if method.lowercased() == MCPO.info.name.lowercased() {
            let value = params["N"] ?? MCPO.info.defaults["N"]!
            try MCPO.info.check("N", value)
            let n = Int(value)  // ≤ MCPO.maxN: no overflow below
            floats += 3 * n * p + 3 * (n * 12 + 2 * n + n * n)  // M (and in the checkpoint bytes), f_φ with Adam
        }
        let perEnvironment = env.observationSize * 4 + 64 * 1024  // a Box2D world is the largest
        return 64 << 20 + 4 * floats + actors * perEnvironment
    }
}
