import Foundation

/// The likelihood of the action the environment executes when it clips a diagonal Gaussian's
/// sample to [low, high] (clipped action policy gradient, Fujita & Maeda 2018): per dimension,
/// a sample at or beyond a bound has the probability mass of the whole tail,
///   a ≥ high: log P = log Φ((μ − high)/σ),   a ≤ low: log P = log Φ((low − μ)/σ),
/// and a sample inside keeps the Gaussian density. Unbiased like the density of the raw sample,
/// with less variance: a tail sample no longer pushes μ and σ by how far past the bound it fell.
/// Computed in Double (log Φ and the Mills ratio φ/Φ far in the tail).
extension DiagGaussian {
    public struct Bounds: Codable, Hashable, Sendable {
        public let low: Float
        public let high: Float

        public init(low: Float, high: Float) {
            self.low = low
            self.high = high
        }
    }

    /// log Φ(x), accurate far into the lower tail.
    static func logNormalCDF(_ x: Double) -> Double {
        if x < -30 { return -0.5 * x * x - Foundation.log(-x) - 0.5 * Foundation.log(2 * Double.pi) }
        return Foundation.log(0.5 * erfc(-x / 2.0.squareRoot()))
    }

    /// φ(x)/Φ(x) = d log Φ(x)/dx.
    static func millsRatio(_ x: Double) -> Double {
        if x < -30 { return -x }
        return Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() / (0.5 * erfc(-x / 2.0.squareRoot()))
    }

    /// Per-row log-likelihood of the clipped actions (`actions` are the raw samples).
    public static func logProb(
        mean μ: UnsafePointer<Float>, logStd: UnsafePointer<Float>, actions a: UnsafePointer<Float>,
        rows: Int, dim: Int, bounds: Bounds, into out: UnsafeMutablePointer<Float>
    ) {
        let low = Double(bounds.low), high = Double(bounds.high), c = 0.5 * Foundation.log(2 * Double.pi)
        for r in 0..<rows {
            var s = 0.0
            for i in 0..<dim {
                let x = Double(a[r * dim + i]), m = Double(μ[r * dim + i]), ls = Double(logStd[i])
                let σ = Foundation.exp(ls)
                if x >= high {
                    s += logNormalCDF((m - high) / σ)
                } else if x <= low {
                    s += logNormalCDF((low - m) / σ)
                } else {
                    let z = (x - m) / σ
                    s += -0.5 * z * z - ls - c
                }
            }
            out[r] = Float(s)
        }
    }

    /// Adds scale_r · ∂(clipped log π)/∂μ into dMean and Σ_r scale_r · ∂/∂log σ into dLogStd. With
    /// u = (μ − high)/σ above and v = (low − μ)/σ below: ∂/∂μ = ±M/σ, ∂/∂log σ = −M·u (or −M·v),
    /// M the Mills ratio at u (or v).
    public static func logProbBackward(
        mean μ: UnsafePointer<Float>, logStd: UnsafePointer<Float>, actions a: UnsafePointer<Float>,
        rows: Int, dim: Int, bounds: Bounds, scale: UnsafePointer<Float>,
        dMean: UnsafeMutablePointer<Float>, dLogStd: UnsafeMutablePointer<Float>
    ) {
        let low = Double(bounds.low), high = Double(bounds.high)
        for i in 0..<dim {
            let σ = Foundation.exp(Double(logStd[i]))
            var dls = 0.0
            for r in 0..<rows {
                let x = Double(a[r * dim + i]), m = Double(μ[r * dim + i]), k = Double(scale[r])
                let dm: Double
                if x >= high {
                    let u = (m - high) / σ, ratio = millsRatio(u)
                    dm = ratio / σ
                    dls += k * -ratio * u
                } else if x <= low {
                    let v = (low - m) / σ, ratio = millsRatio(v)
                    dm = -ratio / σ
                    dls += k * -ratio * v
                } else {
                    let d = x - m
                    dm = d / (σ * σ)
                    dls += k * (d * d / (σ * σ) - 1)
                }
                dMean[r * dim + i] += Float(k * dm)
            }
            dLogStd[i] += Float(dls)
        }
    }
}
