import Foundation

/// Categorical policy heads over `n` logits per row. Actions are stored as Floats holding an index.
public enum Categorical {
    /// log-softmax of one row into `out`.
    @inline(__always)
    static func logSoftmax(_ z: UnsafePointer<Float>, n: Int, into out: UnsafeMutablePointer<Float>) {
        var m = z[0]
        for j in 1..<n where z[j] > m { m = z[j] }
        var s: Float = 0
        for j in 0..<n { s += Foundation.exp(z[j] - m) }
        let lse = m + Foundation.log(s)
        for j in 0..<n { out[j] = z[j] - lse }
    }

    /// log π(a|s) = z_a − logsumexp(z).
    public static func logProb(
        logits z: UnsafePointer<Float>, actions a: UnsafePointer<Float>, rows: Int, n: Int,
        scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            logSoftmax(z + r * n, n: n, into: scratch)
            out[r] = scratch[Int(a[r])]
        }
    }

    /// Adds scale_r · ∂log π(a_r)/∂z_j = scale_r · (δ_{j,a} − p_j) into dLogits.
    public static func logProbBackward(
        logits z: UnsafePointer<Float>, actions a: UnsafePointer<Float>, rows: Int, n: Int,
        scale: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, dLogits: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            logSoftmax(z + r * n, n: n, into: scratch)
            let act = Int(a[r])
            for j in 0..<n {
                dLogits[r * n + j] += scale[r] * ((j == act ? 1 : 0) - Foundation.exp(scratch[j]))
            }
        }
    }

    /// Per-row entropy H = −Σ p log p.
    public static func entropy(
        logits z: UnsafePointer<Float>, rows: Int, n: Int, scratch: UnsafeMutablePointer<Float>,
        into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            logSoftmax(z + r * n, n: n, into: scratch)
            var h: Float = 0
            for j in 0..<n { h -= Foundation.exp(scratch[j]) * scratch[j] }
            out[r] = h
        }
    }

    /// Adds scale_r · ∂H_r/∂z_j = −scale_r · p_j (log p_j + H_r) into dLogits.
    public static func entropyBackward(
        logits z: UnsafePointer<Float>, rows: Int, n: Int, scale: UnsafePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, dLogits: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            logSoftmax(z + r * n, n: n, into: scratch)
            var h: Float = 0
            for j in 0..<n { h -= Foundation.exp(scratch[j]) * scratch[j] }
            for j in 0..<n {
                let p = Foundation.exp(scratch[j])
                dLogits[r * n + j] -= scale[r] * p * (scratch[j] + h)
            }
        }
    }

    /// Per-row KL(p ‖ q) = Σ_j p_j (log p_j − log q_j). `scratch` holds 2n floats.
    public static func kl(
        logitsP: UnsafePointer<Float>, logitsQ: UnsafePointer<Float>, rows: Int, n: Int,
        scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        let lp = scratch, lq = scratch + n
        for r in 0..<rows {
            logSoftmax(logitsP + r * n, n: n, into: lp)
            logSoftmax(logitsQ + r * n, n: n, into: lq)
            var s: Float = 0
            for j in 0..<n { s += Foundation.exp(lp[j]) * (lp[j] - lq[j]) }
            out[r] = s
        }
    }

    /// Adds scale_r · ∂KL_r/∂z of whichever side has a gradient buffer:
    /// ∂/∂zq_j = q_j − p_j, ∂/∂zp_j = p_j (log p_j − log q_j − KL). `scratch` holds 2n floats.
    public static func klBackward(
        logitsP: UnsafePointer<Float>, logitsQ: UnsafePointer<Float>, rows: Int, n: Int,
        scale: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        dLogitsP: UnsafeMutablePointer<Float>?, dLogitsQ: UnsafeMutablePointer<Float>?
    ) {
        let lp = scratch, lq = scratch + n
        for r in 0..<rows {
            logSoftmax(logitsP + r * n, n: n, into: lp)
            logSoftmax(logitsQ + r * n, n: n, into: lq)
            var klr: Float = 0
            for j in 0..<n { klr += Foundation.exp(lp[j]) * (lp[j] - lq[j]) }
            for j in 0..<n {
                let p = Foundation.exp(lp[j]), q = Foundation.exp(lq[j])
                dLogitsQ?[r * n + j] += scale[r] * (q - p)
                dLogitsP?[r * n + j] += scale[r] * p * (lp[j] - lq[j] - klr)
            }
        }
    }

    /// Samples one index per row from softmax(z), using one uniform draw per row.
    public static func sample(
        logits z: UnsafePointer<Float>, rows: Int, n: Int, scratch: UnsafeMutablePointer<Float>,
        into a: UnsafeMutablePointer<Float>, uniform: () -> Double
    ) {
        for r in 0..<rows {
            logSoftmax(z + r * n, n: n, into: scratch)
            let u = uniform()
            var c = 0.0
            var pick = n - 1
            for j in 0..<n {
                c += Double(Foundation.exp(scratch[j]))
                if u < c { pick = j; break }
            }
            a[r] = Float(pick)
        }
    }
}
