import Foundation

/// PPO-clip (method.md §2): L(θ) = Ê[min(ratio_t·Â_t, clip(ratio_t, 1−ε, 1+ε)·Â_t)],
/// ratio_t = exp(log π_θ(a_t|s_t) − log π_θold(a_t|s_t)). The trainer minimises −L.
final class PPO: PolicyObjective {
    static let info = MethodInfo(name: "PPO", signature: "clip", defaults: ["clip": 0.2])
    static let coefficientMetric = "clip"
    static let recordsClipFraction = true

    let clip: Float

    init(_ parameters: MethodParameters) throws {
        let p = try parameters.checked(by: Self.info)
        clip = Float(p.value("clip"))
    }

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
