import Environments
import LinearAlgebra
import Networks

/// Deterministic evaluation (issue 12): `eval_episodes` episodes, one per separate environment
/// instance, with the mean action (Gaussian) or the argmax (categorical), observations normalised
/// by the current statistics without updating them. The instances are seeded from the run's seed
/// and the iteration alone, so evaluation reads the training state and changes none of it:
/// training is bit-identical with evaluation on or off, and a resumed run evaluates as an
/// uninterrupted one.
extension Trainer {
    final class Evaluator {
        let episodes: Int
        let observations: FloatBuffer
        let rawObservations: FloatBuffer
        let finalObservations: FloatBuffer
        let actions: FloatBuffer
        let workspace: MLPWorkspace
        let rewards: UnsafeMutablePointer<Double>
        let terminated: UnsafeMutablePointer<Bool>
        let truncated: UnsafeMutablePointer<Bool>

        init(net: ActorCritic, episodes: Int, observationSize: Int, actionWidth: Int) {
            self.episodes = episodes
            observations = FloatBuffer(count: episodes * observationSize)
            rawObservations = FloatBuffer(count: episodes * observationSize)
            finalObservations = FloatBuffer(count: episodes * observationSize)
            actions = FloatBuffer(count: episodes * actionWidth)
            workspace = MLPWorkspace(layout: net.policy, capacity: episodes)
            rewards = .allocate(capacity: episodes)
            terminated = .allocate(capacity: episodes)
            truncated = .allocate(capacity: episodes)
        }

        deinit {
            rewards.deallocate()
            terminated.deallocate()
            truncated.deallocate()
        }
    }

    /// Evaluates θ, and every extra policy of the method, after the current iteration.
    func evaluate() throws -> [String: Double] {
        let n = config.evalEpisodes
        if evaluator == nil {
            evaluator = Evaluator(net: net, episodes: n, observationSize: env.observationSize,
                                  actionWidth: env.actionSpace.width)
        }
        let (ret, length) = try evaluationEpisodes(parameters: UnsafePointer(θ.pointer))
        var out = [MetricKey.evalReturn: ret, MetricKey.evalLength: length]
        for (name, parameters) in method.evaluationPolicies() {
            out[MetricKey.evalReturn(of: name)] = try evaluationEpisodes(parameters: parameters).ret
        }
        return out
    }

    /// Mean return and length of one deterministic episode per evaluation instance.
    func evaluationEpisodes(parameters: UnsafePointer<Float>) throws -> (ret: Double, length: Double) {
        let e = evaluator!, n = e.episodes, o = env.observationSize
        // A fresh vector per evaluation round, seeded by (seed, iteration): the same starts for θ and ψ.
        let seed = config.seed &* 0x9E37_79B9_7F4A_7C15 ^ (0xE7A1 &+ UInt64(iteration))
        let envs = try VectorEnv(name: config.env, count: n, seed: seed)
        envs.reset(observations: e.rawObservations.pointer)
        var returns = [Double](repeating: 0, count: n), lengths = [Int](repeating: 0, count: n)
        var running = [Bool](repeating: true, count: n), left = n
        while left > 0 {
            e.observations.pointer.update(from: e.rawObservations.pointer, count: n * o)
            observationStatistics?.normalize(e.observations.pointer, rows: n)
            let out = MLP.forward(parameters: parameters, input: e.observations.pointer, rows: n, workspace: e.workspace)
            net.mode(output: out, rows: n, into: e.actions.pointer)
            envs.step(actions: e.actions.pointer, observations: e.rawObservations.pointer, rewards: e.rewards,
                      terminated: e.terminated, truncated: e.truncated, finalObservations: e.finalObservations.pointer)
            for i in 0..<n where running[i] {
                returns[i] += e.rewards[i]
                lengths[i] += 1
                if e.terminated[i] || e.truncated[i] {
                    running[i] = false
                    left -= 1
                }
            }
        }
        return (returns.reduce(0, +) / Double(n), Double(lengths.reduce(0, +)) / Double(n))
    }
}
