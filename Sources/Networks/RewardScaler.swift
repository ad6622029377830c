/// Return-based reward scaling as in VecNormalize: each actor keeps a discounted return
/// ret = ret·γ + r; the returns' running variance (updated once per vector step with all actors'
/// returns) scales the rewards: r / sqrt(var + ε), clipped to ±clip. A finished episode's return
/// is reset to 0 after the update.
public struct RewardScaler: Codable, Equatable, Sendable {
    public let actors: Int
    public let gamma: Double
    public let clip: Double
    public let epsilon: Double
    public private(set) var returns: [Double]
    public private(set) var statistics: RunningMeanStd

    public init(actors: Int, gamma: Double, clip: Double = 10, epsilon: Double = 1e-8) {
        precondition(actors > 0, "RewardScaler needs at least one actor")
        self.actors = actors
        self.gamma = gamma
        self.clip = clip
        self.epsilon = epsilon
        returns = Array(repeating: 0, count: actors)
        statistics = RunningMeanStd(dimension: 1)
    }

    /// rewards, dones: [actors]; out: [actors] scaled rewards.
    public mutating func scale(rewards: UnsafePointer<Double>, dones: UnsafePointer<Bool>, into out: UnsafeMutablePointer<Float>) {
        for i in 0..<actors { returns[i] = returns[i] * gamma + rewards[i] }
        returns.withUnsafeBufferPointer { statistics.update($0.baseAddress!, rows: actors) }
        let scale = 1 / (statistics.variance[0] + epsilon).squareRoot()
        for i in 0..<actors {
            out[i] = Float(min(max(rewards[i] * scale, -clip), clip))
            if dones[i] { returns[i] = 0 }
        }
    }
}
