import Environments
import Foundation
import LinearAlgebra
import Networks
import Testing
@testable import Trainer

@Test func memoryEvictsTheOldestAtCapacityAndKeepsOrder() {
    var m = PolicyMemory(capacity: 3, parameterCount: 2)
    for k in 0..<5 { m.push([Float(k), Float(10 * k)]) }
    #expect(m.count == 3 && m.writes == 5)
    #expect((0..<3).map { m.slot($0)[0] } == [2, 3, 4])  // oldest first
    // ψ = Σ w_j θ_j over logical slots.
    var ψ: [Float] = [0, 0], scratch: [Float] = [0, 0, 0]
    m.combine(weights: [0.5, 0.25, 0.25], physicalWeights: &scratch, into: &ψ)
    let expectedψ: [Float] = [2.75, 27.5]  // 0.5·2 + 0.25·3 + 0.25·4, 0.5·20 + 0.25·30 + 0.25·40
    #expect(ψ == expectedψ)
    var dots: [Float] = [0, 0, 0]
    m.innerProducts(with: [1, 0.5], prefix: 2, physicalScratch: &scratch, into: &dots)
    let expectedDots: [Float] = [12, 18, 24]  // ⟨(1, 0.5), θ_j⟩
    #expect(dots == expectedDots)
    m.innerProducts(with: [1, 0.5], prefix: 1, physicalScratch: &scratch, into: &dots)
    #expect(dots == [2, 3, 4])
}

@Test func partlyFilledMemoryCombinesOnlyFilledSlots() {
    var m = PolicyMemory(capacity: 4, parameterCount: 1)
    m.push([3]); m.push([5])
    var ψ: [Float] = [0], scratch: [Float] = [0, 0, 0, 0]
    m.combine(weights: [0.25, 0.75, 9, 9], physicalWeights: &scratch, into: &ψ)  // slots 2, 3 unfilled
    let expected: [Float] = [4.5]  // 0.25·3 + 0.75·5
    #expect(ψ == expected)
}

@Test func attentionSoftmaxIsMaskedToFilledSlotsAndDropoutIsOffAtEvaluation() {
    var a = AttentionNetwork(inputSize: 12, slots: 5, dropout: 0.5, learningRate: 1e-3, seed: 1)
    for i in 0..<a.φ.count { a.φ[i] *= 50 }  // make the logits differ visibly
    let v: [Float] = (0..<12).map { Float($0) / 6 - 1 }
    let p1 = a.makePass(), p2 = a.makePass(), p3 = a.makePass()
    a.forward(context: v, filled: 3, training: false, pass: p1)
    a.forward(context: v, filled: 3, training: false, pass: p2)
    let w = (0..<5).map { p1.weights[$0] }
    #expect(w[3] == 0 && w[4] == 0)
    #expect(abs(w.reduce(0, +) - 1) < 1e-6)
    #expect((0..<5).allSatisfy { p1.weights[$0] == p2.weights[$0] })       // deterministic at evaluation
    #expect((0..<5).allSatisfy { p1.mask[$0] == 1 })
    a.forward(context: v, filled: 3, training: true, pass: p3)
    let masks = Set((0..<5).map { p3.mask[$0] })
    #expect(masks.isSubset(of: [0, 2]))                                     // dropped or scaled by 1/(1−p)
}

@Test func attentionBackwardMatchesFiniteDifferences() {
    var a = AttentionNetwork(inputSize: 6, slots: 4, dropout: 0.5, learningRate: 1e-3, seed: 2)
    for i in 0..<a.φ.count { a.φ[i] *= 30 }
    let v: [Float] = [0.3, -0.2, 0.9, 0.1, -0.5, 0.7]
    let c: [Float] = [1, -2, 0.5, 3]   // loss = Σ_j c_j w_j
    let pass = a.makePass()
    a.forward(context: v, filled: 3, training: false, pass: pass)
    a.backward(weightGradient: c, pass: pass)
    let analytic = (0..<a.parameterCount).map { Double(pass.gradient[$0]) }
    var φ = a.φ.array
    let probe = a.makePass()
    let fd = finiteDifference(&φ, epsilon: 1e-2) { values in
        for i in 0..<values.count { a.φ[i] = values[i] }
        a.forward(context: v, filled: 3, training: false, pass: probe)
        return (0..<4).reduce(0.0) { $0 + Double(c[$1] * probe.weights[$1]) }
    }
    var d = 0.0, n = 0.0
    for (x, y) in zip(analytic, fd) { d += (x - y) * (x - y); n += y * y }
    #expect((d / n).squareRoot() < 1e-2, "relative error \((d / n).squareRoot())")
    #expect(analytic.contains { $0 != 0 })
}

@Test func forgetGateValues() {
    #expect(MCPO.forgetGate(rψ: 0.3, rOld: 0.3) == 0.5)
    #expect(abs(MCPO.forgetGate(rψ: 1, rOld: 0) - Float(1 / (1 + exp(-1.0)))) < 1e-7)
    #expect(MCPO.forgetGate(rψ: 2, rOld: 0) > 0.5 && MCPO.forgetGate(rψ: -2, rOld: 0) < 0.5)
    #expect(abs(MCPO.forgetGate(rψ: 2, rOld: 0) + MCPO.forgetGate(rψ: -2, rOld: 0) - 1) < 1e-6)
}

func mcpoConfig(_ params: [String: Double] = [:], ablation: String? = nil) -> TrainingConfig {
    var c = smallConfig()
    c.method = "MCPO"
    c.params = ["N": 5].merging(params) { _, new in new }
    if let ablation { c.choices = ["ablation": ablation] }
    return c
}

@Test func betaSwitchesOnTheDistancesOfThetaAndPsiFromThetaOld() throws {
    // Memory = [θold] at the start, so ψ = θold and d(θold, ψ) = 0 < d(θold, θ): β = β_max.
    let moved = try preparedTrainer(mcpoConfig(["beta_max": 7, "beta_min": 0.03]))
    #expect(moved.minibatchLossAndGradient(rows: 16).policy.coefficient == 7)
    // θ = θold: d(θold, θ) = 0 is not above d(θold, ψ) = 0: β = β_min.
    let still = try preparedTrainer(mcpoConfig(["beta_max": 7, "beta_min": 0.03]))
    still.θ.copy(from: still.θold)
    #expect(still.minibatchLossAndGradient(rows: 16).policy.coefficient == Float(0.03))
    // The annealed_beta ablation ignores the distances: β_0 = 1 − 0/I.
    let annealed = try preparedTrainer(mcpoConfig(ablation: "annealed_beta"))
    #expect(annealed.minibatchLossAndGradient(rows: 16).policy.coefficient == 1)
}

/// L1's θ-gradient against central differences. ψ must not move with θ (ψ and α_t are constants
/// of L1), so this uses the mean_psi ablation with a second, different policy in memory.
@Test(arguments: [("none-like", 10.0), ("small beta", 0.01)])
func mcpoL1GradientMatchesFiniteDifferences(label: String, betaMax: Double) throws {
    let trainer = try preparedTrainer(mcpoConfig(["beta_max": betaMax], ablation: "mean_psi"))
    _ = trainer.minibatchLossAndGradient(rows: 16)  // first call fills M with θold
    let m = try method(trainer, as: MCPO.self)
    let other = trainer.θold.clone()
    var noise = SeededGenerator(seed: 9, stream: 9)
    for i in 0..<other.count { other[i] += Float(noise.normal() * 0.03) }
    m.memory.push(other.pointer)
    let analytic = trainer.minibatchLossAndGradient(rows: 16)
    let g = trainer.gradient.array.map(Double.init)
    #expect(analytic.policy.coefficient == Float(betaMax))
    let c1 = trainer.config.c1, c2 = trainer.config.c2
    func loss() -> Double {
        let l = trainer.minibatchLossAndGradient(rows: 16)
        return Double(l.policy.loss) + c1 * Double(l.value) - c2 * Double(l.entropy)
    }
    let net = trainer.net
    for i in [3, 200, net.policy.weightOffsets[1] + 100, net.policy.weightOffsets[2] + 5, net.policy.biasOffsets[2],
              net.logStdOffset, net.value.weightOffsets[1] + 10] {
        let saved = trainer.θ[i], eps: Float = 3e-3
        trainer.θ[i] = saved + eps
        let plus = loss()
        trainer.θ[i] = saved - eps
        let minus = loss()
        trainer.θ[i] = saved
        let fd = (plus - minus) / Double(2 * eps)
        let err = abs(fd - g[i]) / max(abs(fd), abs(g[i]), 1e-2)
        #expect(err < 3e-2, "θ[\(i)]: analytic \(g[i]) vs finite difference \(fd)")
    }
}

/// ∂L2/∂φ through ψ = Σ w_j θ_j: the pieces MCPO chains (policy backward at ψ, ⟨∇_ψ L2, θ_j⟩,
/// attention backward) against central differences of L2(φ) = Ê[π_ψ(a|s)/π_θold(a|s)·Â].
@Test func l2GradientThroughPsiMatchesFiniteDifferences() throws {
    let trainer = try preparedTrainer(mcpoConfig())
    let net = trainer.net, s = trainer.scratch, rows = 16
    var memory = PolicyMemory(capacity: 3, parameterCount: net.parameterCount)
    var noise = SeededGenerator(seed: 11, stream: 1)
    for _ in 0..<3 {
        let θj = trainer.θold.clone()
        for i in 0..<θj.count { θj[i] += Float(noise.normal() * 0.05) }
        memory.push(θj.pointer)
    }
    var attention = AttentionNetwork(inputSize: 12, slots: 3, dropout: 0.5, learningRate: 1e-3, seed: 4)
    for i in 0..<attention.φ.count { attention.φ[i] *= 40 }
    let v: [Float] = (0..<12).map { Float($0 % 5) / 4 - 0.4 }
    let ws = MLPWorkspace(layout: net.policy, capacity: rows)
    let ψ = FloatBuffer(count: net.parameterCount), physical = FloatBuffer(count: 3)
    let logp = FloatBuffer(count: rows), scratch = FloatBuffer(count: 16)
    func l2(_ pass: AttentionNetwork.Pass) -> Double {
        attention.forward(context: v, filled: 3, training: false, pass: pass)
        memory.combine(weights: pass.weights, physicalWeights: physical.pointer, into: ψ.pointer)
        let out = MLP.forward(parameters: ψ.pointer, input: s.mbObservations.pointer, rows: rows, workspace: ws)
        net.logProb(output: out, θ: ψ.pointer, actions: s.mbActions.pointer, rows: rows, scratch: scratch.pointer,
                    into: logp.pointer)
        var total = 0.0
        for t in 0..<rows { total += Double(exp(logp[t] - s.mbOldLogProbs[t]) * s.mbAdvantages[t]) }
        return total / Double(rows)
    }
    // Analytic ∂(−L2)/∂φ exactly as MCPO.policyLoss chains it.
    let pass = attention.makePass()
    _ = l2(pass)
    let gψ = FloatBuffer(count: net.parameterCount), dOut = FloatBuffer(count: rows), scale = FloatBuffer(count: rows)
    let out = ws.output
    for t in 0..<rows { scale[t] = -exp(logp[t] - s.mbOldLogProbs[t]) * s.mbAdvantages[t] / Float(rows) }
    net.logProbBackward(output: out, θ: ψ.pointer, actions: s.mbActions.pointer, rows: rows, scale: scale.pointer,
                        scratch: scratch.pointer, dOutput: dOut.pointer, gradient: gψ.pointer)
    MLP.backward(parameters: ψ.pointer, input: s.mbObservations.pointer, rows: rows, outputGradient: dOut.pointer,
                 gradient: gψ.pointer, workspace: ws)
    let dw = FloatBuffer(count: 3)
    memory.innerProducts(with: gψ.pointer, prefix: net.value.base, physicalScratch: physical.pointer, into: dw.pointer)
    attention.backward(weightGradient: dw.pointer, pass: pass)
    let analytic = (0..<attention.parameterCount).map { -Double(pass.gradient[$0]) }  // ∂L2/∂φ
    var φ = attention.φ.array
    let probe = attention.makePass()
    let fd = finiteDifference(&φ, epsilon: 1e-2) { values in
        for i in 0..<values.count { attention.φ[i] = values[i] }
        return l2(probe)
    }
    var d = 0.0, n = 0.0
    for (x, y) in zip(analytic, fd) { d += (x - y) * (x - y); n += y * y }
    #expect(n > 0)
    #expect((d / n).squareRoot() < 5e-2, "relative error \((d / n).squareRoot())")
}

@Test func conditionalWritingAndAblationWritingRules() throws {
    for (ablation, expectWrites) in [("frequent_writing", 3), ("uniform_writing", 0)] {
        let trainer = try preparedTrainer(mcpoConfig(ablation: ablation))
        for _ in 0..<3 { try trainer.minibatchStep(rows: 16, sums: &emptySums) }
        let m = try method(trainer, as: MCPO.self)
        // +1 for θold written at the start.
        #expect(m.memory.writes == expectWrites + 1, "\(ablation)")
        _ = m.iterationMetrics()
    }
    // The default rule writes only when d(θ, ψ) > d(θold, ψ); with ψ = θold, any move of θ qualifies.
    let trainer = try preparedTrainer(mcpoConfig())
    try trainer.minibatchStep(rows: 16, sums: &emptySums)
    #expect(try method(trainer, as: MCPO.self).memory.writes == 2)
}

@Test func writeEveryIterationDecidesOnlyAtTheIterationsLastMinibatch() throws {
    var config = mcpoConfig()
    config.choices = ["write_every": "iteration"]
    let trainer = try preparedTrainer(config)
    // Mid-iteration minibatches never write (with ψ = θold any move of θ would qualify).
    for _ in 0..<3 { try trainer.minibatchStep(rows: 16, sums: &emptySums) }
    #expect(try method(trainer, as: MCPO.self).memory.writes == 1)  // θold, written at the start
    // The last minibatch of the iteration applies the rule of Eq. 3.
    trainer.updatesDone = trainer.updatesPerIteration - 1
    try trainer.minibatchStep(rows: 16, sums: &emptySums)
    #expect(try method(trainer, as: MCPO.self).memory.writes == 2)

    // Over whole iterations: at most one write per iteration, against hundreds per minibatch.
    var perIteration = mcpoConfig()
    perIteration.choices = ["write_every": "iteration"]
    let whole = try Trainer(config: perIteration)
    let sink = MemoryMetricSink()
    try whole.train(sink: sink)  // 3 iterations of 2 epochs × 16 minibatches
    let m3 = try method(whole, as: MCPO.self)
    #expect(m3.memory.writes >= 2 && m3.memory.writes <= 4, "\(m3.memory.writes) writes")
    let perMinibatch = try Trainer(config: mcpoConfig())
    try perMinibatch.train(sink: MemoryMetricSink())
    let m4 = try method(perMinibatch, as: MCPO.self)
    #expect(m4.memory.writes > 4, "\(m4.memory.writes) writes")
}

nonisolated(unsafe) var emptySums = Trainer.UpdateSums()

@Test(arguments: ["none", "no_psi", "mean_psi", "half_features"])
func mcpoRunsResumesAndRecordsDiagnostics(ablation: String) throws {
    let run = try ResumeComparison(mcpoConfig(ablation: ablation))
    #expect(run.sameMetrics && run.sameParameters)
    let last = try #require(run.straightRows.last)
    for key in ["alpha_mean", "beta_max_fraction", "memory_size", "attention_entropy", "memory_writes", "d_old_psi"] {
        #expect(last[key] != nil, "\(key)")
    }
    #expect(last["memory_size"]! >= 1 && last["memory_size"]! <= 5)
    if ablation == "no_psi" { #expect(last["alpha_mean"] == 0) }
}
