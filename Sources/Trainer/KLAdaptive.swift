/// KL Adaptive (method.md §2): KL Fixed's objective with β adapted after each iteration from the
/// KL d measured over the iteration's samples: β ← 2β if d > 1.5·d_targ, β ← β/2 if d < d_targ/1.5.
final class KLAdaptive: PolicyObjective {
    static let info = MethodInfo(name: "KLAdaptive", signature: "d_targ", defaults: ["d_targ": 0.01, "beta_init": 1])
    static let coefficientMetric = "beta"

    struct State: Codable {
        var beta: Double
    }

    let targetKL: Double
    private(set) var beta: Double

    init(_ parameters: MethodParameters) throws {
        let p = try parameters.checked(by: Self.info)
        targetKL = p.value("d_targ")
        beta = p.value("beta_init")
    }

    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        KLFixed.penalisedLoss(c, beta: Float(beta))
    }

    func iterationEnded(measuredKL d: Double) {
        if d > 1.5 * targetKL {
            beta *= 2
        } else if d < targetKL / 1.5 {
            beta /= 2
        }
    }

    var state: State { State(beta: beta) }
    func restore(_ state: State) { beta = state.beta }
}
