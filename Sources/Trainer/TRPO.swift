/// TRPO (method.md §2): maximise L(θ) = Ê[ratio_t·Â_t] subject to d(θold, θ) ≤ δ, by one natural
/// gradient step per iteration (`Trainer+TRPO.swift`): conjugate gradient on Fisher-vector
/// products (10 iterations, damping 0.1), the step scaled to the constraint's quadratic model,
/// then a backtracking line search that keeps a step only if d(θold, θ) ≤ δ and L improved
/// (else θ = θold). The value network is trained separately with Adam over minibatches.
final class TRPO: PolicyObjective {
    static let info = MethodInfo(name: "TRPO", signature: "delta", defaults: ["delta": 0.01])
    static let coefficientMetric = "delta"
    static let conjugateGradientIterations = 10
    static let damping: Float = 0.1
    /// Step fractions tried by the line search: 1, ½, ¼, … (10 of them).
    static let lineSearchSteps = 10

    let delta: Double
    /// Vectors over the policy's parameters (network and log σ), allocated at the first update.
    var g: [Float] = [], x: [Float] = [], r: [Float] = [], p: [Float] = [], fp: [Float] = [], step: [Float] = []

    init(_ parameters: MethodParameters) throws {
        delta = try parameters.checked(by: Self.info).value("delta")
    }

    /// The minibatch form of TRPO's surrogate, −Ê[ratio_t·Â_t]. The trainer does not take
    /// minibatch policy steps for TRPO (`Trainer.update` calls `naturalGradientUpdate`).
    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        let surrogate = c.addSurrogate()
        return PolicyStatistics(loss: surrogate.loss, approxKL: surrogate.approxKL, coefficient: Float(delta))
    }

    func allocate(_ count: Int) {
        guard g.count != count else { return }
        for keyPath in [\TRPO.g, \.x, \.r, \.p, \.fp, \.step] { self[keyPath: keyPath] = [Float](repeating: 0, count: count) }
    }
}
