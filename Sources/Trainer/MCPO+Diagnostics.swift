import Foundation

/// MCPO's per-iteration diagnostics (method.md §4).
extension MCPO {
    func record(alphaMean: Float, β: Float, dOldPsi: Float, filled: Int, k: Cache) {
        diagnostics.minibatches += 1
        diagnostics.alphaSum += Double(alphaMean)
        if β == betaMax && ablation != .annealed_beta { diagnostics.betaMaxCount += 1 }
        diagnostics.dOldPsiSum += Double(dOldPsi)
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
    func iterationMetrics() -> [String: Double] {
        let d = diagnostics, m = Double(max(d.minibatches, 1))
        diagnostics = Diagnostics()
        var out: [String: Double] = [
            "alpha_mean": d.alphaSum / m,
            "alpha_deviation": d.alphaDeviationSum / m,
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
}
