import LinearAlgebra

public enum GradientClipping {
    /// Scales `gradient` so that its global L2 norm is at most `maxNorm`; returns the norm before.
    @discardableResult
    public static func clipGlobalNorm(_ gradient: UnsafeMutablePointer<Float>, count: Int, maxNorm: Float) -> Float {
        let norm = BLAS.dot(n: count, x: gradient, y: gradient).squareRoot()
        if norm > maxNorm {
            BLAS.scale(n: count, alpha: maxNorm / (norm + 1e-6), x: gradient)
        }
        return norm
    }
}
