import Environments
import Foundation
import LinearAlgebra
import Networks

extension Trainer {
    /// K epochs over the iteration's samples in shuffled minibatches of B (method.md §1):
    /// minimise −L_method(θ) + c1·Ê[(V_θ − V_target)²] − c2·Ê[H(π_θ)], global grad-norm clip, Adam.
    func update() throws -> [String: Double] {
        if let trpo = method as? TRPO { return try naturalGradientUpdate(trpo) }
        var sums = UpdateSums()
        try forEachMinibatch { rows in try minibatchStep(rows: rows, sums: &sums) }
        let m = Double(max(sums.minibatches, 1))
        var metrics = [
            MetricKey.policyLoss: sums.policyLoss / m,
            MetricKey.valueLoss: sums.valueLoss / m,
            MetricKey.entropy: sums.entropy / m,
            MetricKey.approxKLMinibatch: sums.approxKL / m,
            type(of: method).coefficientMetric: sums.coefficient / m,
        ]
        if type(of: method).recordsClipFraction { metrics[MetricKey.clipFraction] = sums.clipFraction / m }
        return metrics
    }

    /// K epochs over the iteration's samples: each a fresh shuffle, then `body(rows)` on every
    /// gathered minibatch of B rows (the last one shorter); an interruption abandons the loop.
    func forEachMinibatch(_ body: (Int) throws -> Void) throws {
        let n = buffer.count, bSize = config.minibatchSize
        for _ in 0..<config.epochs {
            shufflePermutation()
            var start = 0
            while start < n {
                if shouldAbandon() { throw TrainerError.interrupted(step: stepsDone) }
                let rows = min(bSize, n - start)
                gatherMinibatch(from: start, rows: rows)
                try body(rows)
                start += rows
            }
        }
    }

    struct UpdateSums {
        var minibatches = 0
        var policyLoss = 0.0, valueLoss = 0.0, entropy = 0.0, approxKL = 0.0, clipFraction = 0.0, coefficient = 0.0
    }

    /// A fresh random order of the iteration's samples: Fisher–Yates from the identity with the
    /// run's generator (from the identity, so the order depends on nothing but the generator).
    func shufflePermutation() {
        let n = buffer.count
        if scratch.permutation.count != n { scratch.permutation = [Int32](repeating: 0, count: n) }
        scratch.permutation.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i] = Int32(i) }
            var i = p.count - 1
            while i > 0 {
                let j = rng.below(i + 1)
                p.swapAt(i, j)
                i -= 1
            }
        }
    }

    /// Copies the minibatch's rows into contiguous buffers and normalises its advantages
    /// (mean 0, sample std 1), unless advantage_norm: batch normalised them over the rollout.
    func gatherMinibatch(from start: Int, rows: Int) {
        let o = env.observationSize, w = env.actionSpace.width, s = scratch, b = buffer
        scratch.permutation.withUnsafeBufferPointer { perm in
            for r in 0..<rows {
                let k = Int(perm[start + r])
                (s.mbObservations.pointer + r * o).update(from: b.observations.pointer + k * o, count: o)
                (s.mbActions.pointer + r * w).update(from: b.actions.pointer + k * w, count: w)
                s.mbOldLogProbs[r] = b.logProbs[k]
                (s.mbOldOutputs.pointer + r * b.outputSize).update(from: b.outputs.pointer + k * b.outputSize,
                                                                   count: b.outputSize)
                s.mbAdvantages[r] = b.advantages[k]
                s.mbReturns[r] = b.returns[k]
                s.mbOldValues[r] = b.values[k]
            }
        }
        guard config.advantageNorm == .minibatch else { return }
        var mean: Float = 0
        for r in 0..<rows { mean += s.mbAdvantages[r] }
        mean /= Float(rows)
        var variance: Float = 0
        for r in 0..<rows { let d = s.mbAdvantages[r] - mean; variance += d * d }
        variance /= Float(max(rows - 1, 1))
        let inv = 1 / (variance.squareRoot() + 1e-8)
        for r in 0..<rows { s.mbAdvantages[r] = (s.mbAdvantages[r] - mean) * inv }
    }

    /// One optimiser step on the gathered minibatch.
    func minibatchStep(rows: Int, sums: inout UpdateSums) throws {
        let losses = minibatchLossAndGradient(rows: rows)
        guard losses.policy.loss.isFinite, losses.value.isFinite, losses.entropy.isFinite else {
            let what = !losses.policy.loss.isFinite ? "policy loss" : !losses.value.isFinite ? "value loss" : "entropy"
            throw TrainerError.diverged(step: stepsDone, what: what)
        }
        GradientClipping.clipGlobalNorm(gradient.pointer, count: gradient.count, maxNorm: Float(config.maxGradNorm))
        adam.update(parameters: θ.pointer, gradient: gradient.pointer)
        method.afterStep(losses.context, updated: θ.pointer)
        updatesDone += 1

        sums.minibatches += 1
        sums.policyLoss += Double(losses.policy.loss)
        sums.valueLoss += Double(losses.value)
        sums.entropy += Double(losses.entropy)
        sums.approxKL += Double(losses.policy.approxKL)
        sums.clipFraction += Double(losses.policy.clipFraction)
        sums.coefficient += Double(losses.policy.coefficient)
    }

    /// The full loss of the gathered minibatch, −L_method + c1·value loss − c2·entropy, and its
    /// gradient with respect to θ (written into `gradient`).
    func minibatchLossAndGradient(rows: Int)
        -> (policy: PolicyStatistics, value: Float, entropy: Float, context: MinibatchContext)
    {
        let s = scratch, g = gradient.pointer, p = θ.pointer
        gradient.fill(0)

        // Value first, so that methods can read V_θ on the minibatch (in the value workspace's output).
        let valueLoss = valueLossAndGradient(rows: rows)
        let v = s.value.output

        // Policy: −L_method − c2·H.
        let out = MLP.forward(parameters: p, input: s.mbObservations.pointer, rows: rows, workspace: s.policy)
        net.logProb(output: out, θ: p, actions: s.mbActions.pointer, rows: rows, scratch: s.distribution.pointer,
                    into: s.mbLogProbs.pointer)
        let dOut = s.dPolicyOutput.pointer
        dOut.update(repeating: 0, count: rows * net.head.outputSize)
        let context = MinibatchContext(
            net: net, rows: rows, capacity: s.capacity, θ: p, θold: θold.pointer, observations: s.mbObservations.pointer,
            actions: s.mbActions.pointer, output: out, logProb: s.mbLogProbs.pointer,
            oldOutput: s.mbOldOutputs.pointer, oldLogProb: s.mbOldLogProbs.pointer,
            advantages: s.mbAdvantages.pointer, returns: s.mbReturns.pointer,
            values: UnsafePointer(v), oldValues: s.mbOldValues.pointer, dOutput: dOut, gradient: g,
            rowScratchA: s.mbRowScratch.pointer, rowScratchB: s.mbDLogProbs.pointer,
            distributionScratch: s.distribution.pointer, update: updatesDone, totalUpdates: totalUpdates,
            updatesPerIteration: updatesPerIteration)
        let stats = method.policyLoss(context)
        let entropy = net.meanEntropy(output: out, θ: p, rows: rows, scratch: s.distribution.pointer,
                                      perRow: s.mbPerRow.pointer)
        if config.c2 != 0 {
            net.meanEntropyBackward(output: out, θ: p, rows: rows, coefficient: -Float(config.c2),
                                    scale: s.mbPerRow.pointer, scratch: s.distribution.pointer, dOutput: dOut, gradient: g)
        }
        MLP.backward(parameters: p, input: s.mbObservations.pointer, rows: rows, outputGradient: dOut,
                     gradient: g, workspace: s.policy)
        return (stats, valueLoss, entropy, context)
    }

    /// Adds ∂/∂θ of c1·Ê[(V_θ − V_target)²] (or the clipped form) on the gathered minibatch into
    /// `gradient` and returns Ê[(V_θ − V_target)²].
    func valueLossAndGradient(rows: Int) -> Float {
        let s = scratch, g = gradient.pointer, p = θ.pointer
        let v = MLP.forward(parameters: p, input: s.mbObservations.pointer, rows: rows, workspace: s.value)
        let c1 = Float(config.c1), invRows = 1 / Float(rows)
        var valueLoss: Float = 0
        if let clip = config.valueClip.map(Float.init) {
            // max((V − R)², (V_old + clip(V − V_old, ±ε) − R)²), the base code's clipped value loss.
            for r in 0..<rows {
                let d = v[r] - s.mbReturns[r], delta = v[r] - s.mbOldValues[r]
                let dClipped = s.mbOldValues[r] + min(max(delta, -clip), clip) - s.mbReturns[r]
                if dClipped * dClipped > d * d {
                    valueLoss += dClipped * dClipped
                    s.dValue[r] = abs(delta) < clip ? 2 * c1 * dClipped * invRows : 0
                } else {
                    valueLoss += d * d
                    s.dValue[r] = 2 * c1 * d * invRows
                }
            }
        } else {
            for r in 0..<rows {
                let d = v[r] - s.mbReturns[r]
                valueLoss += d * d
                s.dValue[r] = 2 * c1 * d * invRows
            }
        }
        valueLoss *= invRows
        MLP.backward(parameters: p, input: s.mbObservations.pointer, rows: rows, outputGradient: s.dValue.pointer,
                     gradient: g, workspace: s.value)

        return valueLoss
    }
}

extension Trainer {
    /// d(θold, θ) = Ê[KL(π_θold ‖ π_θ)] over all of the iteration's samples.
    func measureKL() -> Double {
        let n = buffer.count, o = env.observationSize, width = buffer.outputSize, s = scratch
        var sum = 0.0
        var start = 0
        while start < n {
            let rows = min(s.capacity, n - start)
            let out = MLP.forward(parameters: θ.pointer, input: buffer.observations.pointer + start * o, rows: rows,
                                  workspace: s.policy)
            net.kl(outputP: buffer.outputs.pointer + start * width, θP: θold.pointer, outputQ: out, θQ: θ.pointer,
                   rows: rows, scratch: s.distribution.pointer, into: s.mbRowScratch.pointer)
            for r in 0..<rows { sum += Double(s.mbRowScratch[r]) }
            start += rows
        }
        return sum / Double(n)
    }
}
