/// The action space of an environment.
public enum ActionSpace: Codable, Hashable, Sendable {
    /// `dimension` real values, each clipped by the environment to [low, high].
    case continuous(dimension: Int, low: Double, high: Double)
    /// One of `count` actions, passed as a Float holding the index.
    case discrete(count: Int)

    /// Floats per action in an action buffer.
    public var width: Int {
        switch self {
        case let .continuous(dimension, _, _): return dimension
        case .discrete: return 1
        }
    }
}

/// What one step produced. `truncated` means the time limit ended the episode (bootstrap);
/// `terminated` means the MDP ended it (do not bootstrap).
public struct StepOutcome: Equatable, Sendable {
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool
    public init(reward: Double, terminated: Bool, truncated: Bool) {
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }
    public var done: Bool { terminated || truncated }
}

/// One environment instance. Implementations write observations into caller-owned buffers
/// (no allocation per step) and draw all randomness from the generator they are given.
public protocol Environment {
    var observationSize: Int { get }
    var actionSpace: ActionSpace { get }
    /// Starts a new episode and writes its first observation.
    mutating func reset(using rng: inout SeededGenerator, observation: UnsafeMutablePointer<Float>)
    /// Applies `action` (`actionSpace.width` floats) and writes the next observation.
    mutating func step(action: UnsafePointer<Float>, observation: UnsafeMutablePointer<Float>) -> StepOutcome
}
