import LinearAlgebra

extension MLP {
    /// Forward-mode derivative of the last `forward` on the same workspace: writes J·v, the
    /// output's directional derivative along the parameter direction `tangent` (indexed like θ),
    /// into `output` ([rows × outputSize]). Per layer: dZ = X·dWᵀ + 1·dbᵀ + dX·Wᵀ, then through the
    /// tanh of hidden layers, dH = (1 − H²) ⊙ dZ. Uses the workspace's gradient buffers, leaving
    /// the forward pass's outputs in place for a following `backward`.
    public static func jvp(
        parameters θ: UnsafePointer<Float>, tangent v: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int,
        workspace ws: MLPWorkspace, into output: UnsafeMutablePointer<Float>
    ) {
        let layout = ws.layout
        var dX: UnsafePointer<Float>? = nil  // the input does not depend on θ
        for l in 0..<layout.layerCount {
            let nIn = layout.sizes[l], nOut = layout.sizes[l + 1]
            let last = l == layout.layerCount - 1
            let dZ = last ? output : (l % 2 == 0 ? ws.gradA : ws.gradB)
            let x: UnsafePointer<Float> = l == 0 ? input : UnsafePointer(ws.outputs[l - 1])
            let db = v + layout.biasOffsets[l]
            for r in 0..<rows { (dZ + r * nOut).update(from: db, count: nOut) }
            BLAS.gemm(transA: false, transB: true, m: rows, n: nOut, k: nIn,
                      a: x, lda: nIn, b: v + layout.weightOffsets[l], ldb: nIn, beta: 1, c: dZ, ldc: nOut)
            if let dX {
                BLAS.gemm(transA: false, transB: true, m: rows, n: nOut, k: nIn,
                          a: dX, lda: nIn, b: θ + layout.weightOffsets[l], ldb: nIn, beta: 1, c: dZ, ldc: nOut)
            }
            if !last {
                let h = ws.outputs[l]
                for i in 0..<(rows * nOut) { dZ[i] *= 1 - h[i] * h[i] }
            }
            dX = UnsafePointer(dZ)
        }
    }
}
