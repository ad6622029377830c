import Foundation
import LinearAlgebra
import Networks

/// Memory-Constrained Policy Optimisation (method.md §3). Two trust regions for θ — around θold
/// and around the virtual policy ψ = Σ_j w_j·θ_j built by attention over a memory of past
/// policies — weighed per sample by the forget gate α_t, with a switching coefficient β.
struct MCPO: Codable {
    enum Ablation: String, Codable, CaseIterable, Sendable {
        case none, no_psi, annealed_beta, frequent_writing, uniform_writing, mean_psi, half_features
    }

    /// When the conditional write (Eq. 3) is decided. `minibatch`: after every minibatch update,
    /// as Algorithm 1 is printed (method.md §3.2). `iteration` **[choice]**: once per iteration,
    /// after its last update (θ is then the policy about to become θold), so that M holds one
    /// policy per iteration at most — "a wide range of past policies" — rather than the last few
    /// minibatch steps of the current iteration.
    enum WriteEvery: String, Codable, CaseIterable, Sendable {
        case minibatch, iteration
    }

    let betaMax: Float
    let betaMin: Float
    let ablation: Ablation
    let writeInterval: Int
    /// nil: `minibatch` (checkpoints written before the option existed decode as that).
    let writeEvery: WriteEvery?
    var memory: PolicyMemory
    var attention: AttentionNetwork
    /// ψold: the virtual policy of the previous minibatch step (θold before the first).
    private(set) var ψold: FloatBuffer
    private(set) var started = false
    var diagnostics = Diagnostics()
    /// Buffers reused every minibatch; rebuilt on demand, never persisted.
    private var cache: Cache?

    struct Diagnostics: Codable, Equatable {
        var minibatches = 0
        var alphaSum = 0.0
        var betaMaxCount = 0
        var attentionEntropySum = 0.0
        var argmaxSlotSum = 0.0
        var dThetaPsiSum = 0.0
        var dOldPsiSum = 0.0
        var writes = 0
    }

    enum CodingKeys: String, CodingKey {
        case betaMax, betaMin, ablation, writeInterval, writeEvery, memory, attention, ψold = "psiOld", started, diagnostics
    }

    init(N: Int, betaMax: Double, betaMin: Double, ablation: Ablation, writeInterval: Int,
         writeEvery: WriteEvery = .minibatch, dropout: Double, parameterCount: Int, learningRate: Float, seed: UInt64) {
        self.writeEvery = writeEvery == .minibatch ? nil : writeEvery
        self.betaMax = Float(betaMax)
        self.betaMin = Float(betaMin)
        self.ablation = ablation
        self.writeInterval = writeInterval
        memory = PolicyMemory(capacity: N, parameterCount: parameterCount)
        attention = AttentionNetwork(inputSize: ablation == .half_features ? 6 : 12, slots: N, dropout: dropout,
                                     learningRate: learningRate, seed: seed)
        ψold = FloatBuffer(count: parameterCount)
    }

    // MARK: Algorithm 1, one minibatch

    /// Builds ψ, steps φ on −L2 and returns −L1(θ) with its θ-gradient added to the context.
    mutating func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        let k = cacheFor(c)
        if !started {  // M and ψold start from θold (§3.2, §3.3)
            memory.push(c.θold)
            ψold.copy(fromPointer: c.θold)
            started = true
        }
        let rows = c.rows, inv = 1 / Float(rows)

        // v_context on this minibatch (§3.3, Table 3).
        let features = contextFeatures(c, k)  // k.features[0..<attention.inputSize]

        // w = softmax(f_φ(v)) over the filled slots; ψ = Σ_j w_j θ_j (§3.3, Eq. 4).
        let filled = memory.count
        if ablation == .mean_psi {
            for j in 0..<memory.capacity { k.pass.weights[j] = j < filled ? 1 / Float(filled) : 0 }
        } else {
            attention.forward(context: features, filled: filled, training: true, pass: k.pass)
        }
        memory.combine(weights: k.pass.weights, physicalWeights: k.physical.pointer, into: k.ψ.pointer)

        // π_ψ on the minibatch; R_t(ψ) = ratio_t(ψ)·Â_t; forget gate α_t = σ(R_t(ψ) − R_t(θold)) (§3.1).
        let outψ = MLP.forward(parameters: k.ψ.pointer, input: c.observations, rows: rows, workspace: k.policy)
        k.outψ.pointer.update(from: outψ, count: rows * c.net.head.outputSize)  // afterStep reuses the workspace
        c.net.logProb(output: outψ, θ: k.ψ.pointer, actions: c.actions, rows: rows, scratch: c.distributionScratch,
                      into: k.logProbψ.pointer)
        var alphaMean: Float = 0
        for t in 0..<rows {
            k.ratioψ[t] = exp(k.logProbψ[t] - c.oldLogProb[t])
            let rψ = k.ratioψ[t] * c.advantages[t], rOld = c.advantages[t]
            k.alpha[t] = ablation == .no_psi ? 0 : MCPO.forgetGate(rψ: rψ, rOld: rOld)
            alphaMean += k.alpha[t]
        }
        alphaMean *= inv
        c.net.kl(outputP: c.oldOutput, θP: c.θold, outputQ: outψ, θQ: k.ψ.pointer, rows: rows,
                 scratch: c.distributionScratch, into: k.rowKL.pointer)
        k.dOldPsi = c.meanOf(k.rowKL.pointer)
        let dOldTheta = features[2]  // feature 3, d(θold, θ)

        // Switching β (Eq. 2), or the annealed_beta ablation's β_i = 1 − i/I_total.
        let β: Float
        if ablation == .annealed_beta {
            β = Float(1 - Double(c.update) / Double(max(c.totalUpdates, 1)))
        } else {
            β = dOldTheta > k.dOldPsi ? betaMax : betaMin
        }

        // −L1(θ) = −Ê[ratio·Â] + β·Ê[(1 − α_t)·KL(π_θold ‖ π_θ)] + β·Ê[α_t·KL(π_ψ ‖ π_θ)]; ψ, α_t constant.
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

        // φ ascends L2(φ) = Ê[ratio_t(ψ)·Â_t] (§3.4): ∂(−L2)/∂w_j = ⟨∇_ψ(−L2), θ_j⟩.
        if ablation != .mean_psi {
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

        record(alphaMean: alphaMean, β: β, filled: filled, k: k)
        return PolicyStatistics(loss: surrogate.loss + β * (klOldTerm + klPsiTerm) * inv,
                                approxKL: surrogate.approxKL, coefficient: β)
    }

    /// After θ's step: conditional writing (Eq. 3) — push θ if d(θ, ψ) > d(θold, ψ) — or an
    /// ablation's writing rule; then ψold ← ψ.
    mutating func afterStep(_ c: MinibatchContext, updated θ: UnsafePointer<Float>) {
        guard let k = cache else { return }
        let write: Bool
        switch ablation {
        case .frequent_writing: write = true
        case .uniform_writing: write = (c.update + 1) % writeInterval == 0
        case _ where writeEvery == .iteration && !c.lastOfIteration:
            write = false
        default:
            let out = MLP.forward(parameters: θ, input: c.observations, rows: c.rows, workspace: k.policy)
            c.net.kl(outputP: out, θP: θ, outputQ: k.outψ.pointer, θQ: k.ψ.pointer, rows: c.rows,
                     scratch: c.distributionScratch, into: k.rowKL.pointer)
            let dThetaPsi = c.meanOf(k.rowKL.pointer)
            diagnostics.dThetaPsiSum += Double(dThetaPsi)
            write = dThetaPsi > k.dOldPsi
        }
        if write {
            memory.push(θ)
            diagnostics.writes += 1
        }
        swap(&ψold, &k.ψ)  // ψold ← ψ without a copy: the next combine overwrites all of k.ψ
    }

    // MARK: pieces

    /// α_t = exp(R_t(ψ)) / (exp(R_t(ψ)) + exp(R_t(θold))) = σ(R_t(ψ) − R_t(θold)) (method.md §3.1 [choice]).
    static func forgetGate(rψ: Float, rOld: Float) -> Float {
        1 / (1 + exp(-(rψ - rOld)))
    }

    /// The 12 context features of Table 3 (the first 6 for half_features), in order, written into
    /// the cache's feature buffer.
    private func contextFeatures(_ c: MinibatchContext, _ k: Cache) -> UnsafeMutablePointer<Float> {
        let rows = c.rows, net = c.net
        let outOld = MLP.forward(parameters: ψold.pointer, input: c.observations, rows: rows, workspace: k.policy)
        k.outψold.pointer.update(from: outOld, count: rows * net.head.outputSize)
        net.logProb(output: outOld, θ: ψold.pointer, actions: c.actions, rows: rows, scratch: c.distributionScratch,
                    into: k.logProbψold.pointer)
        func meanKL(_ p: UnsafePointer<Float>, _ θp: UnsafePointer<Float>, _ q: UnsafePointer<Float>,
                    _ θq: UnsafePointer<Float>) -> Float {
            net.kl(outputP: p, θP: θp, outputQ: q, θQ: θq, rows: rows, scratch: c.distributionScratch,
                   into: k.rowKL.pointer)
            return c.meanOf(k.rowKL.pointer)
        }
        func mean(_ f: (Int) -> Float) -> Float {
            var s: Float = 0
            for t in 0..<rows { s += f(t) }
            return s / Float(rows)
        }
        let v = k.features.pointer
        v[0] = meanKL(c.output, c.θ, k.outψold.pointer, ψold.pointer)              // 1 d(θ, ψold)
        v[1] = meanKL(c.oldOutput, c.θold, k.outψold.pointer, ψold.pointer)        // 2 d(θold, ψold)
        v[2] = meanKL(c.oldOutput, c.θold, c.output, c.θ)                         // 3 d(θold, θ)
        v[3] = mean { exp(k.logProbψold[$0] - c.oldLogProb[$0]) * c.advantages[$0] }  // 4 Ê[R_t(ψold)]
        v[4] = mean { c.advantages[$0] }                                           // 5 Ê[R_t(θold)]
        v[5] = mean { exp(c.logProb[$0] - c.oldLogProb[$0]) * c.advantages[$0] }  // 6 Ê[R_t(θ)]
        if attention.inputSize == 12 {
            let vψold = MLP.forward(parameters: ψold.pointer, input: c.observations, rows: rows, workspace: k.value)
            v[6] = mean { -k.logProbψold[$0] }                                     // 7 Ê[−log π_ψold]
            v[7] = mean { -c.oldLogProb[$0] }                                      // 8 Ê[−log π_θold]
            v[8] = mean { -c.logProb[$0] }                                         // 9 Ê[−log π_θ]
            v[9] = mean { (vψold[$0] - c.returns[$0]) * (vψold[$0] - c.returns[$0]) }                 // 10 V_ψold error
            v[10] = mean { (c.oldValues[$0] - c.returns[$0]) * (c.oldValues[$0] - c.returns[$0]) }    // 11 V_θold error
            v[11] = mean { (c.values[$0] - c.returns[$0]) * (c.values[$0] - c.returns[$0]) }          // 12 V_θ error
        }
        return v
    }

    private mutating func record(alphaMean: Float, β: Float, filled: Int, k: Cache) {
        diagnostics.minibatches += 1
        diagnostics.alphaSum += Double(alphaMean)
        if β == betaMax && ablation != .annealed_beta { diagnostics.betaMaxCount += 1 }
        diagnostics.dOldPsiSum += Double(k.dOldPsi)
        var entropy = 0.0, best = 0
        for j in 0..<filled {
            let w = Double(k.pass.weights[j])
            if w > 0 { entropy -= w * log(w) }
            if k.pass.weights[j] > k.pass.weights[best] { best = j }
        }
        diagnostics.attentionEntropySum += entropy
        diagnostics.argmaxSlotSum += Double(best)
    }

    /// Per-iteration metrics (method.md §4); resets the sums.
    mutating func iterationMetrics() -> [String: Double] {
        let d = diagnostics, m = Double(max(d.minibatches, 1))
        diagnostics = Diagnostics()
        var out: [String: Double] = [
            "alpha_mean": d.alphaSum / m,
            "beta_max_fraction": Double(d.betaMaxCount) / m,
            "memory_size": Double(memory.count),
            "attention_entropy": d.attentionEntropySum / m,
            "attention_argmax_slot": d.argmaxSlotSum / m,
            "d_old_psi": d.dOldPsiSum / m,
            "memory_writes": Double(d.writes),
        ]
        if ablation != .frequent_writing && ablation != .uniform_writing {
            // Measured on every minibatch, or on the iteration's last one with write_every: iteration.
            out["d_theta_psi"] = d.dThetaPsiSum / (writeEvery == .iteration ? 1 : m)
        }
        return out
    }

    // MARK: scratch

    final class Cache {
        let policy: MLPWorkspace
        let value: MLPWorkspace
        let pass: AttentionNetwork.Pass
        var ψ: FloatBuffer
        let gradψ: FloatBuffer
        let physical: FloatBuffer
        let dw: FloatBuffer
        let outψold: FloatBuffer
        let outψ: FloatBuffer
        let dOutψ: FloatBuffer
        let logProbψold: FloatBuffer
        let logProbψ: FloatBuffer
        let ratioψ: FloatBuffer
        let alpha: FloatBuffer
        let scale: FloatBuffer
        let rowKL: FloatBuffer
        let features: FloatBuffer
        var dOldPsi: Float = 0

        init(net: ActorCritic, capacity: Int, attention: AttentionNetwork) {
            policy = MLPWorkspace(layout: net.policy, capacity: capacity)
            value = MLPWorkspace(layout: net.value, capacity: capacity)
            pass = attention.makePass()
            ψ = FloatBuffer(count: net.parameterCount)
            gradψ = FloatBuffer(count: net.parameterCount)
            physical = FloatBuffer(count: attention.slots)
            dw = FloatBuffer(count: attention.slots)
            let outputs = capacity * net.head.outputSize
            outψold = FloatBuffer(count: outputs)
            outψ = FloatBuffer(count: outputs)
            dOutψ = FloatBuffer(count: outputs)
            logProbψold = FloatBuffer(count: capacity)
            logProbψ = FloatBuffer(count: capacity)
            ratioψ = FloatBuffer(count: capacity)
            alpha = FloatBuffer(count: capacity)
            scale = FloatBuffer(count: capacity)
            rowKL = FloatBuffer(count: capacity)
            features = FloatBuffer(count: 12)
        }
    }

    private mutating func cacheFor(_ c: MinibatchContext) -> Cache {
        if let cache { return cache }
        let made = Cache(net: c.net, capacity: c.capacity, attention: attention)
        cache = made
        return made
    }
}

extension MCPO: Equatable {
    /// Equal when their persisted states are (the scratch cache does not count).
    static func == (a: MCPO, b: MCPO) -> Bool {
        let encoder = JSONEncoder()
        return (try? encoder.encode(a)) == (try? encoder.encode(b))
    }
}
