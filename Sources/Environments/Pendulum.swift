#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gymnasium's Pendulum-v1 (or the paper's Pendulum-v0), with its 200-step time limit built in.
/// State is kept in Double; observations are `[cos θ, sin θ, θ̇]` as Float.
public struct Pendulum: Environment, Codable, Equatable, Sendable {
    public enum Variant: String, Codable, Sendable {
        /// gymnasium Pendulum-v1: the new angle integrates the clipped angular velocity.
        case v1
        /// gym Pendulum-v0: the new angle integrates the unclipped velocity, clipped afterwards.
        case v0
    }

    public static let maxSpeed = 8.0
    public static let maxTorque = 2.0
    public static let dt = 0.05
    public static let g = 10.0
    public static let m = 1.0
    public static let l = 1.0
    public static let timeLimit = 200

    public var theta: Double
    public var thetaDot: Double
    /// Steps taken in the current episode.
    public var elapsedSteps: Int
    public let variant: Variant

    public init(variant: Variant = .v1) {
        self.init(theta: 0, thetaDot: 0, variant: variant)
    }

    /// A pendulum at a given state at the start of an episode (no reset needed).
    public init(theta: Double, thetaDot: Double, variant: Variant = .v1) {
        self.theta = theta
        self.thetaDot = thetaDot
        self.elapsedSteps = 0
        self.variant = variant
    }

    public var observationSize: Int { 3 }
    public var actionSpace: ActionSpace { .continuous(dimension: 1, low: -Self.maxTorque, high: Self.maxTorque) }

    public mutating func reset(using rng: inout SeededGenerator, observation: UnsafeMutablePointer<Float>) {
        theta = rng.uniform(-Double.pi, Double.pi)
        thetaDot = rng.uniform(-1, 1)
        elapsedSteps = 0
        observe(observation)
    }

    public mutating func step(action: UnsafePointer<Float>, observation: UnsafeMutablePointer<Float>) -> StepOutcome {
        // gymnasium keeps the action as float32, so (NumPy 2 promotion rules) both terms in u are
        // computed in float32 before joining the float64 state: reproduced here bit for bit.
        let u = min(max(action[0], Float(-Self.maxTorque)), Float(Self.maxTorque))
        let torqueCost = Double(Float(0.001) * (u * u))
        let torque = Double(Float(3 / (Self.m * Self.l * Self.l)) * u)
        let angle = Self.normalizeAngle(theta)
        let cost = angle * angle + 0.1 * thetaDot * thetaDot + torqueCost

        let acceleration = 3 * Self.g / (2 * Self.l) * sin(theta) + torque
        let rawDot = thetaDot + acceleration * Self.dt
        let clippedDot = min(max(rawDot, -Self.maxSpeed), Self.maxSpeed)
        theta += (variant == .v1 ? clippedDot : rawDot) * Self.dt
        thetaDot = clippedDot
        elapsedSteps += 1

        observe(observation)
        return StepOutcome(reward: -cost, terminated: false, truncated: elapsedSteps >= Self.timeLimit)
    }

    @inline(__always)
    func observe(_ observation: UnsafeMutablePointer<Float>) {
        observation[0] = Float(cos(theta))
        observation[1] = Float(sin(theta))
        observation[2] = Float(thetaDot)
    }

    /// ((x + π) mod 2π) − π with a floored modulo, as numpy's `%` computes it.
    @inline(__always)
    static func normalizeAngle(_ x: Double) -> Double {
        let period = 2 * Double.pi
        var r = fmod(x + Double.pi, period)
        if r < 0 { r += period }
        return r - Double.pi
    }
}
