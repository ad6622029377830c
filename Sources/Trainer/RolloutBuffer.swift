import LinearAlgebra

/// One iteration's samples, time-major: sample (t, actor i) is row t·actors + i.
/// Allocated once per run and overwritten every iteration.
final class RolloutBuffer {
    let horizon: Int, actors: Int, observationSize: Int, actionWidth: Int, outputSize: Int
    var count: Int { horizon * actors }

    let observations: FloatBuffer   // normalised, as the policy saw them
    let actions: FloatBuffer
    let logProbs: FloatBuffer       // log π_θold(a|s)
    let outputs: FloatBuffer        // π_θold's network outputs (means or logits)
    let values: FloatBuffer         // V_θold(s)
    let rewards: FloatBuffer        // scaled rewards
    let bootstrapValues: FloatBuffer  // V_θold(final state) where a time limit truncated the episode
    let episodeEnded: UnsafeMutablePointer<Bool>
    let truncated: UnsafeMutablePointer<Bool>
    let lastValues: FloatBuffer     // V_θold(s_T) per actor
    let advantages: FloatBuffer
    let returns: FloatBuffer        // V_target = Â + V_old

    init(horizon: Int, actors: Int, observationSize: Int, actionWidth: Int, outputSize: Int) {
        self.horizon = horizon
        self.actors = actors
        self.observationSize = observationSize
        self.actionWidth = actionWidth
        self.outputSize = outputSize
        let n = horizon * actors
        observations = FloatBuffer(count: n * observationSize)
        actions = FloatBuffer(count: n * actionWidth)
        logProbs = FloatBuffer(count: n)
        outputs = FloatBuffer(count: n * outputSize)
        values = FloatBuffer(count: n)
        rewards = FloatBuffer(count: n)
        bootstrapValues = FloatBuffer(count: n)
        episodeEnded = .allocate(capacity: n)
        episodeEnded.initialize(repeating: false, count: n)
        truncated = .allocate(capacity: n)
        truncated.initialize(repeating: false, count: n)
        lastValues = FloatBuffer(count: actors)
        advantages = FloatBuffer(count: n)
        returns = FloatBuffer(count: n)
    }

    deinit {
        episodeEnded.deallocate()
        truncated.deallocate()
    }

    /// GAE(γ, λ) per actor (method.md §1). The step after an episode's end belongs to a new
    /// episode, so the recursion restarts there; a time-limit truncation bootstraps with
    /// V(final state), a true termination with 0.
    func computeAdvantages(gamma: Float, lambda: Float) {
        let adv = advantages.pointer, ret = returns.pointer, v = values.pointer, r = rewards.pointer
        for i in 0..<actors {
            var gae: Float = 0
            for t in stride(from: horizon - 1, through: 0, by: -1) {
                let k = t * actors + i
                let delta: Float
                if episodeEnded[k] {
                    let bootstrap = truncated[k] ? bootstrapValues[k] : 0
                    delta = r[k] + gamma * bootstrap - v[k]
                    gae = delta
                } else {
                    let next = t == horizon - 1 ? lastValues[i] : v[k + actors]
                    delta = r[k] + gamma * next - v[k]
                    gae = delta + gamma * lambda * gae
                }
                adv[k] = gae
                ret[k] = gae + v[k]
            }
        }
    }

    /// Â over the whole rollout to mean 0, sample std 1 (advantage_norm: batch), after GAE, so
    /// V_target keeps the unnormalised advantages.
    func normalizeAdvantages() {
        let n = count, adv = advantages.pointer
        var mean = 0.0
        for k in 0..<n { mean += Double(adv[k]) }
        mean /= Double(n)
        var variance = 0.0
        for k in 0..<n { let d = Double(adv[k]) - mean; variance += d * d }
        variance /= Double(max(n - 1, 1))
        let inv = 1 / (variance.squareRoot() + 1e-8)
        for k in 0..<n { adv[k] = Float((Double(adv[k]) - mean) * inv) }
    }
}
