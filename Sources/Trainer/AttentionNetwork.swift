import Environments
import Foundation
import LinearAlgebra
import Networks

/// MCPO's attention network f_φ (method.md §3.3, paper Appendix A.1): context v (12 features, or 6
/// for the half_features ablation) → N tanh units with dropout p (training only) → N logits →
/// softmax masked to the filled memory slots. Returns the weights w over logical slots.
struct AttentionNetwork: Codable {
    let inputSize: Int
    let slots: Int
    let dropout: Double
    /// φ = [W1 (N × in) | b1 (N) | W2 (N × N) | b2 (N)].
    let φ: FloatBuffer
    var adam: Adam
    var rng: SeededGenerator

    var w1: Int { 0 }
    var b1: Int { slots * inputSize }
    var w2: Int { b1 + slots }
    var b2: Int { w2 + slots * slots }
    var parameterCount: Int { b2 + slots }

    init(inputSize: Int, slots: Int, dropout: Double, learningRate: Float, seed: UInt64) {
        self.inputSize = inputSize
        self.slots = slots
        self.dropout = dropout
        let count = slots * inputSize + slots + slots * slots + slots
        φ = FloatBuffer(count: count)
        adam = Adam(count: count, learningRate: learningRate)
        rng = SeededGenerator(seed: seed, stream: 0xA77E)
        var initRNG = SeededGenerator(seed: seed, stream: 0xA77F)
        let layout = MLPLayout(sizes: [inputSize, slots, slots])
        OrthogonalInit.initialize(layout, in: φ.pointer, hiddenGain: 2.0.squareRoot(), outputGain: 0.01,
                                  normal: { initRNG.normal() })
    }

    /// The values of one forward pass that its backward pass needs.
    final class Pass {
        let input: UnsafeMutablePointer<Float>
        let hidden: UnsafeMutablePointer<Float>   // tanh(W1 v + b1)
        let mask: UnsafeMutablePointer<Float>     // dropout multipliers (0 or 1/(1−p)), 1 at evaluation
        let weights: UnsafeMutablePointer<Float>  // w over logical slots
        let gradient: UnsafeMutablePointer<Float> // ∂/∂φ
        var filled = 0

        init(inputSize: Int, slots: Int, parameterCount: Int) {
            input = .allocate(capacity: inputSize)
            hidden = .allocate(capacity: slots)
            mask = .allocate(capacity: slots)
            weights = .allocate(capacity: slots)
            gradient = .allocate(capacity: parameterCount)
            input.initialize(repeating: 0, count: inputSize)
            hidden.initialize(repeating: 0, count: slots)
            mask.initialize(repeating: 1, count: slots)
            weights.initialize(repeating: 0, count: slots)
            gradient.initialize(repeating: 0, count: parameterCount)
        }

        deinit {
            input.deallocate(); hidden.deallocate(); mask.deallocate(); weights.deallocate(); gradient.deallocate()
        }
    }

    func makePass() -> Pass { Pass(inputSize: inputSize, slots: slots, parameterCount: parameterCount) }

    /// w = softmax(f_φ(v)) over the first `filled` slots (0 elsewhere). Dropout only when training.
    mutating func forward(context v: UnsafePointer<Float>, filled: Int, training: Bool, pass: Pass) {
        let p = φ.pointer, n = slots, d = inputSize
        pass.input.update(from: v, count: d)
        pass.filled = filled
        let keep = 1 / Float(1 - dropout)
        for i in 0..<n {
            var a = p[b1 + i]
            for k in 0..<d { a += p[w1 + i * d + k] * v[k] }
            pass.hidden[i] = Foundation.tanh(a)
            pass.mask[i] = training ? (rng.nextUnit() < dropout ? 0 : keep) : 1
        }
        var zMax = -Float.infinity
        for j in 0..<filled {
            var z = p[b2 + j]
            for i in 0..<n { z += p[w2 + j * n + i] * pass.hidden[i] * pass.mask[i] }
            pass.weights[j] = z
            zMax = max(zMax, z)
        }
        var total: Float = 0
        for j in 0..<filled {
            pass.weights[j] = Foundation.exp(pass.weights[j] - zMax)
            total += pass.weights[j]
        }
        for j in 0..<n { pass.weights[j] = j < filled ? pass.weights[j] / total : 0 }
    }

    /// Writes ∂loss/∂φ into `pass.gradient` given ∂loss/∂w (logical slots).
    func backward(weightGradient dw: UnsafePointer<Float>, pass: Pass) {
        let p = φ.pointer, n = slots, d = inputSize, g = pass.gradient, w = pass.weights
        g.update(repeating: 0, count: parameterCount)
        // Softmax over the filled slots: ∂z_j = w_j (∂w_j − Σ_k w_k ∂w_k).
        var dot: Float = 0
        for j in 0..<pass.filled { dot += w[j] * dw[j] }
        for j in 0..<pass.filled {
            let dz = w[j] * (dw[j] - dot)
            g[b2 + j] = dz
            for i in 0..<n { g[w2 + j * n + i] = dz * pass.hidden[i] * pass.mask[i] }
        }
        for i in 0..<n {
            var dh: Float = 0
            for j in 0..<pass.filled { dh += p[w2 + j * n + i] * g[b2 + j] }
            let dPre = dh * pass.mask[i] * (1 - pass.hidden[i] * pass.hidden[i])
            g[b1 + i] = dPre
            for k in 0..<d { g[w1 + i * d + k] = dPre * pass.input[k] }
        }
    }

    /// One Adam step on φ with the gradient of the last backward pass (minimising).
    mutating func step(pass: Pass) {
        adam.update(parameters: φ.pointer, gradient: pass.gradient)
    }
}
