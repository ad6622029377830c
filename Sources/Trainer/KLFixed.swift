/// KL Fixed (method.md §2): L(θ) = Ê[ratio_t·Â_t − β·KL(π_θold ‖ π_θ)] with a constant β.
final class KLFixed: PolicyObjective {
    static let info = MethodInfo(name: "KLFixed", signature: "beta", defaults: ["beta": 0.1])
    static let coefficientMetric = "beta"

    let beta: Double

    init(_ parameters: MethodParameters) throws {
        beta = try parameters.checked(by: Self.info).value("beta")
    }

    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        Self.penalisedLoss(c, beta: Float(beta))
    }

    /// −Ê[ratio_t·Â_t] + β·Ê[KL(π_θold ‖ π_θ)] with its θ-gradient added to the context (KL Fixed and
    /// KL Adaptive).
    static func penalisedLoss(_ c: MinibatchContext, beta β: Float) -> PolicyStatistics {
        let surrogate = c.addSurrogate()
        let kl = c.addOldToNewKL(coefficient: β)
        return PolicyStatistics(loss: surrogate.loss + β * kl, approxKL: surrogate.approxKL, coefficient: β)
    }
}
