/// On-policy mirror descent policy optimisation (method.md §2):
/// L(θ) = Ê[ratio_t·Â_t − β·KL(π_θ ‖ π_θold)] (reverse direction: new ‖ old).
/// - `schedule: paper` (default): β_i = β0·(1 − i/I_total), annealed over the run's policy updates i,
///   as the MCPO paper describes its MDPO baseline.
/// - `schedule: original`: the MDPO authors' code, a KL coefficient 1/t_k with step size
///   t_k = 1 − k/K over the run's iterations k < K, which grows; here β_k = β0/t_k, so β0 = 1 is
///   that code and β0 still labels the Table 1 row.
final class MDPO: PolicyObjective {
    enum Schedule: String, CaseIterable, Sendable {
        case paper, original
    }

    static let info = MethodInfo(name: "MDPO", signature: "beta0", defaults: ["beta0": 0.5],
                                 choices: ["schedule": Schedule.allCases.map(\.rawValue)])
    static let coefficientMetric = "beta"

    let beta0: Double
    let schedule: Schedule

    init(_ parameters: MethodParameters) throws {
        let p = try parameters.checked(by: Self.info)
        beta0 = p.value("beta0")
        schedule = Schedule(rawValue: p.choice("schedule"))!
    }

    /// β of policy update i (0-based) of a run of `totalUpdates`, `updatesPerIteration` per iteration.
    func beta(update i: Int, totalUpdates: Int, updatesPerIteration: Int) -> Double {
        switch schedule {
        case .paper:
            return beta0 * (1 - Double(i) / Double(max(totalUpdates, 1)))
        case .original:
            let k = i / max(updatesPerIteration, 1), K = max(totalUpdates / max(updatesPerIteration, 1), 1)
            return beta0 / (1 - Double(min(k, K - 1)) / Double(K))
        }
    }

    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        let β = Float(beta(update: c.update, totalUpdates: c.totalUpdates, updatesPerIteration: c.updatesPerIteration))
        let surrogate = c.addSurrogate()
        let kl = c.addNewToOldKL(coefficient: β)
        return PolicyStatistics(loss: surrogate.loss + β * kl, approxKL: surrogate.approxKL, coefficient: β)
    }
}
