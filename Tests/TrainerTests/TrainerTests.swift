import Environments
import Foundation
import Networks
import Testing
@testable import Trainer

@Test func gaeByHandWithTruncationAndTermination() {
    // One actor, T = 4: an episode truncated at t = 1 (bootstrap 5) and one terminated at t = 3.
    let b = RolloutBuffer(horizon: 4, actors: 1, observationSize: 1, actionWidth: 1, outputSize: 1)
    let r: [Float] = [1, 2, 3, 4], v: [Float] = [0.5, 1, 1.5, 2]
    for t in 0..<4 { b.rewards[t] = r[t]; b.values[t] = v[t] }
    b.episodeEnded[1] = true; b.truncated[1] = true; b.bootstrapValues[1] = 5
    b.episodeEnded[3] = true; b.truncated[3] = false; b.bootstrapValues[3] = 100  // ignored: terminated
    b.lastValues[0] = 50  // ignored: the last step ended its episode
    let γ: Float = 0.9, λ: Float = 0.8
    b.computeAdvantages(gamma: γ, lambda: λ)
    let a3 = 4 - 2 as Float                        // terminated: no bootstrap
    let a2 = (3 + γ * 2 - 1.5) + γ * λ * a3
    let a1 = 2 + γ * 5 - 1                         // truncated: bootstrap with V(final) = 5
    let a0 = (1 + γ * 1 - 0.5) + γ * λ * a1
    let expected = [a0, a1, a2, a3]
    for t in 0..<4 {
        #expect(abs(b.advantages[t] - expected[t]) < 1e-6, "t=\(t)")
        #expect(abs(b.returns[t] - (expected[t] + v[t])) < 1e-6)
    }
}

@Test func gaeBootstrapsWithLastValueWhenTheEpisodeContinues() {
    let b = RolloutBuffer(horizon: 2, actors: 2, observationSize: 1, actionWidth: 1, outputSize: 1)
    for k in 0..<4 { b.rewards[k] = 1; b.values[k] = 0 }
    b.lastValues[0] = 10; b.lastValues[1] = -10
    b.computeAdvantages(gamma: 0.5, lambda: 1)
    // actor 0: A1 = 1 + 0.5·10 = 6, A0 = 1 + 0 + 0.5·6 = 4; actor 1: A1 = 1 − 5 = −4, A0 = 1 − 2 = −1.
    #expect(b.advantages.array == [4, -1, 6, -4])
}

@Test func ppoGradientWithRespectToLogProb() throws {
    let ppo = try PPO(MethodParameters(["clip": 0.2]))
    // Rows 0,1 unclipped; row 2 ratio e^0.5 with Â > 0 (clipped, zero gradient); row 3 ratio e^−0.5 with Â > 0 (unclipped, pessimistic branch).
    var logProb: [Float] = [0.1, -0.05, 0.5, -0.5]
    let old: [Float] = [0, 0, 0, 0], adv: [Float] = [1, -2, 1.5, 0.7]
    var d = [Float](repeating: 0, count: 4)
    let stats = ppo.lossGradient(logProb: logProb, oldLogProb: old, advantages: adv, rows: 4, dLogProb: &d)
    let fd = finiteDifference(&logProb) { lp in
        var scratch = [Float](repeating: 0, count: 4)
        return Double(ppo.lossGradient(logProb: lp, oldLogProb: old, advantages: adv, rows: 4, dLogProb: &scratch).loss)
    }
    for t in 0..<4 { #expect(abs(Double(d[t]) - fd[t]) < 1e-3, "row \(t): \(d[t]) vs \(fd[t])") }
    #expect(d[2] == 0)
    #expect(stats.clipFraction == 0.5)
    let handLoss = -(exp(0.1) * 1 + exp(-0.05) * -2 + 1.2 * 1.5 + exp(-0.5) * 0.7) / 4
    #expect(abs(Double(stats.loss) - handLoss) < 1e-6)
}

/// Every method's full minibatch loss (−L_method + c1·value loss − c2·entropy) against central
/// differences in θ, with θ moved away from θold so that the trust-region terms are active.
@Test(arguments: [("PPO", 0.2), ("KLFixed", 1.0), ("KLAdaptive", 0.01), ("MDPO", 2.0), ("VMPO", 1.0)])
func fullMinibatchLossGradientMatchesFiniteDifferences(method: String, value: Double) throws {
    var config = smallConfig()
    config.method = method
    config.params = [MethodCatalog.method(named: method)!.signature: value]
    config.c2 = 0.01  // exercise the entropy term too
    let rows = 16
    let trainer = try preparedTrainer(config, rows: rows)
    // Move old log-probs so that some PPO ratios are clipped.
    if method == "PPO" {
        for r in 0..<rows where r % 3 == 0 { trainer.scratch.mbOldLogProbs[r] += r % 2 == 0 ? 0.6 : -0.6 }
    }
    // A method may step its own state per minibatch (VMPO's η and α): every evaluation starts from the same.
    let methodState = try stateBytes(trainer.method)
    _ = trainer.minibatchLossAndGradient(rows: rows)
    let analytic = trainer.gradient.array.map(Double.init)
    func totalLoss() throws -> Double {
        try restore(trainer.method, from: methodState)
        let l = trainer.minibatchLossAndGradient(rows: rows)
        return Double(l.policy.loss) + config.c1 * Double(l.value) - config.c2 * Double(l.entropy)
    }
    // Check a spread of parameters from every block (policy layers, log σ, value layers).
    let net = trainer.net
    let indices = [0, 5, 100, net.policy.biasOffsets[0] + 3, net.policy.weightOffsets[1] + 777,
                   net.policy.weightOffsets[2] + 10, net.policy.biasOffsets[2], net.logStdOffset,
                   net.value.weightOffsets[0] + 50, net.value.weightOffsets[1] + 2000, net.value.biasOffsets[1] + 7,
                   net.value.weightOffsets[2] + 63, net.value.biasOffsets[2]]
    var worst = 0.0
    for i in indices {
        let saved = trainer.θ[i], eps: Float = 3e-3
        trainer.θ[i] = saved + eps
        let plus = try totalLoss()
        trainer.θ[i] = saved - eps
        let minus = try totalLoss()
        trainer.θ[i] = saved
        let fd = (plus - minus) / Double(2 * eps)
        let err = abs(fd - analytic[i]) / max(abs(fd), abs(analytic[i]), 1e-2)  // floor: Float rounding of the loss / 2ε ≈ 5e-5
        worst = max(worst, err)
        #expect(err < 3e-2, "θ[\(i)]: analytic \(analytic[i]) vs finite difference \(fd)")
    }
    #expect(analytic.contains { $0 != 0 })
}

@Test func sameConfigAndSeedGiveBitIdenticalMetrics() throws {
    let a = MemoryMetricSink(), b = MemoryMetricSink(), c = MemoryMetricSink()
    try Trainer(config: smallConfig()).train(sink: a)
    try Trainer(config: smallConfig()).train(sink: b)
    try Trainer(config: smallConfig(seed: 8)).train(sink: c)
    #expect(a.rows.count == 3)
    #expect(a.rows.map(\.step) == b.rows.map(\.step))
    #expect(a.rows.map(\.metrics) == b.rows.map(\.metrics))
    #expect(a.rows.map(\.metrics) != c.rows.map(\.metrics))
}

@Test func resumingFromEncodedStateContinuesBitIdentically() throws {
    let run = try ResumeComparison(smallConfig())
    #expect(run.resumed.stepsDone == run.straight.stepsDone)
    #expect(run.sameMetrics)
    #expect(run.sameParameters)
}

@Test func budgetIsRoundedUpToWholeIterations() throws {
    let trainer = try Trainer(config: smallConfig(steps: 600))  // 512 per iteration
    let sink = MemoryMetricSink()
    try trainer.train(sink: sink)
    #expect(trainer.stepsDone == 1024)
    #expect(sink.rows.map(\.step) == [512, 1024])
}

@Test func unknownMethodAndBadValuesAreRejected() {
    #expect(throws: TrainerError.unknownMethod("Nope", valid: MethodCatalog.names)) {
        try Trainer(config: TrainingConfig(method: "Nope", env: "Pendulum", seed: 0, steps: 10))
    }
    #expect(throws: TrainerError.invalidParameter(method: "PPO", key: "clip", expected: "a number > 0", found: 0)) {
        try Trainer(config: TrainingConfig(method: "PPO", env: "Pendulum", seed: 0, steps: 10, params: ["clip": 0]))
    }
    #expect(throws: TrainerError.invalidParameter(method: "MCPO", key: "dropout", expected: "a number in [0, 1)", found: 1.5)) {
        try Trainer(config: TrainingConfig(method: "MCPO", env: "Pendulum", seed: 0, steps: 10, params: ["N": 5, "dropout": 1.5]))
    }
}

/// The trainer and the sweep parser share one validator, each method's initialiser: every method
/// builds from its defaults, and each key rejects what its rule rejects, with the rule's words.
@Test func everyMethodKeyHasOneRuleThatAdmitsItsDefault() throws {
    for type in MethodCatalog.types {
        let info = type.info
        _ = try type.init(MethodParameters())
        for (key, value) in info.defaults {
            try MethodCatalog.validate(method: info.name, MethodParameters([key: value]))
            let bad: Double
            switch info.rule(for: key) {
            case .fraction: bad = 1
            case let .whole(max): bad = [2.5, Double(max) + 1][key.count % 2]
            case .positive: bad = 0
            }
            #expect(throws: TrainerError.invalidParameter(method: info.name, key: key, expected: info.rule(for: key).expectation, found: bad)) {
                try MethodCatalog.validate(method: info.name, MethodParameters([key: bad]))
            }
        }
        for (key, values) in info.choices {
            for value in values { try MethodCatalog.validate(method: info.name, MethodParameters(choices: [key: value])) }
            #expect(throws: TrainerError.self) {
                try MethodCatalog.validate(method: info.name, MethodParameters(choices: [key: "no such \(key)"]))
            }
        }
        #expect(throws: TrainerError.self) { try MethodCatalog.validate(method: info.name, MethodParameters(["no_such_key": 1])) }
    }
    #expect(throws: TrainerError.unknownMethod("TRPOX", valid: MethodCatalog.names)) {
        try MethodCatalog.validate(method: "TRPOX", MethodParameters())
    }
}

@Test func gaussianDiagnosticsCountMeansOutsideTheActionBounds() throws {
    let trainer = try Trainer(config: smallConfig())
    let policy = trainer.net.policy, last = policy.layerCount - 1
    // Output layer: zero weights, bias +5, so every mean is 5 > high = 2 (Pendulum's torque bound).
    for i in policy.weightOffsets[last]..<policy.biasOffsets[last] { trainer.θ[i] = 0 }
    trainer.θ[policy.biasOffsets[last]] = 5
    trainer.θ[trainer.net.logStdOffset] = -0.75
    trainer.collectRollout()
    var d = trainer.gaussianDiagnostics()
    #expect(d[MetricKey.meanOutOfBounds] == 1)
    #expect(d[MetricKey.logStd] == -0.75)
    trainer.θ[policy.biasOffsets[last]] = 0  // means 0: inside the bounds
    trainer.collectRollout()
    d = trainer.gaussianDiagnostics()
    #expect(d[MetricKey.meanOutOfBounds] == 0)

    var discrete = smallConfig()
    discrete.env = "LunarLander"
    #expect(try Trainer(config: discrete).gaussianDiagnostics().isEmpty)
}

@Test func clippedActionLikelihoodIsAnOptInThatResumesExactly() throws {
    // Off by default and absent from the stored config (so older run hashes hold).
    let plain = smallConfig()
    #expect(try Trainer(config: plain).net.clippedLikelihood == nil)
    #expect(!String(decoding: try JSONEncoder().encode(plain), as: UTF8.self).contains("clipped_action_likelihood"))

    var config = smallConfig()
    config.clippedActionLikelihood = true
    let json = try JSONEncoder().encode(config)
    #expect(try JSONDecoder().decode(TrainingConfig.self, from: json).clippedActionLikelihood)
    let trainer = try Trainer(config: config)
    #expect(trainer.net.clippedLikelihood == DiagGaussian.Bounds(low: -2, high: 2))  // Pendulum's torque

    // The rollout's log π is the clipped one: an action sampled past a bound has the tail's mass.
    trainer.collectRollout()
    let b = trainer.buffer
    var checked = 0
    for k in 0..<b.count where abs(b.actions[k]) > 2 {
        let μ = Double(b.outputs[k]), σ = exp(Double(trainer.θ[trainer.net.logStdOffset]))
        let tail = b.actions[k] > 0 ? (μ - 2) / σ : (-2 - μ) / σ
        #expect(abs(Double(b.logProbs[k]) - log(0.5 * erfc(-tail / 2.0.squareRoot()))) < 1e-4)
        checked += 1
    }
    #expect(checked > 0)  // σ = 1 at the start: about 5 % of the samples fall past ±2

    let run = try ResumeComparison(config)
    #expect(run.sameMetrics && run.sameParameters)
    var discrete = config
    discrete.env = "LunarLander"
    #expect(try Trainer(config: discrete).net.clippedLikelihood == nil)  // no effect on discrete actions
}
