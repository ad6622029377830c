/// KL divergence between two policies of the same `ActorCritic` shape, evaluated row by row from
/// their network outputs (means or logits) and, for Gaussian heads, their log σ inside θ_p / θ_q.
extension ActorCritic {
    /// KL(π_p(·|s_r) ‖ π_q(·|s_r)) per row.
    public func kl(
        outputP: UnsafePointer<Float>, θP: UnsafePointer<Float>, outputQ: UnsafePointer<Float>, θQ: UnsafePointer<Float>,
        rows: Int, scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        switch head {
        case let .gaussian(d):
            DiagGaussian.kl(meanP: outputP, logStdP: θP + logStdOffset, meanQ: outputQ, logStdQ: θQ + logStdOffset,
                            rows: rows, dim: d, into: out)
        case let .categorical(n):
            Categorical.kl(logitsP: outputP, logitsQ: outputQ, rows: rows, n: n, scratch: scratch, into: out)
        }
    }

    /// Adds scale_r · ∂KL_r(p‖q) with respect to the side(s) given gradient buffers: network-output
    /// gradients into dOutputP/dOutputQ, log σ gradients into gradientP/gradientQ (θ layout).
    public func klBackward(
        outputP: UnsafePointer<Float>, θP: UnsafePointer<Float>, outputQ: UnsafePointer<Float>, θQ: UnsafePointer<Float>,
        rows: Int, scale: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        dOutputP: UnsafeMutablePointer<Float>?, gradientP: UnsafeMutablePointer<Float>?,
        dOutputQ: UnsafeMutablePointer<Float>?, gradientQ: UnsafeMutablePointer<Float>?
    ) {
        switch head {
        case let .gaussian(d):
            DiagGaussian.klBackward(meanP: outputP, logStdP: θP + logStdOffset, meanQ: outputQ, logStdQ: θQ + logStdOffset,
                                    rows: rows, dim: d, scale: scale,
                                    dMeanP: dOutputP, dLogStdP: gradientP.map { $0 + logStdOffset },
                                    dMeanQ: dOutputQ, dLogStdQ: gradientQ.map { $0 + logStdOffset })
        case let .categorical(n):
            Categorical.klBackward(logitsP: outputP, logitsQ: outputQ, rows: rows, n: n, scale: scale, scratch: scratch,
                                   dLogitsP: dOutputP, dLogitsQ: dOutputQ)
        }
    }
}
