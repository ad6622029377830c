/// The policy objective of a run: one case per method of the paper. Codable, so a method's own
/// state (KL Adaptive's β, VMPO's multipliers, MCPO's memory) is part of the run state.
enum PolicyMethod: Codable, Equatable {
    case ppo(PPO)
    case klFixed(KLPenalty)
    case klAdaptive(KLPenalty)
    case mdpo(MDPO)
    case mcpo(MCPO)
    case vmpo(VMPO)

    /// Builds the method named by `config.method`, with its catalog defaults for omitted keys.
    init(config: TrainingConfig, parameterCount: Int) throws {
        guard let info = MethodCatalog.method(named: config.method) else {
            throw TrainerError.unknownMethod(config.method, valid: MethodCatalog.names)
        }
        if let unknown = config.choices.keys.sorted().first(where: { info.choices[$0] == nil }) {
            throw TrainerError.invalidConfig(
                "\(info.name) has no option '\(unknown)'; valid: \(info.choices.keys.sorted().joined(separator: ", "))")
        }
        for (key, value) in config.choices.sorted(by: { $0.key < $1.key }) where !info.choices[key]!.contains(value) {
            throw TrainerError.invalidConfig(
                "\(info.name).\(key) cannot be '\(value)'; valid: \(info.choices[key]!.joined(separator: ", "))")
        }
        func choice(_ key: String) -> String { config.choices[key] ?? info.choices[key]![0] }
        for key in config.params.keys.sorted() { try info.check(key, config.params[key]!) }
        // Every value below has passed `info.check`, the one validator (the sweep parser's too);
        // the catalog's defaults pass it too (`everyMethodKeyHasOneRuleThatAdmitsItsDefault`).
        func value(_ key: String) -> Double { config.params[key] ?? info.defaults[key]! }
        switch info.name {
        case "PPO": self = .ppo(PPO(clip: Float(value("clip"))))
        case "KLFixed": self = .klFixed(KLPenalty(beta: value("beta"), targetKL: nil))
        case "KLAdaptive":
            self = .klAdaptive(KLPenalty(beta: value("beta_init"), targetKL: value("d_targ")))
        case "MDPO":
            self = .mdpo(MDPO(beta0: value("beta0"), schedule: MDPO.Schedule(rawValue: choice("schedule"))!))
        case "MCPO":
            let n = value("N"), interval = value("write_interval"), dropout = value("dropout")
            self = .mcpo(MCPO(
                N: Int(n), betaMax: value("beta_max"), betaMin: value("beta_min"),
                ablation: MCPO.Ablation(rawValue: choice("ablation"))!, writeInterval: Int(interval),
                writeEvery: MCPO.WriteEvery(rawValue: choice("write_every"))!,
                dropout: dropout, parameterCount: parameterCount, learningRate: Float(config.lr), seed: config.seed))
        case "VMPO":
            self = .vmpo(VMPO(alpha0: value("alpha0"), learningRate: config.lr, eta0: value("eta0"),
                              epsilonEta: value("eps_eta"), epsilonAlpha: value("eps_alpha"),
                              epsilonAlphaSigma: value("eps_alpha_sigma")))
        default: throw TrainerError.unknownMethod(config.method, valid: MethodCatalog.names)
        }
    }

    mutating func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        switch self {
        case let .ppo(m): return m.policyLoss(c)
        case let .klFixed(m), let .klAdaptive(m): return m.policyLoss(c)
        case let .mdpo(m): return m.policyLoss(c)
        case var .vmpo(m):
            self = .ppo(PPO(clip: 0))  // release self's copy so that m's storage is unique (no copy-on-write)
            defer { self = .vmpo(m) }
            return m.policyLoss(c)
        case var .mcpo(m):
            self = .ppo(PPO(clip: 0))
            defer { self = .mcpo(m) }
            return m.policyLoss(c)
        }
    }

    /// Called after θ's optimiser step on the same minibatch.
    mutating func afterStep(_ c: MinibatchContext, updated θ: UnsafePointer<Float>) {
        if case var .mcpo(m) = self {
            self = .ppo(PPO(clip: 0))
            m.afterStep(c, updated: θ)
            self = .mcpo(m)
        }
    }

    /// The method's own per-iteration diagnostics (method.md §4).
    mutating func iterationMetrics() -> [String: Double] {
        if case let .vmpo(m) = self {
            return ["eta": Double(m.eta), "alpha_sigma": Double(m.alphaSigma)]
        }
        if case var .mcpo(m) = self {
            self = .ppo(PPO(clip: 0))
            defer { self = .mcpo(m) }
            return m.iterationMetrics()
        }
        return [:]
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
        case .klFixed, .klAdaptive, .mdpo, .mcpo: return "beta"
        case .vmpo: return "alpha"
        }
    }
}
