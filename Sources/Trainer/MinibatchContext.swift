import Networks

/// What a method's policy objective sees on one minibatch. Every method adds ∂(−L_method)/∂θ
/// through the policy network's outputs (`dOutput`) and log σ (`gradient`); the trainer then
/// backpropagates dOutput through the policy network and adds the value loss.
struct MinibatchContext {
    let net: ActorCritic
    let rows: Int
    /// Most rows a minibatch of this run can have (for buffers a method allocates once).
    let capacity: Int
    let θ: UnsafePointer<Float>
    let θold: UnsafePointer<Float>
    let observations: UnsafePointer<Float>
    let actions: UnsafePointer<Float>
    /// π_θ's network outputs on the minibatch (means or logits) and log π_θ(a_t|s_t).
    let output: UnsafePointer<Float>
    let logProb: UnsafePointer<Float>
    /// π_θold's outputs and log π_θold(a_t|s_t), recorded during the rollout.
    let oldOutput: UnsafePointer<Float>
    let oldLogProb: UnsafePointer<Float>
    /// Â_t, normalised over the minibatch.
    let advantages: UnsafePointer<Float>
    /// V_target, V_θ and V_θold on the minibatch.
    let returns: UnsafePointer<Float>
    let values: UnsafePointer<Float>
    let oldValues: UnsafePointer<Float>
    let dOutput: UnsafeMutablePointer<Float>
    let gradient: UnsafeMutablePointer<Float>
    /// Per-row scratch, `rows` floats each.
    let rowScratchA: UnsafeMutablePointer<Float>
    let rowScratchB: UnsafeMutablePointer<Float>
    let distributionScratch: UnsafeMutablePointer<Float>
    /// Index of this policy update in the run (0-based) and the run's total number of updates.
    let update: Int
    let totalUpdates: Int
    /// Policy updates per iteration (K epochs × minibatches per epoch).
    let updatesPerIteration: Int
    /// True for the last update of its iteration (θold is replaced after it).
    var lastOfIteration: Bool { (update + 1) % updatesPerIteration == 0 }

    /// Adds `coefficient`·∂Ê[KL(π_θold ‖ π_θ)]/∂θ and returns Ê[KL(π_θold ‖ π_θ)].
    func addOldToNewKL(coefficient: Float) -> Float {
        net.kl(outputP: oldOutput, θP: θold, outputQ: output, θQ: θ, rows: rows,
               scratch: distributionScratch, into: rowScratchA)
        let mean = meanOf(rowScratchA)
        rowScratchB.update(repeating: coefficient / Float(rows), count: rows)
        net.klBackward(outputP: oldOutput, θP: θold, outputQ: output, θQ: θ, rows: rows, scale: rowScratchB,
                       scratch: distributionScratch, dOutputP: nil, gradientP: nil, dOutputQ: dOutput, gradientQ: gradient)
        return mean
    }

    /// Adds `coefficient`·∂Ê[KL(π_θ ‖ π_θold)]/∂θ and returns Ê[KL(π_θ ‖ π_θold)].
    func addNewToOldKL(coefficient: Float) -> Float {
        net.kl(outputP: output, θP: θ, outputQ: oldOutput, θQ: θold, rows: rows,
               scratch: distributionScratch, into: rowScratchA)
        let mean = meanOf(rowScratchA)
        rowScratchB.update(repeating: coefficient / Float(rows), count: rows)
        net.klBackward(outputP: output, θP: θ, outputQ: oldOutput, θQ: θold, rows: rows, scale: rowScratchB,
                       scratch: distributionScratch, dOutputP: dOutput, gradientP: gradient, dOutputQ: nil, gradientQ: nil)
        return mean
    }

    /// Adds ∂(−Ê[ratio_t·Â_t])/∂θ and returns −Ê[ratio_t·Â_t] and Ê[ratio − 1 − log ratio].
    func addSurrogate() -> (loss: Float, approxKL: Float) {
        var loss: Float = 0, approxKL: Float = 0
        let inv = 1 / Float(rows)
        for t in 0..<rows {
            let logRatio = logProb[t] - oldLogProb[t]
            let ratio = exp(logRatio)
            loss -= ratio * advantages[t]
            rowScratchB[t] = -advantages[t] * ratio * inv  // ∂(−ratio·Â)/∂log π, averaged
            approxKL += (ratio - 1) - logRatio
        }
        net.logProbBackward(output: output, θ: θ, actions: actions, rows: rows, scale: rowScratchB,
                            scratch: distributionScratch, dOutput: dOutput, gradient: gradient)
        return (loss * inv, approxKL * inv)
    }

    func meanOf(_ p: UnsafePointer<Float>) -> Float {
        var s: Float = 0
        for r in 0..<rows { s += p[r] }
        return s / Float(rows)
    }
}

#if canImport(Glibc)
import Glibc
#endif
