import Foundation
import LinearAlgebra
import Networks

/// Memory-Constrained Policy Optimisation (method.md §3). Two trust regions for θ — around θold
/// and around the virtual policy ψ = Σ_j w_j·θ_j built by attention over a memory of past
/// policies — weighed per sample by the forget gate α_t, with a switching coefficient β.
final class MCPO: PolicyObjective {
    enum Ablation: String, CaseIterable, Sendable {
        case none, no_psi, annealed_beta, frequent_writing, uniform_writing, mean_psi, half_features
    }

    /// When the conditional write (Eq. 3) is decided. `minibatch`: after every minibatch update,
    /// as Algorithm 1 is printed (method.md §3.2). `iteration` **[choice]**: once per iteration,
    /// after its last update (θ is then the policy about to become θold), so that M holds one
    /// policy per iteration at most — "a wide range of past policies" — rather than the last few
    /// minibatch steps of the current iteration.
    enum WriteEvery: String, CaseIterable, Sendable {
        case minibatch, iteration
    }

    static let info = MethodInfo(
        name: "MCPO", signature: "N",
        defaults: ["N": 10, "beta_max": 10, "beta_min": 0.01, "write_interval": 10, "dropout": 0.5],
        choices: MCPO.optionChoices,
        rules: ["N": .whole(max: MCPO.maxN), "write_interval": .whole(max: 1_000_000_000), "dropout": .fraction],
        recommended: MCPO.chosenDefaults)
    /// The largest memory: the attention network has N² + 14N weights (with Adam, ×3).
    static let maxN = 1000
    static let coefficientMetric = "beta"

    let betaMax: Float
    let betaMin: Float
    let ablation: Ablation
    let writeInterval: Int
    let options: Options
    var writeEvery: WriteEvery { options.writeEvery }
    /// M, with N slots; its vectors (and ψold) are allocated on the first minibatch, when the
    /// network's size is known.
    var memory: PolicyMemory
    var attention: AttentionNetwork
    /// ψold: the virtual policy of the previous minibatch step (θold before the first).
    private(set) var ψold = FloatBuffer(count: 0)
    private(set) var started = false
    var diagnostics = Diagnostics()
    /// Buffers reused every minibatch; built on the first, never persisted.
    var cache: Cache?
    /// What the write check after θ's step needs from the same minibatch's `policyLoss` (which
    /// sets it; `afterStep` consumes it). Never persisted: checkpoints fall between iterations.
    private var pendingWrite: WriteInputs?
    /// Policies written into M during the current iteration (for attend: past); reset on an
    /// iteration's first minibatch, so never persisted.
    private var writesThisIteration = 0
    /// β decided after the previous minibatch's step (beta_when: after), never persisted.
    private var laggedβ: Float?
    /// β in force for the whole iteration (beta_when: iteration), decided when the previous one ended.
    private(set) var iterationβ: Float

    /// The write check's inputs, handed from `policyLoss` to `afterStep` of one minibatch.
    struct WriteInputs {
        /// d(θold, ψ) on the minibatch, the right-hand side of Eq. 3.
        let dOldPsi: Float
        /// ψ and π_ψ's outputs on the minibatch.
        let ψ: UnsafePointer<Float>
        let outψ: UnsafePointer<Float>
    }

    struct Diagnostics: Codable {
        var minibatches = 0
        var alphaSum = 0.0
        var alphaDeviationSum = 0.0
        var betaMaxCount = 0
        var attentionEntropySum = 0.0
        var argmaxSlotSum = 0.0
        var dThetaPsiSum = 0.0
        var dOldPsiSum = 0.0
        var writes = 0
    }

    init(_ parameters: MethodParameters) throws {
        let p = try parameters.checked(by: Self.info)
        betaMax = Float(p.value("beta_max"))
        betaMin = Float(p.value("beta_min"))
        ablation = Ablation(rawValue: p.choice("ablation"))!
        writeInterval = Int(p.value("write_interval"))
        options = try Options(p)
        iterationβ = Float(p.value("beta_min"))
        let n = Int(p.value("N"))
        memory = PolicyMemory(capacity: n, parameterCount: 0)
        attention = AttentionNetwork(inputSize: ablation == .half_features ? 6 : 12, slots: n, dropout: p.value("dropout"),
                                     learningRate: Float(p.learningRate), seed: p.seed)
    }

    /// The memory, the attention network with its optimiser and generator, ψold, and the
    /// iteration's diagnostic sums.
    struct State: Codable {
        let memory: PolicyMemory
        let attention: AttentionNetwork
        let ψold: FloatBuffer
        let started: Bool
        let diagnostics: Diagnostics
        let iterationβ: Float

        enum CodingKeys: String, CodingKey {
            case memory, attention, ψold = "psiOld", started, diagnostics, iterationβ = "iterationBeta"
        }
    }

    var state: State {
        State(memory: memory, attention: attention, ψold: ψold, started: started, diagnostics: diagnostics,
              iterationβ: iterationβ)
    }

    func restore(_ s: State) throws {
        guard s.memory.capacity == memory.capacity, s.attention.slots == attention.slots,
              s.attention.inputSize == attention.inputSize, s.attention.parameterCount == attention.φ.count,
              s.ψold.count == s.memory.parameterCount
        else { throw TrainerError.invalidCheckpoint("MCPO state does not fit N = \(memory.capacity)") }
        memory = s.memory
        attention = s.attention
        ψold = s.ψold
        started = s.started
        diagnostics = s.diagnostics
        iterationβ = s.iterationβ
        cache = nil
    }

    // MARK: Algorithm 1, one minibatch

    /// Builds ψ, steps φ on −L2 and returns −L1(θ) with its θ-gradient added to the context:
    /// the steps of Algorithm 1 for one minibatch, up to θ's optimiser step (`afterStep` does
    /// the rest).
    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        if !started {  // M and ψold start from θold (§3.2, §3.3)
            memory = PolicyMemory(capacity: memory.capacity, parameterCount: c.net.parameterCount)
            memory.push(c.θold)
            ψold = FloatBuffer(count: c.net.parameterCount)
            ψold.copy(fromPointer: c.θold)
            started = true
        }
        let k = cacheFor(c)
        if c.update % c.updatesPerIteration == 0 {  // an iteration's first minibatch
            writesThisIteration = 0
            laggedβ = nil
        }
        let features = contextFeatures(c, k)  // v_context on this minibatch (§3.3, Table 3)
        if options.writeCheck == .next && writesByCheck { checkWrite(dThetaPsi: features[0], dOldPsi: features[1], θ: c.θ) }
        let filled = virtualPolicy(features: attentionInput(features, k), k)
        let outψ = evaluateVirtualPolicy(c, k)
        let alphaMean = forgetGates(c, k)
        let dOldPsi = distance(c.oldOutput, c.θold, outψ, k.ψ.pointer, c, k)  // d(θold, ψ)
        let β = switchingBeta(c, dOldTheta: features[2], dOldPsi: dOldPsi, dThetaPsiOld: features[0])
        let (surrogate, klTerms) = addL1Gradient(c, k, outψ: outψ, β: β)
        if ablation != .mean_psi { attentionStep(c, k, outψ: outψ) }
        pendingWrite = WriteInputs(dOldPsi: dOldPsi, ψ: k.ψ.pointer, outψ: outψ)
        record(alphaMean: alphaMean, β: β, dOldPsi: dOldPsi, filled: filled, k: k)
        return PolicyStatistics(loss: surrogate.loss + β * klTerms * (1 / Float(c.rows)),
                                approxKL: surrogate.approxKL, coefficient: β)
    }

    /// The virtual policy (§3.3, Eq. 4): w = softmax(f_φ(v)) over the filled slots (uniform for
    /// mean_psi) and ψ = Σ_j w_j θ_j, written into the cache. Returns |M|.
    private func virtualPolicy(features: UnsafePointer<Float>, _ k: Cache) -> Int {
        // attend: past leaves out this iteration's writes (the newest slots), keeping the oldest.
        let filled = options.attend == .past ? max(1, memory.count - writesThisIteration) : memory.count
        if ablation == .mean_psi {
            for j in 0..<memory.capacity { k.pass.weights[j] = j < filled ? 1 / Float(filled) : 0 }
        } else {
            attention.forward(context: features, filled: filled, training: true, pass: k.pass)
        }
        memory.combine(weights: k.pass.weights, physicalWeights: k.physical.pointer, into: k.ψ.pointer)
        return filled
    }

    /// π_ψ on the minibatch: its outputs (kept in the cache for the write check) and log π_ψ(a_t|s_t).
    private func evaluateVirtualPolicy(_ c: MinibatchContext, _ k: Cache) -> UnsafePointer<Float> {
        let outψ = MLP.forward(parameters: k.ψ.pointer, input: c.observations, rows: c.rows, workspace: k.policy)
        k.outψ.pointer.update(from: outψ, count: c.rows * c.net.head.outputSize)  // afterStep reuses the workspace
        c.net.logProb(output: outψ, θ: k.ψ.pointer, actions: c.actions, rows: c.rows, scratch: c.distributionScratch,
                      into: k.logProbψ.pointer)
        return UnsafePointer(k.outψ.pointer)
    }

    /// Forget gates (§3.1): ratio_t(ψ), R_t(ψ) = ratio_t(ψ)·Â_t and α_t = σ(R_t(ψ) − R_t(θold))
    /// per row (0 for no_psi); returns their mean.
    private func forgetGates(_ c: MinibatchContext, _ k: Cache) -> Float {
        var alphaMean: Float = 0, deviation: Float = 0
        for t in 0..<c.rows { k.ratioψ[t] = exp(k.logProbψ[t] - c.oldLogProb[t]) }
        // The gate's argument R_t(ψ) − R_t(θold) = (ratio_t(ψ) − 1)·Â_t, divided by its standard
        // deviation over the minibatch for forget_gate: standardized.
        var scale: Float = 1
        if options.forgetGate == .standardized {
            var mean: Float = 0, square: Float = 0
            for t in 0..<c.rows { let d = (k.ratioψ[t] - 1) * c.advantages[t]; mean += d; square += d * d }
            mean /= Float(c.rows)
            let variance = max(square / Float(c.rows) - mean * mean, 0)
            scale = 1 / (variance.squareRoot() + 1e-8)
        }
        for t in 0..<c.rows {
            let rψ = k.ratioψ[t] * c.advantages[t], rOld = c.advantages[t]
            k.alpha[t] = ablation == .no_psi ? 0 : MCPO.forgetGate(rψ: rψ * scale, rOld: rOld * scale)
            alphaMean += k.alpha[t]
            deviation += abs(k.alpha[t] - 0.5)
        }
        diagnostics.alphaDeviationSum += Double(deviation * (1 / Float(c.rows)))
        return alphaMean * (1 / Float(c.rows))
    }

    /// Switching β (Eq. 2): β_max when d(θold, θ) > d(θold, ψ) (or > d(θ, ψold) with
    /// switch_reference: psi_old), else β_min, decided as `beta_when` says; the annealed_beta
    /// ablation's β_i = 1 − i/I_total instead.
    private func switchingBeta(_ c: MinibatchContext, dOldTheta: Float, dOldPsi: Float, dThetaPsiOld: Float) -> Float {
        if ablation == .annealed_beta { return Float(1 - Double(c.update) / Double(max(c.totalUpdates, 1))) }
        switch options.betaWhen {
        case .before: return switchRule(dOldTheta: dOldTheta, dOldPsi: dOldPsi, dThetaPsiOld: dThetaPsiOld)
        case .after: return laggedβ ?? betaMin
        case .iteration: return iterationβ
        }
    }

    func switchRule(dOldTheta: Float, dOldPsi: Float, dThetaPsiOld: Float) -> Float {
        let reference = options.switchReference == .psi ? dOldPsi : dThetaPsiOld
        return dOldTheta > reference ? betaMax : betaMin
    }

    /// beta_when: iteration decides the next iteration's β from this one's end.
    func iterationEnded(measuredKL: Double) {
        guard options.betaWhen == .iteration, diagnostics.minibatches > 0 else { return }
        iterationβ = measuredKL > diagnostics.dOldPsiSum / Double(diagnostics.minibatches) ? betaMax : betaMin
    }

    /// The L1 gradient (§3.1): −L1(θ) = −Ê[ratio·Â] + β·Ê[(1 − α_t)·KL(π_θold ‖ π_θ)] + β·Ê[α_t·KL(π_ψ ‖ π_θ)]
    /// with ψ and α_t constant; adds its θ-gradient to the context. Returns the surrogate's
    /// statistics and Σ_t [(1 − α_t)·KL_old,t + α_t·KL_ψ,t].
    private func addL1Gradient(_ c: MinibatchContext, _ k: Cache, outψ: UnsafePointer<Float>, β: Float)
        -> (surrogate: (loss: Float, approxKL: Float), klTerms: Float)
    {
        let rows = c.rows, inv = 1 / Float(rows)
        let surrogate = c.addSurrogate()
        c.net.kl(outputP: c.oldOutput, θP: c.θold, outputQ: c.output, θQ: c.θ, rows: rows,
                 scratch: c.distributionScratch, into: k.rowKL.pointer)
        var klOldTerm: Float = 0
        for t in 0..<rows {
            klOldTerm += (1 - k.alpha[t]) * k.rowKL[t]
            k.scale[t] = β * (1 - k.alpha[t]) * inv
        }
        c.net.klBackward(outputP: c.oldOutput, θP: c.θold, outputQ: c.output, θQ: c.θ, rows: rows, scale: k.scale.pointer,
                         scratch: c.distributionScratch, dOutputP: nil, gradientP: nil, dOutputQ: c.dOutput,
                         gradientQ: c.gradient)
        c.net.kl(outputP: outψ, θP: k.ψ.pointer, outputQ: c.output, θQ: c.θ, rows: rows,
                 scratch: c.distributionScratch, into: k.rowKL.pointer)
        var klPsiTerm: Float = 0
        for t in 0..<rows {
            klPsiTerm += k.alpha[t] * k.rowKL[t]
            k.scale[t] = β * k.alpha[t] * inv
        }
        c.net.klBackward(outputP: outψ, θP: k.ψ.pointer, outputQ: c.output, θQ: c.θ, rows: rows, scale: k.scale.pointer,
                         scratch: c.distributionScratch, dOutputP: nil, gradientP: nil, dOutputQ: c.dOutput,
                         gradientQ: c.gradient)
        return (surrogate, klOldTerm + klPsiTerm)
    }

    /// The attention step (§3.4): φ ascends L2(φ) = Ê[ratio_t(ψ)·Â_t], through
    /// ∂(−L2)/∂w_j = ⟨∇_ψ(−L2), θ_j⟩, softmax, dropout and the attention MLP.
    private func attentionStep(_ c: MinibatchContext, _ k: Cache, outψ: UnsafePointer<Float>) {
        let rows = c.rows, inv = 1 / Float(rows)
        let policyEnd = c.net.value.base
        k.gradψ.pointer.update(repeating: 0, count: policyEnd)
        k.dOutψ.pointer.update(repeating: 0, count: rows * c.net.head.outputSize)
        for t in 0..<rows { k.scale[t] = -k.ratioψ[t] * c.advantages[t] * inv }
        c.net.logProbBackward(output: outψ, θ: k.ψ.pointer, actions: c.actions, rows: rows, scale: k.scale.pointer,
                              scratch: c.distributionScratch, dOutput: k.dOutψ.pointer, gradient: k.gradψ.pointer)
        MLP.backward(parameters: k.ψ.pointer, input: c.observations, rows: rows, outputGradient: k.dOutψ.pointer,
                     gradient: k.gradψ.pointer, workspace: k.policy)
        memory.innerProducts(with: k.gradψ.pointer, prefix: policyEnd, physicalScratch: k.physical.pointer,
                             into: k.dw.pointer)
        attention.backward(weightGradient: k.dw.pointer, pass: k.pass)
        attention.step(pass: k.pass)
    }

    /// d(p, q) = Ê_t KL[π_p ‖ π_q] on the minibatch, from the two policies' outputs.
    func distance(_ p: UnsafePointer<Float>, _ θp: UnsafePointer<Float>, _ q: UnsafePointer<Float>,
                          _ θq: UnsafePointer<Float>, _ c: MinibatchContext, _ k: Cache) -> Float {
        c.net.kl(outputP: p, θP: θp, outputQ: q, θQ: θq, rows: c.rows, scratch: c.distributionScratch, into: k.rowKL.pointer)
        return c.meanOf(k.rowKL.pointer)
    }

    /// After θ's step: conditional writing (Eq. 3) — push θ if d(θ, ψ) > d(θold, ψ) — or an
    /// ablation's writing rule; then ψold ← ψ.
    func afterStep(_ c: MinibatchContext, updated θ: UnsafePointer<Float>) {
        guard let k = cache, let check = pendingWrite else { return }
        pendingWrite = nil
        var write = false
        switch ablation {
        case .frequent_writing: write = true
        case .uniform_writing: write = (c.update + 1) % writeInterval == 0
        default: break
        }
        let sameCheck = writesByCheck && options.writeCheck == .same && (writeEvery == .minibatch || c.lastOfIteration)
        if sameCheck || options.betaWhen == .after {
            let out = MLP.forward(parameters: θ, input: c.observations, rows: c.rows, workspace: k.policy)
            if options.betaWhen == .after {
                let dOldTheta = distance(c.oldOutput, c.θold, out, θ, c, k)
                let dThetaPsiOld = distance(out, θ, k.outψold.pointer, ψold.pointer, c, k)
                laggedβ = switchRule(dOldTheta: dOldTheta, dOldPsi: check.dOldPsi, dThetaPsiOld: dThetaPsiOld)
            }
            if sameCheck { checkWrite(dThetaPsi: distance(out, θ, check.outψ, check.ψ, c, k), dOldPsi: check.dOldPsi, θ: θ) }
        }
        if write { push(θ) }
        swap(&ψold, &k.ψ)  // ψold ← ψ without a copy: the next combine overwrites all of k.ψ
    }

    /// ψ of the iteration's last minibatch, evaluated as `eval_return_psi` (the paper's Fig. 2b).
    func evaluationPolicies() -> [(name: String, parameters: UnsafePointer<Float>)] {
        started ? [("psi", UnsafePointer(ψold.pointer))] : []
    }

    /// Whether Eq. 3 decides the writes (every ablation but the two writing rules).
    var writesByCheck: Bool { ablation != .frequent_writing && ablation != .uniform_writing }

    /// Conditional writing (Eq. 3): push θ if d(θ, ψ) > d(θold, ψ).
    private func checkWrite(dThetaPsi: Float, dOldPsi: Float, θ: UnsafePointer<Float>) {
        diagnostics.dThetaPsiSum += Double(dThetaPsi)
        if dThetaPsi > dOldPsi { push(θ) }
    }

    private func push(_ θ: UnsafePointer<Float>) {
        memory.push(θ)
        diagnostics.writes += 1
        writesThisIteration += 1
    }

    // MARK: pieces

    /// α_t = exp(R_t(ψ)) / (exp(R_t(ψ)) + exp(R_t(θold))) = σ(R_t(ψ) − R_t(θold)) (method.md §3.1 [choice]).
    static func forgetGate(rψ: Float, rOld: Float) -> Float {
        1 / (1 + exp(-(rψ - rOld)))
    }
}
