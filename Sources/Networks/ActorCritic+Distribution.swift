/// The policy distribution of an `ActorCritic` head, evaluated from the policy network's output
/// (means or logits) and, for the Gaussian head, log σ read from θ.
extension ActorCritic {
    /// Floats of scratch the categorical functions need (2 × actions); 0 for Gaussian.
    public var distributionScratchSize: Int { head.outputSize * 2 }

    /// log π(a_r|s_r) per row.
    public func logProb(
        output: UnsafePointer<Float>, θ: UnsafePointer<Float>, actions: UnsafePointer<Float>, rows: Int,
        scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        switch head {
        case let .gaussian(d):
            if let bounds = clippedLikelihood {
                DiagGaussian.logProb(mean: output, logStd: θ + logStdOffset, actions: actions, rows: rows, dim: d,
                                     bounds: bounds, into: out)
            } else {
                DiagGaussian.logProb(mean: output, logStd: θ + logStdOffset, actions: actions, rows: rows, dim: d,
                                     into: out)
            }
        case let .categorical(n):
            Categorical.logProb(logits: output, actions: actions, rows: rows, n: n, scratch: scratch, into: out)
        }
    }

    /// Adds scale_r · ∂log π(a_r|s_r)/∂output into dOutput and the log σ part into gradient (θ layout).
    public func logProbBackward(
        output: UnsafePointer<Float>, θ: UnsafePointer<Float>, actions: UnsafePointer<Float>, rows: Int,
        scale: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        dOutput: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>
    ) {
        switch head {
        case let .gaussian(d):
            if let bounds = clippedLikelihood {
                DiagGaussian.logProbBackward(mean: output, logStd: θ + logStdOffset, actions: actions, rows: rows,
                                             dim: d, bounds: bounds, scale: scale, dMean: dOutput,
                                             dLogStd: gradient + logStdOffset)
            } else {
                DiagGaussian.logProbBackward(mean: output, logStd: θ + logStdOffset, actions: actions, rows: rows,
                                             dim: d, scale: scale, dMean: dOutput, dLogStd: gradient + logStdOffset)
            }
        case let .categorical(n):
            Categorical.logProbBackward(logits: output, actions: actions, rows: rows, n: n, scale: scale,
                                        scratch: scratch, dLogits: dOutput)
        }
    }

    /// Mean entropy over the rows.
    public func meanEntropy(
        output: UnsafePointer<Float>, θ: UnsafePointer<Float>, rows: Int,
        scratch: UnsafeMutablePointer<Float>, perRow: UnsafeMutablePointer<Float>
    ) -> Float {
        switch head {
        case let .gaussian(d):
            return DiagGaussian.entropy(logStd: θ + logStdOffset, dim: d)
        case let .categorical(n):
            Categorical.entropy(logits: output, rows: rows, n: n, scratch: scratch, into: perRow)
            var s: Float = 0
            for r in 0..<rows { s += perRow[r] }
            return s / Float(rows)
        }
    }

    /// Adds `coefficient` · ∂(mean entropy)/∂(output, log σ).
    public func meanEntropyBackward(
        output: UnsafePointer<Float>, θ: UnsafePointer<Float>, rows: Int, coefficient: Float,
        scale: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        dOutput: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>
    ) {
        switch head {
        case let .gaussian(d):
            for i in 0..<d { gradient[logStdOffset + i] += coefficient }
        case let .categorical(n):
            scale.update(repeating: coefficient / Float(rows), count: rows)
            Categorical.entropyBackward(logits: output, rows: rows, n: n, scale: scale, scratch: scratch, dLogits: dOutput)
        }
    }

    /// Draws one action per row.
    public func sample(
        output: UnsafePointer<Float>, θ: UnsafePointer<Float>, rows: Int, scratch: UnsafeMutablePointer<Float>,
        into actions: UnsafeMutablePointer<Float>, rng: inout some RandomNumberGenerator & UnitDrawing
    ) {
        switch head {
        case let .gaussian(d):
            DiagGaussian.sample(mean: output, logStd: θ + logStdOffset, rows: rows, dim: d, into: actions,
                                normal: { rng.normal() })
        case let .categorical(n):
            Categorical.sample(logits: output, rows: rows, n: n, scratch: scratch, into: actions,
                               uniform: { rng.nextUnit() })
        }
    }
}

/// The draws a sampler needs; `SeededGenerator` (module Environments) provides them.
public protocol UnitDrawing {
    mutating func nextUnit() -> Double
    mutating func normal() -> Double
}

extension ActorCritic {
    /// The deterministic action of each row: the Gaussian's mean, or the most probable category
    /// (the lowest index among equals).
    public func mode(output: UnsafePointer<Float>, rows: Int, into actions: UnsafeMutablePointer<Float>) {
        switch head {
        case let .gaussian(d):
            actions.update(from: output, count: rows * d)
        case let .categorical(n):
            for r in 0..<rows {
                var best = 0
                for j in 1..<n where output[r * n + j] > output[r * n + best] { best = j }
                actions[r] = Float(best)
            }
        }
    }
}
