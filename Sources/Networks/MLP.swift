import LinearAlgebra

/// Scratch memory for one network's forward and backward passes on up to `capacity` rows.
/// Allocated once per run; the forward pass keeps every layer's output for the backward pass.
public final class MLPWorkspace {
    public let layout: MLPLayout
    public let capacity: Int
    /// outputs[l] holds layer l's output (tanh-activated for hidden layers, raw for the last).
    let outputs: [UnsafeMutablePointer<Float>]
    /// Two ping-pong buffers for gradients flowing backwards.
    let gradA: UnsafeMutablePointer<Float>
    let gradB: UnsafeMutablePointer<Float>

    public init(layout: MLPLayout, capacity: Int) {
        self.layout = layout
        self.capacity = capacity
        outputs = (1..<layout.sizes.count).map { l in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: capacity * layout.sizes[l])
            p.initialize(repeating: 0, count: capacity * layout.sizes[l])
            return p
        }
        let widest = layout.sizes.max()!
        gradA = .allocate(capacity: capacity * widest)
        gradA.initialize(repeating: 0, count: capacity * widest)
        gradB = .allocate(capacity: capacity * widest)
        gradB.initialize(repeating: 0, count: capacity * widest)
    }

    deinit {
        outputs.forEach { $0.deallocate() }
        gradA.deallocate()
        gradB.deallocate()
    }

    /// The network output of the last forward pass: [rows × outputSize].
    public var output: UnsafeMutablePointer<Float> { outputs[outputs.count - 1] }
}

/// A tanh multilayer perceptron evaluated at any flat parameter vector, in whole-minibatch
/// matrix products. Activations are row-major [rows × features].
public enum MLP {
    /// Runs the network on `rows` inputs ([rows × inputSize]); returns the output [rows × outputSize],
    /// which lives in the workspace until its next forward pass.
    @discardableResult
    public static func forward(
        parameters θ: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int, workspace ws: MLPWorkspace
    ) -> UnsafeMutablePointer<Float> {
        let layout = ws.layout
        var x = input
        for l in 0..<layout.layerCount {
            let nIn = layout.sizes[l], nOut = layout.sizes[l + 1]
            let z = ws.outputs[l]
            let bias = θ + layout.biasOffsets[l]
            for r in 0..<rows { (z + r * nOut).update(from: bias, count: nOut) }
            // Z = X · Wᵀ + 1·bᵀ
            BLAS.gemm(transA: false, transB: true, m: rows, n: nOut, k: nIn,
                      a: x, lda: nIn, b: θ + layout.weightOffsets[l], ldb: nIn, beta: 1, c: z, ldc: nOut)
            if l < layout.layerCount - 1 { Activations.tanh(z, z, count: rows * nOut) }
            x = UnsafePointer(z)
        }
        return ws.output
    }

    /// Backward pass of the last `forward` on the same workspace: adds ∂loss/∂θ into `gradient`
    /// (indexed like θ) given ∂loss/∂output ([rows × outputSize]). If `inputGradient` is given,
    /// ∂loss/∂input is written there.
    public static func backward(
        parameters θ: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int,
        outputGradient: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>,
        workspace ws: MLPWorkspace, inputGradient: UnsafeMutablePointer<Float>? = nil
    ) {
        let layout = ws.layout
        var dZ = outputGradient  // ∂loss/∂(pre-activation) of layer l
        var spare = ws.gradA, other = ws.gradB
        for l in stride(from: layout.layerCount - 1, through: 0, by: -1) {
            let nIn = layout.sizes[l], nOut = layout.sizes[l + 1]
            let x: UnsafePointer<Float> = l == 0 ? input : UnsafePointer(ws.outputs[l - 1])
            // ∂W += dZᵀ · X
            BLAS.gemm(transA: true, transB: false, m: nOut, n: nIn, k: rows,
                      a: dZ, lda: nOut, b: x, ldb: nIn, beta: 1, c: gradient + layout.weightOffsets[l], ldc: nIn)
            // ∂b += column sums of dZ
            let db = gradient + layout.biasOffsets[l]
            for r in 0..<rows {
                let row = dZ + r * nOut
                for j in 0..<nOut { db[j] += row[j] }
            }
            if l == 0 {
                if let inputGradient {
                    BLAS.gemm(transA: false, transB: false, m: rows, n: nIn, k: nOut,
                              a: dZ, lda: nOut, b: θ + layout.weightOffsets[0], ldb: nIn,
                              beta: 0, c: inputGradient, ldc: nIn)
                }
                break
            }
            // ∂X = dZ · W, then through the tanh of layer l−1
            BLAS.gemm(transA: false, transB: false, m: rows, n: nIn, k: nOut,
                      a: dZ, lda: nOut, b: θ + layout.weightOffsets[l], ldb: nIn, beta: 0, c: spare, ldc: nIn)
            Activations.tanhBackward(y: ws.outputs[l - 1], dy: spare, dx: spare, count: rows * nIn)
            dZ = UnsafePointer(spare)
            swap(&spare, &other)
        }
    }
}
