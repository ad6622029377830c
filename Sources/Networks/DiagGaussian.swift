import Foundation

/// Diagonal Gaussian policy heads: mean per row from the network, one state-independent log σ
/// vector. All functions work on `rows` rows of dimension `dim` and write per-row results.
public enum DiagGaussian {
    static let halfLog2Pi = Float(0.5 * log(2 * Double.pi))

    /// log π(a|s) = Σ_i −½((a_i − μ_i)/σ_i)² − log σ_i − ½ log 2π.
    public static func logProb(
        mean μ: UnsafePointer<Float>, logStd: UnsafePointer<Float>, actions a: UnsafePointer<Float>,
        rows: Int, dim: Int, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            var s: Float = 0
            for i in 0..<dim {
                let z = (a[r * dim + i] - μ[r * dim + i]) * Foundation.exp(-logStd[i])
                s += -0.5 * z * z - logStd[i] - halfLog2Pi
            }
            out[r] = s
        }
    }

    /// Adds scale_r · ∂log π(a_r|s_r)/∂μ into dMean and Σ_r scale_r · ∂log π/∂log σ into dLogStd:
    /// ∂/∂μ_i = (a_i − μ_i)/σ_i², ∂/∂log σ_i = ((a_i − μ_i)/σ_i)² − 1.
    public static func logProbBackward(
        mean μ: UnsafePointer<Float>, logStd: UnsafePointer<Float>, actions a: UnsafePointer<Float>,
        rows: Int, dim: Int, scale: UnsafePointer<Float>,
        dMean: UnsafeMutablePointer<Float>, dLogStd: UnsafeMutablePointer<Float>
    ) {
        for i in 0..<dim {
            let invVar = Foundation.exp(-2 * logStd[i])
            var dls: Float = 0
            for r in 0..<rows {
                let d = a[r * dim + i] - μ[r * dim + i]
                dMean[r * dim + i] += scale[r] * d * invVar
                dls += scale[r] * (d * d * invVar - 1)
            }
            dLogStd[i] += dls
        }
    }

    /// H = Σ_i log σ_i + ½ + ½ log 2π (the same for every state); ∂H/∂log σ_i = 1.
    public static func entropy(logStd: UnsafePointer<Float>, dim: Int) -> Float {
        var h: Float = 0
        for i in 0..<dim { h += logStd[i] + 0.5 + halfLog2Pi }
        return h
    }

    /// Per-row KL(p ‖ q) = Σ_i log σq − log σp + (σp² + (μp − μq)²)/(2σq²) − ½.
    public static func kl(
        meanP: UnsafePointer<Float>, logStdP: UnsafePointer<Float>,
        meanQ: UnsafePointer<Float>, logStdQ: UnsafePointer<Float>,
        rows: Int, dim: Int, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            var s: Float = 0
            for i in 0..<dim {
                let d = meanP[r * dim + i] - meanQ[r * dim + i]
                let varP = Foundation.exp(2 * logStdP[i]), invVarQ = Foundation.exp(-2 * logStdQ[i])
                s += logStdQ[i] - logStdP[i] + (varP + d * d) * 0.5 * invVarQ - 0.5
            }
            out[r] = s
        }
    }

    /// Adds scale_r · ∂KL_r(p‖q)/∂(μ, log σ) of whichever side has non-nil gradient buffers:
    /// ∂/∂μp = (μp − μq)/σq², ∂/∂μq = −(μp − μq)/σq²,
    /// ∂/∂log σp = σp²/σq² − 1, ∂/∂log σq = 1 − (σp² + (μp − μq)²)/σq².
    public static func klBackward(
        meanP: UnsafePointer<Float>, logStdP: UnsafePointer<Float>,
        meanQ: UnsafePointer<Float>, logStdQ: UnsafePointer<Float>,
        rows: Int, dim: Int, scale: UnsafePointer<Float>,
        dMeanP: UnsafeMutablePointer<Float>?, dLogStdP: UnsafeMutablePointer<Float>?,
        dMeanQ: UnsafeMutablePointer<Float>?, dLogStdQ: UnsafeMutablePointer<Float>?
    ) {
        for i in 0..<dim {
            let varP = Foundation.exp(2 * logStdP[i]), invVarQ = Foundation.exp(-2 * logStdQ[i])
            var dlsP: Float = 0, dlsQ: Float = 0
            for r in 0..<rows {
                let d = meanP[r * dim + i] - meanQ[r * dim + i]
                dMeanP?[r * dim + i] += scale[r] * d * invVarQ
                dMeanQ?[r * dim + i] -= scale[r] * d * invVarQ
                dlsP += scale[r] * (varP * invVarQ - 1)
                dlsQ += scale[r] * (1 - (varP + d * d) * invVarQ)
            }
            dLogStdP?[i] += dlsP
            dLogStdQ?[i] += dlsQ
        }
    }

    /// a = μ + σ · ε with ε from `normal` (standard normal draws), row by row.
    public static func sample(
        mean μ: UnsafePointer<Float>, logStd: UnsafePointer<Float>, rows: Int, dim: Int,
        into a: UnsafeMutablePointer<Float>, normal: () -> Double
    ) {
        for r in 0..<rows {
            for i in 0..<dim {
                a[r * dim + i] = μ[r * dim + i] + Foundation.exp(logStd[i]) * Float(normal())
            }
        }
    }
}
