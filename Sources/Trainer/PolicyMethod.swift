/// The policy objective of a run: one case per method of the paper. Codable, so a method's own
/// state (KL Adaptive's β, VMPO's multipliers, MCPO's memory) is part of the run state.
enum PolicyMethod: Codable, Equatable {
    case ppo(PPO)
    case klFixed(KLPenalty)
    case klAdaptive(KLPenalty)
    case mdpo(MDPO)

    /// Builds the method named by `config.method`, with its catalog defaults for omitted keys.
    init(config: TrainingConfig) throws {
        guard let info = MethodCatalog.method(named: config.method) else {
            throw TrainerError.unknownMethod(config.method, valid: MethodCatalog.names)
        }
        if let unknown = config.params.keys.sorted().first(where: { info.defaults[$0] == nil }) {
            throw TrainerError.invalidConfig(
                "\(info.name) has no hyperparameter '\(unknown)'; valid: \(info.defaults.keys.sorted().joined(separator: ", "))")
        }
        func value(_ key: String) -> Double { config.params[key] ?? info.defaults[key]! }
        func positive(_ key: String) throws -> Double {
            let v = value(key)
            guard v > 0, v.isFinite else { throw TrainerError.invalidConfig("\(info.name).\(key) must be > 0, found \(v)") }
            return v
        }
        switch info.name {
        case "PPO": self = .ppo(PPO(clip: Float(try positive("clip"))))
        case "KLFixed": self = .klFixed(KLPenalty(beta: try positive("beta"), targetKL: nil))
        case "KLAdaptive":
            self = .klAdaptive(KLPenalty(beta: try positive("beta_init"), targetKL: try positive("d_targ")))
        case "MDPO": self = .mdpo(MDPO(beta0: try positive("beta0")))
        default: throw TrainerError.unknownMethod(config.method, valid: MethodCatalog.names)
        }
    }

    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        switch self {
        case let .ppo(m): return m.policyLoss(c)
        case let .klFixed(m), let .klAdaptive(m): return m.policyLoss(c)
        case let .mdpo(m): return m.policyLoss(c)
        }
    }

    /// Called once the iteration's updates are done, with Ê over the iteration of KL(π_θold ‖ π_θ).
    mutating func iterationEnded(measuredKL: Double) {
        if case var .klAdaptive(m) = self {
            m.iterationEnded(measuredKL: measuredKL)
            self = .klAdaptive(m)
        }
    }

    /// Name of the per-iteration metric holding `PolicyStatistics.coefficient`.
    var coefficientMetric: String {
        switch self {
        case .ppo: return "clip"
        case .klFixed, .klAdaptive, .mdpo: return "beta"
        }
    }
}
