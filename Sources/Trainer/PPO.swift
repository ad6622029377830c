import Foundation

/// PPO-clip (method.md §2): L(θ) = Ê[min(ratio_t·Â_t, clip(ratio_t, 1−ε, 1+ε)·Â_t)],
/// ratio_t = exp(log π_θ(a_t|s_t) − log π_θold(a_t|s_t)). The trainer minimises −L.
struct PPO: Codable, Equatable {
    let clip: Float

    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        var stats = lossGradient(logProb: c.logProb, oldLogProb: c.oldLogProb, advantages: c.advantages,
                                 rows: c.rows, dLogProb: c.rowScratchB)
        c.net.logProbBackward(output: c.output, θ: c.θ, actions: c.actions, rows: c.rows, scale: c.rowScratchB,
                              scratch: c.distributionScratch, dOutput: c.dOutput, gradient: c.gradient)
        stats.coefficient = clip
        return stats
    }

    /// Writes ∂(−L)/∂log π_θ(a_t|s_t) for every row into `dLogProb`.
    func lossGradient(
        logProb: UnsafePointer<Float>, oldLogProb: UnsafePointer<Float>, advantages Â: UnsafePointer<Float>,
        rows: Int, dLogProb: UnsafeMutablePointer<Float>
    ) -> PolicyStatistics {
        var stats = PolicyStatistics()
        let invRows = 1 / Float(rows)
        for t in 0..<rows {
            let logRatio = logProb[t] - oldLogProb[t]
            let ratio = Foundation.exp(logRatio)
            let unclipped = ratio * Â[t]
            let clipped = min(max(ratio, 1 - clip), 1 + clip) * Â[t]
            // min picks the unclipped term unless clipping lowers the objective; then the
            // gradient through the constant clip bound is 0.
            if unclipped <= clipped {
                stats.loss -= unclipped
                dLogProb[t] = -Â[t] * ratio * invRows
            } else {
                stats.loss -= clipped
                dLogProb[t] = 0
            }
            if abs(ratio - 1) > clip { stats.clipFraction += 1 }
            stats.approxKL += (ratio - 1) - logRatio
        }
        stats.loss *= invRows
        stats.clipFraction *= invRows
        stats.approxKL *= invRows
        return stats
    }
}

/// Per-minibatch figures every method reports (averaged over the iteration as metrics).
struct PolicyStatistics {
    var loss: Float = 0          // −L_method on this minibatch
    var approxKL: Float = 0      // Ê[(ratio − 1) − log ratio] ≈ KL(π_θold ‖ π_θ)
    var clipFraction: Float = 0  // PPO: share of samples with |ratio − 1| > ε
    var coefficient: Float = 0   // the method's trust-region coefficient in force (ε, β, α)
}
