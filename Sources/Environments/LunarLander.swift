import CBox2D
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a `LunarLander` needs to be rebuilt exactly: the seed of its episode's random stream and
/// the actions taken since the reset, replayed on restore (see `ReplayedEnvironment`).
public struct LunarLanderState: Codable, Equatable, Sendable {
    public var continuous: Bool
    /// nil before the first reset.
    public var episodeSeed: UInt64?
    /// `actionSpace.width` floats per step taken since the reset, as passed to `step`.
    public var actions: [Float]
}

/// gymnasium 1.4's LunarLander-v3 (discrete: 0 no-op, 1 left engine, 2 main engine, 3 right
/// engine) or its continuous variant (main throttle a₀, lateral a₁), on Box2D 2.4, with the
/// 1000-step time limit built in (truncation). Every episode draws one 64-bit seed from the
/// generator passed to `reset`; its own stream then provides the terrain, the initial force and
/// the two engine-dispersion draws of every step, in gymnasium's order.
public final class LunarLander: Environment, ReplayedEnvironment {
    public static let fps = 50.0
    public static let scale = 30.0
    public static let mainEnginePower = 13.0
    public static let sideEnginePower = 0.6
    public static let initialRandom = 1000.0
    public static let legAway = 20.0
    public static let legDown = 18.0
    public static let legW = 2.0
    public static let legH = 8.0
    public static let legSpringTorque = 40.0
    public static let sideEngineHeight = 14.0
    public static let sideEngineAway = 12.0
    public static let mainEngineYLocation = 4.0
    /// Viewport 600×400 in world units.
    public static let worldWidth = 600.0 / 30.0
    public static let worldHeight = 400.0 / 30.0
    public static let helipadY = worldHeight / 4
    public static let chunks = 11
    public static let timeLimit = 1000
    static let landerPolygon: [(Double, Double)] = [(-14, 17), (-17, 0), (-17, -10), (17, -10), (17, 0), (14, 17)]

    public let continuous: Bool
    /// Steps taken in the current episode (the reset's internal no-op step not counted).
    public private(set) var elapsedSteps = 0
    /// The smoothed terrain heights at chunk_x[i] = i·W/10 of the current episode (11 values).
    public private(set) var terrain = [Double](repeating: 0, count: LunarLander.chunks)

    private var world: Box2DWorld?
    private var lander: OpaquePointer?
    private var legs: (OpaquePointer?, OpaquePointer?) = (nil, nil)
    private var joints: (OpaquePointer?, OpaquePointer?) = (nil, nil)
    private var rng = SeededGenerator(seed: 0)
    private var episodeSeed: UInt64?
    private var actions: [Float]
    private var prevShaping = 0.0
    private var hasPrevShaping = false
    private var bodyState = [Float](repeating: 0, count: 6)

    public init(continuous: Bool = false) {
        self.continuous = continuous
        actions = []
        actions.reserveCapacity(Self.timeLimit * (continuous ? 2 : 1))
    }

    /// Rebuilds an environment from its saved state by replaying its episode.
    public convenience init(restoring state: LunarLanderState) throws {
        self.init(continuous: state.continuous)
        try replay(episodeSeed: state.episodeSeed, actions: state.actions)
    }

    public var state: LunarLanderState {
        LunarLanderState(continuous: continuous, episodeSeed: episodeSeed, actions: actions)
    }

    public var observationSize: Int { 8 }
    public var actionSpace: ActionSpace { continuous ? .continuous(dimension: 2, low: -1, high: 1) : .discrete(count: 4) }

    public func reset(using rng: inout SeededGenerator, observation: UnsafeMutablePointer<Float>) {
        begin(episodeSeed: rng.next(), observation: observation)
    }

    public func step(action: UnsafePointer<Float>, observation: UnsafeMutablePointer<Float>) -> StepOutcome {
        precondition(world != nil, "LunarLander.step called before reset")
        var mainPower = 0.0, sidePower = 0.0, direction = 0.0
        if continuous {
            actions.append(action[0])
            actions.append(action[1])
            let a0 = min(max(Double(action[0]), -1), 1)
            let a1 = min(max(Double(action[1]), -1), 1)
            if a0 > 0 { mainPower = (a0 + 1) * 0.5 }
            if abs(a1) > 0.5 {
                direction = a1 > 0 ? 1 : -1
                sidePower = min(abs(a1), 1)
            }
        } else {
            actions.append(action[0])
            let a = Int(action[0])
            precondition(a >= 0 && a < 4, "LunarLander: discrete action \(action[0]) outside 0..<4")
            if a == 2 { mainPower = 1 }
            if a == 1 || a == 3 {
                direction = Double(a - 2)
                sidePower = 1
            }
        }
        elapsedSteps += 1
        var outcome = simulate(mainPower: mainPower, sidePower: sidePower, direction: direction, observation: observation)
        outcome.truncated = elapsedSteps >= Self.timeLimit
        return outcome
    }

    /// The legs' joint angles (radians, relative to the lander), for tests.
    var legJointAngles: (Double, Double) {
        (Double(cb_joint_angle(joints.0.unsafelyUnwrapped)), Double(cb_joint_angle(joints.1.unsafelyUnwrapped)))
    }

    /// Builds the episode's world from `episodeSeed` and takes gymnasium's no-op step.
    func begin(episodeSeed seed: UInt64, observation: UnsafeMutablePointer<Float>) {
        let W = Self.worldWidth, H = Self.worldHeight, scale = Self.scale
        episodeSeed = seed
        rng = SeededGenerator(seed: seed)
        actions.removeAll(keepingCapacity: true)
        elapsedSteps = 0
        hasPrevShaping = false
        prevShaping = 0
        world = nil  // frees the previous episode's world first
        let world = Box2DWorld(gravityX: 0, gravityY: -10)
        self.world = world

        // Terrain: 12 heights, the helipad flattened, smoothed over 3 neighbours (index −1 wraps).
        let n = Self.chunks
        var height = [Double](repeating: 0, count: n + 1)
        for i in 0...n { height[i] = rng.uniform(0, H / 2) }
        for i in (n / 2 - 2)...(n / 2 + 2) { height[i] = Self.helipadY }
        for i in 0..<n {
            let previous = i == 0 ? height[n] : height[i - 1]
            terrain[i] = 0.33 * (previous + height[i] + height[i + 1])
        }
        let moon = world.body(type: Int32(CB_STATIC), x: 0, y: 0, angle: 0)
        cb_body_add_edge(moon, 0, 0, Float(W), 0, 0, 0.2, 0, 0x0001, 0xFFFF)
        for i in 0..<(n - 1) {
            let x1 = W / Double(n - 1) * Double(i), x2 = W / Double(n - 1) * Double(i + 1)
            cb_body_add_edge(moon, Float(x1), Float(terrain[i]), Float(x2), Float(terrain[i + 1]), 0, 0.1, 0, 0x0001, 0xFFFF)
        }

        // Lander, pushed by a random force.
        let x0 = W / 2, y0 = H
        let lander = world.body(type: Int32(CB_DYNAMIC), x: Float(x0), y: Float(y0), angle: 0)
        var polygon = [Float]()
        for (px, py) in Self.landerPolygon {
            polygon.append(Float(px / scale))
            polygon.append(Float(py / scale))
        }
        cb_body_add_polygon(lander, polygon, Int32(Self.landerPolygon.count), 5, 0.1, 0, 0x0010, 0x0001)
        let fx = rng.uniform(-Self.initialRandom, Self.initialRandom)
        let fy = rng.uniform(-Self.initialRandom, Self.initialRandom)
        cb_body_apply_force_to_center(lander, Float(fx), Float(fy), 1)
        self.lander = lander

        // Legs on motorised, limited revolute joints.
        var made: [OpaquePointer] = [], madeJoints: [OpaquePointer] = []
        for i in [-1.0, 1.0] {
            let leg = world.body(type: Int32(CB_DYNAMIC), x: Float(x0 - i * Self.legAway / scale), y: Float(y0), angle: Float(i * 0.05))
            cb_body_add_box(leg, Float(Self.legW / scale), Float(Self.legH / scale), 1, 0.2, 0, 0x0020, 0x0001)
            let lower = i < 0 ? 0.9 - 0.5 : -0.9
            let upper = i < 0 ? 0.9 : -0.9 + 0.5
            // pybox2d's joint definition sets referenceAngle = angle_B − angle_A when it is not given.
            let joint = cb_revolute_joint_create(world.handle, lander, leg, 0, 0, Float(i * Self.legAway / scale), Float(Self.legDown / scale),
                                         Float(i * 0.05), 1, Float(Self.legSpringTorque), Float(0.3 * i), 1, Float(lower), Float(upper))
            made.append(leg)
            madeJoints.append(joint!)
        }
        legs = (made[0], made[1])
        joints = (madeJoints[0], madeJoints[1])

        _ = simulate(mainPower: 0, sidePower: 0, direction: 0, observation: observation)
    }

    /// One physics step: the two dispersion draws, the engines' impulses, Box2D, observation and reward.
    @inline(__always)
    private func simulate(mainPower: Double, sidePower: Double, direction: Double,
                          observation: UnsafeMutablePointer<Float>) -> StepOutcome {
        let scale = Self.scale
        let world = self.world.unsafelyUnwrapped
        let lander = self.lander.unsafelyUnwrapped
        let d0 = rng.uniform(-1, 1) / scale
        let d1 = rng.uniform(-1, 1) / scale

        if mainPower > 0 || sidePower > 0 {
            let angle = Double(cb_body_angle(lander))
            let tip0 = sin(angle), tip1 = cos(angle)
            let side0 = -tip1, side1 = tip0
            let px = Double(cb_body_x(lander)), py = Double(cb_body_y(lander))
            if mainPower > 0 {
                let reach = Self.mainEngineYLocation / scale + 2 * d0
                let ox = tip0 * reach + side0 * d1
                let oy = -tip1 * reach - side1 * d1
                let k = Self.mainEnginePower * mainPower
                cb_body_apply_linear_impulse(lander, Float(-ox * k), Float(-oy * k), Float(px + ox), Float(py + oy), 1)
            }
            if sidePower > 0 {
                let reach = 3 * d1 + direction * Self.sideEngineAway / scale
                let ox = tip0 * d0 + side0 * reach
                let oy = -tip1 * d0 - side1 * reach
                let k = Self.sideEnginePower * sidePower
                cb_body_apply_linear_impulse(lander, Float(-ox * k), Float(-oy * k),
                                             Float(px + ox - tip0 * 17 / scale), Float(py + oy + tip1 * Self.sideEngineHeight / scale), 1)
            }
        }

        // Box2D 2.3's limit activation (see cb_joint_activate_limit_as_box2d23): gymnasium's legs
        // start inside their range, swing onto the limit, and on touchdown are knocked off it.
        cb_joint_activate_limit_as_box2d23(joints.0.unsafelyUnwrapped)
        cb_joint_activate_limit_as_box2d23(joints.1.unsafelyUnwrapped)
        world.step(dt: Float(1 / Self.fps), velocityIterations: 6 * 30, positionIterations: 2 * 30)

        let halfW = Self.worldWidth / 2, halfH = Self.worldHeight / 2
        let s = bodyState.withUnsafeMutableBufferPointer { b -> (Double, Double, Double, Double, Double, Double) in
            cb_body_state(lander, b.baseAddress!)
            return ((Double(b[0]) - halfW) / halfW,
                    (Double(b[1]) - (Self.helipadY + Self.legDown / scale)) / halfH,
                    Double(b[3]) * halfW / Self.fps,
                    Double(b[4]) * halfH / Self.fps,
                    Double(b[2]),
                    20 * Double(b[5]) / Self.fps)
        }
        let leftContact: Double = cb_body_touching(legs.0.unsafelyUnwrapped) != 0 ? 1 : 0
        let rightContact: Double = cb_body_touching(legs.1.unsafelyUnwrapped) != 0 ? 1 : 0
        observation[0] = Float(s.0)
        observation[1] = Float(s.1)
        observation[2] = Float(s.2)
        observation[3] = Float(s.3)
        observation[4] = Float(s.4)
        observation[5] = Float(s.5)
        observation[6] = Float(leftContact)
        observation[7] = Float(rightContact)

        let shaping = -100 * (s.0 * s.0 + s.1 * s.1).squareRoot() - 100 * (s.2 * s.2 + s.3 * s.3).squareRoot()
            - 100 * abs(s.4) + 10 * leftContact + 10 * rightContact
        var reward = hasPrevShaping ? shaping - prevShaping : 0
        prevShaping = shaping
        hasPrevShaping = true
        reward -= mainPower * 0.30
        reward -= sidePower * 0.03

        var terminated = false
        if cb_body_began(lander) != 0 || abs(s.0) >= 1 {
            terminated = true
            reward = -100
        }
        if cb_body_awake(lander) == 0 {
            terminated = true
            reward = 100
        }
        return StepOutcome(reward: reward, terminated: terminated, truncated: false)
    }
}

extension LunarLander: Codable {
    public func encode(to encoder: Encoder) throws {
        try state.encode(to: encoder)
    }

    public convenience init(from decoder: Decoder) throws {
        try self.init(restoring: LunarLanderState(from: decoder))
    }
}

extension LunarLander: SnapshotEnvironment {
    static func states(_ environments: [LunarLander]) -> EnvironmentStates {
        .lunarLander(environments.map(\.state))
    }
}
