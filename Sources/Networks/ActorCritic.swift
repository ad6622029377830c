/// The paper's networks (Table 4): separate policy and value MLPs (2 × 64 tanh), a diagonal
/// Gaussian head with a state-independent log σ or a categorical head. Both networks live in one
/// flat θ = [policy | log σ (Gaussian only) | value], as the paper parameterises V with θ too.
public struct ActorCritic: Codable, Hashable, Sendable {
    public enum Head: Codable, Hashable, Sendable {
        case gaussian(dimension: Int)
        case categorical(count: Int)

        /// Network outputs per row (means or logits).
        public var outputSize: Int {
            switch self {
            case let .gaussian(d): return d
            case let .categorical(n): return n
            }
        }
    }

    public let observationSize: Int
    public let head: Head
    public let policy: MLPLayout
    /// Offset of log σ in θ (Gaussian head), equal to `policy.end`.
    public let logStdOffset: Int
    public let value: MLPLayout
    public let parameterCount: Int
    /// Gaussian head only: when set, log π is the likelihood of the action clipped to these
    /// bounds (`DiagGaussian+Clipped`); nil: the density of the raw sample (the default).
    public var clippedLikelihood: DiagGaussian.Bounds?

    public init(observationSize: Int, head: Head, hidden: [Int] = [64, 64]) {
        self.observationSize = observationSize
        self.head = head
        policy = MLPLayout(sizes: [observationSize] + hidden + [head.outputSize], base: 0)
        logStdOffset = policy.end
        let logStdCount: Int
        if case let .gaussian(d) = head { logStdCount = d } else { logStdCount = 0 }
        value = MLPLayout(sizes: [observationSize] + hidden + [1], base: policy.end + logStdCount)
        parameterCount = value.end
    }

    /// Orthogonal init (hidden gain √2, policy head 0.01, value head 1), log σ = 0.
    public func initialize(_ θ: UnsafeMutablePointer<Float>, normal: () -> Double) {
        OrthogonalInit.initialize(policy, in: θ, hiddenGain: 2.0.squareRoot(), outputGain: 0.01, normal: normal)
        (θ + logStdOffset).update(repeating: 0, count: value.base - logStdOffset)
        OrthogonalInit.initialize(value, in: θ, hiddenGain: 2.0.squareRoot(), outputGain: 1.0, normal: normal)
    }
}
