import CKernels

/// Vectorised element-wise activations (libm's tanhf costs ~20 ns a call; this is ~1 ns).
public enum Activations {
    /// y = tanh(x) over n elements; x and y may be the same buffer.
    @inline(__always)
    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        mcpo_tanh(x, y, n)
    }

    /// dx = dy · (1 − y²) where y = tanh(x); dx may be the same buffer as dy.
    @inline(__always)
    public static func tanhBackward(
        y: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count n: Int
    ) {
        mcpo_tanh_backward(y, dy, dx, n)
    }
}

/// Other vectorised element-wise kernels.
public enum Kernels {
    /// One Adam step (see `mcpo_adam_step`); bias correction folded into stepSize and invSqrtC2.
    @inline(__always)
    public static func adamStep(
        parameters θ: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count n: Int,
        beta1: Float, beta2: Float, stepSize: Float, invSqrtC2: Float, epsilon: Float
    ) {
        mcpo_adam_step(θ, g, m, v, n, beta1, beta2, stepSize, invSqrtC2, epsilon)
    }
}
