import Environments
import LinearAlgebra
import Networks

extension Trainer {
    /// Collects `horizon` steps on every actor with θold (method.md §1). Stores the normalised
    /// observations the policy saw, the sampled (unclipped) actions, their log-probabilities,
    /// V_θold, scaled rewards, episode ends, and V_θold(final state) for time-limit truncations.
    func collectRollout() {
        let a = config.actors, o = env.observationSize, w = env.actionSpace.width
        let s = scratch, b = buffer
        for t in 0..<config.horizon {
            if t & 15 == 15, shouldAbandon() { return }
            let row = t * a
            let obs = b.observations.pointer + row * o
            obs.update(from: s.observations.pointer, count: a * o)

            let out = MLP.forward(parameters: θ.pointer, input: obs, rows: a, workspace: s.policy)
            (b.outputs.pointer + row * b.outputSize).update(from: out, count: a * b.outputSize)
            let actions = b.actions.pointer + row * w
            net.sample(output: out, θ: θ.pointer, rows: a, scratch: s.distribution.pointer, into: actions, rng: &rng)
            net.logProb(output: out, θ: θ.pointer, actions: actions, rows: a, scratch: s.distribution.pointer,
                        into: b.logProbs.pointer + row)
            let v = MLP.forward(parameters: θ.pointer, input: obs, rows: a, workspace: s.value)
            (b.values.pointer + row).update(from: v, count: a)

            env.step(actions: actions, observations: s.rawObservations.pointer, rewards: s.rewards,
                     terminated: s.terminated, truncated: s.truncated, finalObservations: s.finalObservations.pointer)
            for i in 0..<a {
                let ended = s.terminated[i] || s.truncated[i]
                s.dones[i] = ended
                b.episodeEnded[row + i] = ended
                // time_limit: terminal ends the return at a truncation too (no bootstrap).
                b.truncated[row + i] = s.truncated[i] && !s.terminated[i] && config.timeLimit == .bootstrap
                episodes.record(actor: i, reward: s.rewards[i], done: ended)
            }
            if rewardScaler != nil {
                rewardScaler!.scale(rewards: s.rewards, dones: s.dones, into: b.rewards.pointer + row)
            } else {
                for i in 0..<a { b.rewards[row + i] = Float(s.rewards[i]) }
            }

            observationStatistics?.update(s.rawObservations.pointer, rows: a)
            for i in 0..<a where b.truncated[row + i] {
                let final = s.finalObservations.pointer + i * o
                observationStatistics?.normalize(final, rows: 1)
                b.bootstrapValues[row + i] = MLP.forward(parameters: θ.pointer, input: final, rows: 1, workspace: s.value)[0]
            }
            refreshPolicyObservations()
        }
        let last = MLP.forward(parameters: θ.pointer, input: s.observations.pointer, rows: a, workspace: s.value)
        b.lastValues.pointer.update(from: last, count: a)
    }
}
