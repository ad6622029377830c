import Foundation
import LinearAlgebra
import Networks

/// TRPO's update (method.md §2): one natural-gradient step of the policy, then K epochs of value
/// minibatches. The policy's parameters are θ[0 ..< net.value.base] (network and log σ).
extension Trainer {
    func naturalGradientUpdate(_ trpo: TRPO) throws -> [String: Double] {
        if config.advantageNorm == .minibatch { buffer.normalizeAdvantages() }  // TRPO's surrogate is over the batch
        let count = net.value.base, δ = trpo.delta
        trpo.allocate(count)
        let before = surrogate(gradientInto: &trpo.g)
        conjugateGradient(trpo)
        // Scale the direction x to the constraint's quadratic model: ½·sᵀ(F + λI)s = δ.
        fisherVectorProduct(trpo.x, into: &trpo.fp)
        let xFx = dot(trpo.x, trpo.fp)
        var fraction = 0.0, after = before, kl = 0.0
        if xFx > 0 && xFx.isFinite {
            let scale = Float((2 * δ / xFx).squareRoot())
            for i in 0..<count { trpo.step[i] = scale * trpo.x[i] }
            var k = 0
            while k < TRPO.lineSearchSteps {
                let f = pow(0.5, Double(k))
                setPolicy(θold: θold.pointer, plus: Float(f), trpo.step)
                kl = measureKL()
                var unused: [Float] = []
                let value = surrogate(gradientInto: &unused)
                if kl <= δ && value > before { fraction = f; after = value; break }
                k += 1
            }
        }
        if fraction == 0 {
            θ.pointer.update(from: θold.pointer, count: count)
            kl = measureKL()  // d(θold, θold) as computed: 0 up to rounding, and what kl_old_new records
        }
        try checkParameters()
        var metrics = try valueEpochs()
        metrics[MetricKey.policyLoss] = -after
        metrics[MetricKey.approxKLMinibatch] = kl
        metrics[MetricKey.entropy] = meanPolicyEntropy()
        metrics[TRPO.coefficientMetric] = δ
        metrics[MetricKey.stepFraction] = fraction
        return metrics
    }

    /// L(θ) = Ê[exp(log π_θ − log π_θold)·Â] over the iteration's samples; with a non-empty
    /// `gradient` (policy length), also writes ∂L/∂θ there.
    func surrogate(gradientInto g: inout [Float]) -> Double {
        let n = buffer.count, o = env.observationSize, w = env.actionSpace.width, s = scratch
        let wantsGradient = !g.isEmpty
        if wantsGradient { gradient.fill(0) }
        var total = 0.0, start = 0
        while start < n {
            let rows = min(s.capacity, n - start)
            let obs = buffer.observations.pointer + start * o, actions = buffer.actions.pointer + start * w
            let out = MLP.forward(parameters: θ.pointer, input: obs, rows: rows, workspace: s.policy)
            net.logProb(output: out, θ: θ.pointer, actions: actions, rows: rows, scratch: s.distribution.pointer,
                        into: s.mbLogProbs.pointer)
            for r in 0..<rows {
                let ratio = exp(s.mbLogProbs[r] - buffer.logProbs[start + r]), a = buffer.advantages[start + r]
                total += Double(ratio * a)
                s.mbDLogProbs[r] = ratio * a / Float(n)
            }
            if wantsGradient {
                let dOut = s.dPolicyOutput.pointer
                dOut.update(repeating: 0, count: rows * net.head.outputSize)
                net.logProbBackward(output: out, θ: θ.pointer, actions: actions, rows: rows, scale: s.mbDLogProbs.pointer,
                                    scratch: s.distribution.pointer, dOutput: dOut, gradient: gradient.pointer)
                MLP.backward(parameters: θ.pointer, input: obs, rows: rows, outputGradient: dOut,
                             gradient: gradient.pointer, workspace: s.policy)
            }
            start += rows
        }
        if wantsGradient { g.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: gradient.pointer, count: $0.count) } }
        return total / Double(n)
    }

    /// (F + λI)·v at θ over the iteration's samples, F the policy's Fisher (`fisherWeight`), λ = 0.1.
    func fisherVectorProduct(_ v: [Float], into out: inout [Float]) {
        let n = buffer.count, o = env.observationSize, s = scratch, u = s.dPolicyOutput.pointer
        gradient.fill(0)
        v.withUnsafeBufferPointer { v in
            var start = 0
            while start < n {
                let rows = min(s.capacity, n - start)
                let obs = buffer.observations.pointer + start * o
                let output = MLP.forward(parameters: θ.pointer, input: obs, rows: rows, workspace: s.policy)
                MLP.jvp(parameters: θ.pointer, tangent: v.baseAddress!, input: obs, rows: rows, workspace: s.policy, into: u)
                net.fisherWeight(output: output, θ: θ.pointer, tangent: v.baseAddress!, tangentOutput: u, rows: rows,
                                 weight: 1 / Float(n), scratch: s.distribution.pointer, product: gradient.pointer)
                MLP.backward(parameters: θ.pointer, input: obs, rows: rows, outputGradient: u, gradient: gradient.pointer,
                             workspace: s.policy)
                start += rows
            }
        }
        for i in 0..<out.count { out[i] = gradient[i] + TRPO.damping * v[i] }
    }

    /// x ≈ (F + λI)⁻¹·g by conjugate gradient from x = 0.
    func conjugateGradient(_ t: TRPO) {
        let count = t.g.count
        for i in 0..<count { t.x[i] = 0; t.r[i] = t.g[i]; t.p[i] = t.g[i] }
        var rr = dot(t.r, t.r)
        for _ in 0..<TRPO.conjugateGradientIterations where rr > 1e-10 {
            fisherVectorProduct(t.p, into: &t.fp)
            let alpha = Float(rr / dot(t.p, t.fp))
            for i in 0..<count { t.x[i] += alpha * t.p[i]; t.r[i] -= alpha * t.fp[i] }
            let next = dot(t.r, t.r)
            let beta = Float(next / rr)
            for i in 0..<count { t.p[i] = t.r[i] + beta * t.p[i] }
            rr = next
        }
    }

    /// aᵀb accumulated in Double (BLAS.dot accumulates in Float), for the conjugate gradient.
    func dot(_ a: [Float], _ b: [Float]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += Double(a[i]) * Double(b[i]) }
        return s
    }

    /// The policy's parameters ← θold + f·step (the value network's are left as they are).
    func setPolicy(θold old: UnsafePointer<Float>, plus f: Float, _ step: [Float]) {
        for i in 0..<step.count { θ[i] = old[i] + f * step[i] }
    }

    /// Mean entropy of π_θ over the iteration's samples (a Gaussian's depends on log σ alone:
    /// no forward pass).
    func meanPolicyEntropy() -> Double {
        let n = buffer.count, o = env.observationSize, s = scratch
        if case let .gaussian(d) = net.head { return Double(DiagGaussian.entropy(logStd: θ.pointer + net.logStdOffset, dim: d)) }
        var total = 0.0, start = 0
        while start < n {
            let rows = min(s.capacity, n - start)
            let out = MLP.forward(parameters: θ.pointer, input: buffer.observations.pointer + start * o, rows: rows,
                                  workspace: s.policy)
            total += Double(net.meanEntropy(output: out, θ: θ.pointer, rows: rows, scratch: s.distribution.pointer,
                                            perRow: s.mbPerRow.pointer)) * Double(rows)
            start += rows
        }
        return total / Double(n)
    }

    /// K epochs of shuffled minibatches of the value loss alone, each a clipped Adam step. The
    /// policy's gradient entries stay 0, so Adam leaves the policy where the line search put it.
    func valueEpochs() throws -> [String: Double] {
        var minibatches = 0, valueLoss = 0.0
        try forEachMinibatch { rows in
            gradient.fill(0)
            let loss = valueLossAndGradient(rows: rows)
            guard loss.isFinite else { throw TrainerError.diverged(step: stepsDone, what: "value loss") }
            GradientClipping.clipGlobalNorm(gradient.pointer, count: gradient.count, maxNorm: Float(config.maxGradNorm))
            adam.update(parameters: θ.pointer, gradient: gradient.pointer)
            updatesDone += 1
            minibatches += 1
            valueLoss += Double(loss)
        }
        return [MetricKey.valueLoss: valueLoss / Double(max(minibatches, 1))]
    }
}
