import Foundation
import LinearAlgebra
import Networks

/// MCPO's attention input v_context (method.md §3.3, Table 3).
extension MCPO {
    /// The 12 context features of Table 3 (the first 6 for half_features), in order, written into
    /// the cache's feature buffer.
    func contextFeatures(_ c: MinibatchContext, _ k: Cache) -> UnsafeMutablePointer<Float> {
        let rows = c.rows, net = c.net
        let outOld = MLP.forward(parameters: ψold.pointer, input: c.observations, rows: rows, workspace: k.policy)
        k.outψold.pointer.update(from: outOld, count: rows * net.head.outputSize)
        net.logProb(output: outOld, θ: ψold.pointer, actions: c.actions, rows: rows, scratch: c.distributionScratch,
                    into: k.logProbψold.pointer)
        func mean(_ f: (Int) -> Float) -> Float {
            var s: Float = 0
            for t in 0..<rows { s += f(t) }
            return s / Float(rows)
        }
        let v = k.features.pointer
        v[0] = distance(c.output, c.θ, k.outψold.pointer, ψold.pointer, c, k)              // 1 d(θ, ψold)
        v[1] = distance(c.oldOutput, c.θold, k.outψold.pointer, ψold.pointer, c, k)        // 2 d(θold, ψold)
        v[2] = distance(c.oldOutput, c.θold, c.output, c.θ, c, k)                         // 3 d(θold, θ)
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

    /// The attention network's input: the features as they are, or symlog-scaled (features: symlog).
    func attentionInput(_ v: UnsafeMutablePointer<Float>, _ k: Cache) -> UnsafePointer<Float> {
        guard options.features == .symlog else { return UnsafePointer(v) }
        let out = k.attentionInput.pointer
        for i in 0..<attention.inputSize {
            let x = v[i]
            out[i] = x < 0 ? -Foundation.log1p(-x) : Foundation.log1p(x)
        }
        return UnsafePointer(out)
    }
}
