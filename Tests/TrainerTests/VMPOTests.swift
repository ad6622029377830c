import Environments
import Foundation
import LinearAlgebra
import Networks
import Testing
@testable import Trainer

// MARK: Top-half selection

/// Reference rule: Â descending, ties by the lower row; the first ⌈rows/2⌉ are kept.
private func referenceOrder(_ a: [Float]) -> [Int32] {
    a.indices.sorted { a[$0] > a[$1] || (a[$0] == a[$1] && $0 < $1) }.map(Int32.init)
}

private func select(_ a: [Float]) -> (order: [Int32], k: Int) {
    var order = [Int32](repeating: -1, count: a.count)
    let k = VMPO.selectTopHalf(advantages: a, rows: a.count, order: &order)
    return (order, k)
}

@Test func topHalfKeepsTheLargerHalfWithTiesToTheLowerRowAndRoundsUp() {
    // 7 rows (odd): k = 4. Three rows tie at 0.5 across the boundary: row 0 is kept, rows 4 and 6 not.
    let a: [Float] = [0.5, 2, -1, 2, 0.5, 3, 0.5]
    let s = select(a)
    #expect(s.k == 4)
    #expect(s.order == [5, 1, 3, 0, 4, 6, 2])
    // Even count with a tie at the boundary: k = 3, rows 2 and 4 tie for the third place → row 2.
    let b: [Float] = [-1, 1, 0, 2, 0, -3]
    #expect(select(b).k == 3)
    #expect(Array(select(b).order.prefix(3)) == [3, 1, 2])
    // All equal: the first half of the rows; one row keeps itself; two rows keep the better one.
    #expect(select([Float](repeating: 0.25, count: 5)).order == [0, 1, 2, 3, 4])
    #expect(select([Float](repeating: 0.25, count: 5)).k == 3)
    #expect(select([7]).k == 1 && select([7]).order == [0])
    #expect(select([1, 2]).k == 1 && select([1, 2]).order == [1, 0])
}

@Test func topHalfOrderMatchesAReferenceSortOnRandomTiedRows() {
    var rng = SeededGenerator(seed: 11, stream: 1)
    for trial in 0..<300 {
        let rows = 1 + rng.below(90)
        // Few distinct values, so that ties are common.
        let a = (0..<rows).map { _ in Float(rng.below(7)) * 0.5 - 1.5 }
        let s = select(a)
        #expect(s.order == referenceOrder(a), "trial \(trial), rows \(rows)")
        #expect(s.k == (rows + 1) / 2)
    }
}

// MARK: ψ and the temperature loss

private func temperature(_ a: [Float], eta: Float, epsilonEta: Float = 0.01)
    -> (loss: Double, dEta: Double, psi: [Float], order: [Int32], k: Int) {
    let s = select(a)
    var psi = [Float](repeating: 0, count: a.count)
    let t = VMPO.temperature(advantages: a, order: s.order, count: s.k, eta: eta, epsilonEta: epsilonEta, psi: &psi)
    return (t.loss, t.dEta, psi, s.order, s.k)
}

@Test func psiIsTheSoftmaxOfTheTopHalfByHand() {
    // Top half of 6 rows: Â = 2 (row 1), 1 (row 4), 0 (row 0); η = 0.5 → ψ ∝ e⁴, e², e⁰.
    let a: [Float] = [0, 2, -1, -0.5, 1, -2]
    let t = temperature(a, eta: 0.5)
    let z = exp(4.0) + exp(2.0) + 1
    let expected: [Double] = [1 / z, exp(4) / z, 0, 0, exp(2) / z, 0]
    for r in 0..<6 { #expect(abs(Double(t.psi[r]) - expected[r]) < 1e-6, "row \(r): \(t.psi[r]) vs \(expected[r])") }
    // Temperature loss by hand: η·ε_η + η·log(mean of e⁴, e², e⁰).
    let hand = 0.5 * 0.01 + 0.5 * log((exp(4.0) + exp(2.0) + 1) / 3)
    #expect(abs(t.loss - hand) < 1e-9)
}

@Test func temperatureLossIsStableForLargeAdvantagesOverEta() {
    // Â/η up to 3·10⁸: a naive exp overflows; the max-subtracted form gives ψ one-hot on the max
    // and loss → max Â (+ η·(ε_η − log k)).
    let a: [Float] = [3, 1, 2.5, -4]
    let t = temperature(a, eta: 1e-8)
    #expect(t.psi == [1, 0, 0, 0])
    #expect(t.loss.isFinite && abs(t.loss - 3) < 1e-6)
    #expect(t.dEta.isFinite)
    let wide = temperature([1e4, -1e4, 5e3, 0], eta: 1)
    #expect(wide.loss.isFinite && abs(wide.loss - (1e4 + 0.01 - log(2.0))) < 1e-6)
}

@Test(arguments: [0.05, 0.3, 1.0, 4.0])
func temperatureGradientMatchesFiniteDifferences(eta: Double) {
    var rng = SeededGenerator(seed: 3, stream: 9)
    let a = (0..<33).map { _ in Float(rng.normal()) }
    let t = temperature(a, eta: Float(eta))
    // Independent evaluation in Double, from the reference top half: η·ε + η·log mean exp(Â/η).
    let top = referenceOrder(a).prefix((a.count + 1) / 2).map { Double(a[Int($0)]) }
    func loss(_ η: Double) -> Double { η * 0.01 + η * log(top.map { exp($0 / η) }.reduce(0, +) / Double(top.count)) }
    #expect(abs(t.loss - loss(eta)) < 1e-6 * max(1, abs(t.loss)))
    let h = eta * 1e-4
    let fd = (loss(eta + h) - loss(eta - h)) / (2 * h)
    #expect(abs(t.dEta - fd) < 1e-5 * max(1, abs(fd)), "η \(eta): analytic \(t.dEta) vs finite difference \(fd)")
}

// MARK: Losses and gradients on hand-built minibatches (output space, no networks)

/// A VMPO whose multipliers start at η0 and α0 (α0 = 0 too, which a sweep may not set, to check
/// the policy part alone).
private func makeVMPO(alpha0: Double, learningRate: Double, eta0: Double = 1) throws -> VMPO {
    let m = try VMPO(MethodParameters(["eta0": eta0], learningRate: learningRate))
    m.duals[VMPO.alphaIndex] = Float(alpha0)
    m.duals[VMPO.alphaSigmaIndex] = Float(alpha0)
    return m
}

/// A minibatch with given network outputs: evaluates VMPO (without stepping its multipliers) and
/// returns the θ-dependent loss, ∂/∂output, ∂/∂θ (log σ) and the evaluation.
private struct Batch {
    let net: ActorCritic
    let rows: Int
    var θ: [Float], θold: [Float]
    var output: [Float]
    let oldOutput: [Float], actions: [Float], advantages: [Float]

    init(head: ActorCritic.Head, rows: Int, seed: UInt64) {
        net = ActorCritic(observationSize: 3, head: head)
        self.rows = rows
        var rng = SeededGenerator(seed: seed, stream: 4)
        let width = head.outputSize
        θold = (0..<net.parameterCount).map { _ in Float(rng.normal() * 0.3) }
        θ = θold.enumerated().map { $0.element + Float(rng.normal() * 0.2) }
        oldOutput = (0..<rows * width).map { _ in Float(rng.normal()) }
        output = oldOutput.map { $0 + Float(rng.normal() * 0.3) }
        switch head {
        case .gaussian: actions = (0..<rows * width).map { _ in Float(rng.normal()) }
        case let .categorical(n): actions = (0..<rows).map { _ in Float(rng.below(n)) }
        }
        advantages = (0..<rows).map { _ in Float(rng.normal()) }
    }

    func evaluate(_ vmpo: VMPO) -> (e: VMPO.Evaluation, dOutput: [Float], gradient: [Float], logProb: [Float]) {
        let m = vmpo
        let θb = FloatBuffer(θ), θo = FloatBuffer(θold), out = FloatBuffer(output), oldOut = FloatBuffer(oldOutput)
        let act = FloatBuffer(actions), adv = FloatBuffer(advantages)
        let logProb = FloatBuffer(count: rows), oldLogProb = FloatBuffer(count: rows)
        let scratch = FloatBuffer(count: max(net.distributionScratchSize, 1))
        net.logProb(output: out.pointer, θ: θb.pointer, actions: act.pointer, rows: rows, scratch: scratch.pointer,
                    into: logProb.pointer)
        net.logProb(output: oldOut.pointer, θ: θo.pointer, actions: act.pointer, rows: rows, scratch: scratch.pointer,
                    into: oldLogProb.pointer)
        let dOut = FloatBuffer(count: output.count), grad = FloatBuffer(count: θ.count)
        let a = FloatBuffer(count: rows), b = FloatBuffer(count: rows), unused = FloatBuffer(count: rows)
        let c = MinibatchContext(
            net: net, rows: rows, capacity: rows, θ: θb.pointer, θold: θo.pointer, observations: unused.pointer, actions: act.pointer,
            output: out.pointer, logProb: logProb.pointer, oldOutput: oldOut.pointer, oldLogProb: oldLogProb.pointer,
            advantages: adv.pointer, returns: unused.pointer, values: unused.pointer, oldValues: unused.pointer,
            dOutput: dOut.pointer, gradient: grad.pointer, rowScratchA: a.pointer, rowScratchB: b.pointer,
            distributionScratch: scratch.pointer, update: 0, totalUpdates: 1, updatesPerIteration: 1)
        let e = m.evaluate(c)
        return (e, dOut.array, grad.array, logProb.array)
    }
}

/// Hand ψ (reference top half, softmax in Double).
private func handPsi(_ a: [Float], eta: Double) -> [Double] {
    let top = referenceOrder(a).prefix((a.count + 1) / 2).map(Int.init)
    let m = top.map { Double(a[$0]) }.max()!
    let z = top.map { exp((Double(a[$0]) - m) / eta) }.reduce(0, +)
    var psi = [Double](repeating: 0, count: a.count)
    for t in top { psi[t] = exp((Double(a[t]) - m) / eta) / z }
    return psi
}

@Test func gaussianLossesMatchIndependentKLs() throws {
    let batch = Batch(head: .gaussian(dimension: 2), rows: 15, seed: 1)
    let vmpo = try makeVMPO(alpha0: 2, learningRate: 3e-4, eta0: 0.7)
    let r = batch.evaluate(vmpo)
    let net = batch.net, rows = batch.rows, off = net.logStdOffset
    // KL_μ = KL(N(μold, σold) ‖ N(μ, σold)) and KL_σ = KL(N(μold, σold) ‖ N(μold, σ)), via DiagGaussian.kl.
    var perRow = [Float](repeating: 0, count: rows)
    let oldLS = Array(batch.θold[off..<off + 2]), newLS = Array(batch.θ[off..<off + 2])
    DiagGaussian.kl(meanP: batch.oldOutput, logStdP: oldLS, meanQ: batch.output, logStdQ: oldLS, rows: rows, dim: 2,
                    into: &perRow)
    let klMu = perRow.reduce(0, +) / Float(rows)
    DiagGaussian.kl(meanP: batch.oldOutput, logStdP: oldLS, meanQ: batch.oldOutput, logStdQ: newLS, rows: rows,
                    dim: 2, into: &perRow)
    let klSigma = perRow[0]
    #expect(perRow.allSatisfy { $0 == klSigma })  // state-independent
    #expect(abs(r.e.kl - klMu) < 1e-5 * max(1, klMu))
    #expect(abs(r.e.klSigma - klSigma) < 1e-6)
    #expect(klMu > 0.01 && klSigma > 1e-3)  // the trust-region terms are active
    // Multiplier-loss gradients: ∂/∂α_μ [α_μ(ε − sg KL_μ)] = ε − KL_μ, likewise for α_σ.
    #expect(abs(r.e.dAlpha - (0.01 - klMu)) < 1e-5)
    #expect(abs(r.e.dAlphaSigma - (1e-4 - klSigma)) < 1e-6)
    // θ-dependent loss: −Σ ψ log π + α_μ·KL_μ + α_σ·KL_σ.
    let psi = handPsi(batch.advantages, eta: 0.7)
    let policy = -zip(psi, r.logProb).map { $0 * Double($1) }.reduce(0, +)
    #expect(abs(Double(r.e.policyLoss) - policy) < 1e-5)
    #expect(abs(Double(r.e.thetaLoss) - (policy + 2 * Double(klMu) + 2 * Double(klSigma))) < 1e-4)
    #expect(r.e.k == 8)
}

@Test func categoricalLossesMatchIndependentKL() throws {
    let batch = Batch(head: .categorical(count: 4), rows: 10, seed: 2)
    let vmpo = try makeVMPO(alpha0: 3, learningRate: 3e-4)
    let r = batch.evaluate(vmpo)
    var perRow = [Float](repeating: 0, count: batch.rows), scratch = [Float](repeating: 0, count: 8)
    Categorical.kl(logitsP: batch.oldOutput, logitsQ: batch.output, rows: batch.rows, n: 4, scratch: &scratch,
                   into: &perRow)
    let kl = perRow.reduce(0, +) / Float(batch.rows)
    #expect(kl > 0.01)
    #expect(abs(r.e.kl - kl) < 1e-5)
    #expect(abs(r.e.dAlpha - (0.01 - kl)) < 1e-5)
    #expect(r.e.klSigma == 0 && r.e.dAlphaSigma == 0)
    let psi = handPsi(batch.advantages, eta: 1)
    let policy = -zip(psi, r.logProb).map { $0 * Double($1) }.reduce(0, +)
    #expect(abs(Double(r.e.thetaLoss) - (policy + 3 * Double(kl))) < 1e-4)
    #expect(r.gradient.allSatisfy { $0 == 0 })  // no log σ
}

/// ∂(θ-dependent loss)/∂(outputs, log σ) against central differences, with large multipliers so
/// that the trust-region gradients dominate (and with α = 0 so that the policy part is checked alone).
@Test(arguments: [(true, 0.0), (true, 20.0), (false, 0.0), (false, 20.0)])
func outputGradientMatchesFiniteDifferences(gaussian: Bool, alpha0: Double) throws {
    var batch = Batch(head: gaussian ? .gaussian(dimension: 2) : .categorical(count: 5), rows: 9, seed: 6)
    let vmpo = try makeVMPO(alpha0: alpha0, learningRate: 3e-4, eta0: 0.4)
    let r = batch.evaluate(vmpo)
    let h: Float = 1e-2
    func loss() -> Double { Double(batch.evaluate(vmpo).e.thetaLoss) }
    var worst = 0.0
    for j in 0..<batch.output.count {
        let saved = batch.output[j]
        batch.output[j] = saved + h; let plus = loss()
        batch.output[j] = saved - h; let minus = loss()
        batch.output[j] = saved
        let fd = (plus - minus) / Double(2 * h)
        worst = max(worst, abs(fd - Double(r.dOutput[j])))
        #expect(abs(fd - Double(r.dOutput[j])) < 2e-3 * max(1, abs(fd)), "output \(j): \(r.dOutput[j]) vs \(fd)")
    }
    if gaussian {
        for i in 0..<2 {
            let j = batch.net.logStdOffset + i
            let saved = batch.θ[j]
            batch.θ[j] = saved + h; let plus = loss()
            batch.θ[j] = saved - h; let minus = loss()
            batch.θ[j] = saved
            let fd = (plus - minus) / Double(2 * h)
            #expect(abs(fd - Double(r.gradient[j])) < 2e-3 * max(1, abs(fd)), "log σ \(i): \(r.gradient[j]) vs \(fd)")
        }
    }
    #expect(r.dOutput.contains { abs($0) > 1e-3 })
}

@Test func gaussianTrustRegionGradientFlowsOnlyThroughItsOwnParameters() throws {
    // Compare α = 0 with α = 10 (ψ and the policy part are the same): the difference of the gradients
    // is 10·∂KL_μ/∂μ in the outputs (means only) and 10·∂KL_σ/∂log σ in log σ.
    let batch = Batch(head: .gaussian(dimension: 2), rows: 7, seed: 8)
    let base = batch.evaluate(try makeVMPO(alpha0: 0, learningRate: 3e-4))
    let big = batch.evaluate(try makeVMPO(alpha0: 10, learningRate: 3e-4))
    let off = batch.net.logStdOffset
    for r in 0..<7 {
        for i in 0..<2 {
            let j = r * 2 + i
            let σoldSq = exp(2 * Double(batch.θold[off + i]))
            let expected = 10 * Double(batch.output[j] - batch.oldOutput[j]) / σoldSq / 7
            #expect(abs(Double(big.dOutput[j] - base.dOutput[j]) - expected) < 1e-4)
        }
    }
    for i in 0..<2 {
        let ratio = exp(2 * Double(batch.θold[off + i] - batch.θ[off + i]))
        #expect(abs(Double(big.gradient[off + i] - base.gradient[off + i]) - 10 * (1 - ratio)) < 1e-4)
    }
}

// MARK: Multiplier steps

@Test func multipliersTakeOneAdamStepOnTheirGradientsAndAreProjected() throws {
    let batch = Batch(head: .gaussian(dimension: 2), rows: 12, seed: 4)
    let vmpo = try makeVMPO(alpha0: 1, learningRate: 1e-2, eta0: 2)
    let e = batch.evaluate(vmpo).e
    vmpo.stepMultipliers(e)
    // First Adam step: Δ = −lr·g/(|g| + 1e-5).
    func step(_ g: Float) -> Float { -1e-2 * g / (abs(g) + 1e-5) }
    #expect(abs(vmpo.eta - (2 + step(e.dEta))) < 1e-6)
    #expect(abs(vmpo.alpha - (1 + step(e.dAlpha))) < 1e-6)
    #expect(abs(vmpo.alphaSigma - (1 + step(e.dAlphaSigma))) < 1e-6)
    #expect(e.dAlpha < 0 && vmpo.alpha > 1)  // KL_μ above its ε: α_μ grows
    #expect(vmpo.dualSteps == 1)
    // Pushed below zero → projected to 1e-8.
    let tiny = try makeVMPO(alpha0: 1e-8, learningRate: 1e-2, eta0: 1e-8)
    tiny.stepMultipliers(VMPO.Evaluation(dEta: 5, dAlpha: 1, dAlphaSigma: 1))
    #expect(tiny.eta == 1e-8 && tiny.alpha == 1e-8 && tiny.alphaSigma == 1e-8)
}

// MARK: State: checkpoint bytes, resume

private func vmpoConfig(seed: UInt64 = 7) -> TrainingConfig {
    var c = smallConfig(seed: seed)
    c.method = "VMPO"
    c.params = ["alpha0": 0.5]
    return c
}

private func vmpo(of trainer: Trainer) throws -> VMPO { try method(trainer, as: VMPO.self) }

@Test func vmpoStateRoundTripsThroughCheckpointBytes() throws {
    let trainer = try Trainer(config: vmpoConfig())
    try trainer.runIteration(sink: MemoryMetricSink())
    let live = try vmpo(of: trainer)
    #expect(live.dualSteps == 2 * 16)
    #expect(live.eta != 1 && live.alpha != 0.5 && live.alphaSigma != 0.5)
    let data = try trainer.checkpointData()
    let restored = try Trainer(checkpointData: data, format: Trainer.checkpointFormat)
    let d = try vmpo(of: restored)
    #expect(try stateBytes(d) == stateBytes(live))
    #expect(d.eta == live.eta && d.alpha == live.alpha && d.alphaSigma == live.alphaSigma && d.dualSteps == 32)
    #expect(d.alpha0 == 0.5 && d.epsilonAlphaSigma == 1e-4)
    // The bytes are the snapshot: the trainer running on changes its state, not them.
    try trainer.runIteration(sink: MemoryMetricSink())
    #expect(try stateBytes(live) != stateBytes(d))
    #expect(live.dualSteps == 64 && d.dualSteps == 32)
    #expect(try Trainer(checkpointData: data, format: Trainer.checkpointFormat).checkpointData() == data)
}

@Test func vmpoResumesBitIdentically() throws {
    let run = try ResumeComparison(vmpoConfig())
    #expect(run.sameMetrics && run.sameParameters)
    #expect(try stateBytes(vmpo(of: run.resumed)) == stateBytes(vmpo(of: run.straight)))
    #expect(run.straightRows.allSatisfy { $0["alpha"] != nil })
}

@Test func vmpoHyperparametersComeFromTheCatalog() throws {
    var config = vmpoConfig()
    config.params = ["alpha0": 5, "eps_alpha_sigma": 1e-3]
    let m = try vmpo(of: try Trainer(config: config))
    #expect(m.alpha0 == 5 && m.alpha == 5 && m.alphaSigma == 5 && m.eta == 1)
    #expect(m.epsilonEta == 0.01 && m.epsilonAlpha == 0.01 && m.epsilonAlphaSigma == 1e-3)
    config.params = ["alpha0": 0]
    #expect(throws: TrainerError.self) { try Trainer(config: config) }
    #expect(MethodCatalog.method(named: "vmpo")?.signature == "alpha0")
}

