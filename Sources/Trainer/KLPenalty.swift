/// KL Fixed and KL Adaptive (method.md §2): L(θ) = Ê[ratio_t·Â_t − β·KL(π_θold ‖ π_θ)].
/// With `targetKL` set (KL Adaptive), β is adapted after each iteration from the KL measured over
/// the iteration's samples: β ← 2β if d > 1.5·d_targ, β ← β/2 if d < d_targ/1.5.
struct KLPenalty: Codable, Equatable {
    var beta: Double
    let targetKL: Double?

    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        let surrogate = c.addSurrogate()
        let kl = c.addOldToNewKL(coefficient: Float(beta))
        return PolicyStatistics(loss: surrogate.loss + Float(beta) * kl, approxKL: surrogate.approxKL,
                                coefficient: Float(beta))
    }

    mutating func iterationEnded(measuredKL d: Double) {
        guard let dTarg = targetKL else { return }
        if d > 1.5 * dTarg {
            beta *= 2
        } else if d < dTarg / 1.5 {
            beta /= 2
        }
    }
}
