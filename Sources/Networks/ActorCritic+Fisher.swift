import Foundation

/// The Fisher information of the policy head, F = Ê[Jᵀ M J] with J the Jacobian of the policy's
/// parameters (network and log σ) and M the Hessian at q = p of KL(π_p ‖ π_q) in those
/// parameters: for a diagonal Gaussian, 1/σ² per mean and 2 per log σ (no cross terms); for
/// a categorical, diag(p) − p·pᵀ on the logits. It is also the Hessian of d(θold, θ) at θ = θold,
/// which TRPO's conjugate gradient inverts.
extension ActorCritic {
    /// Turns `tangentOutput` (J_net·v for `rows` rows, [rows × outputSize]) into
    /// `weight`·M·(J_net·v) in place, ready for the policy network's backward pass, and adds the
    /// log σ part of weight·rows·M·v to `product` (θ layout) for a Gaussian head.
    /// `output` holds the network outputs (logits of a categorical head) at the point of expansion.
    public func fisherWeight(
        output: UnsafePointer<Float>, θ: UnsafePointer<Float>, tangent v: UnsafePointer<Float>,
        tangentOutput u: UnsafeMutablePointer<Float>, rows: Int, weight: Float,
        scratch: UnsafeMutablePointer<Float>, product: UnsafeMutablePointer<Float>
    ) {
        switch head {
        case let .gaussian(d):
            let logStd = θ + logStdOffset
            for j in 0..<d {
                let precision = weight * Foundation.exp(-2 * logStd[j])
                for r in 0..<rows { u[r * d + j] *= precision }
                product[logStdOffset + j] += weight * Float(rows) * 2 * v[logStdOffset + j]
            }
        case let .categorical(n):
            for r in 0..<rows {
                let z = output + r * n, row = u + r * n
                var maxZ = z[0]
                for k in 1..<n { maxZ = max(maxZ, z[k]) }
                var total: Float = 0
                for k in 0..<n { scratch[k] = Foundation.exp(z[k] - maxZ); total += scratch[k] }
                var pu: Float = 0
                for k in 0..<n { scratch[k] /= total; pu += scratch[k] * row[k] }
                for k in 0..<n { row[k] = weight * scratch[k] * (row[k] - pu) }
            }
        }
    }
}
