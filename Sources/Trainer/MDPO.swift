/// On-policy mirror descent policy optimisation (method.md §2):
/// L(θ) = Ê[ratio_t·Â_t − β_i·KL(π_θ ‖ π_θold)] (reverse direction: new ‖ old), with
/// β_i = β0·(1 − i/I_total) annealed over the run's policy updates i.
struct MDPO: Codable, Equatable {
    let beta0: Double

    func beta(update i: Int, totalUpdates: Int) -> Double {
        beta0 * (1 - Double(i) / Double(max(totalUpdates, 1)))
    }

    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        let β = Float(beta(update: c.update, totalUpdates: c.totalUpdates))
        let surrogate = c.addSurrogate()
        let kl = c.addNewToOldKL(coefficient: β)
        return PolicyStatistics(loss: surrogate.loss + β * kl, approxKL: surrogate.approxKL, coefficient: β)
    }
}
