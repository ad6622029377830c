import CBox2D
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a `BipedalWalker` needs to be rebuilt exactly: its variant, the seed of its episode's
/// random stream and the actions taken since the reset (replayed on restore, as for LunarLander).
public struct BipedalWalkerState: Codable, Equatable, Sendable {
    public var hardcore: Bool
    /// nil before the first reset.
    public var episodeSeed: UInt64?
    /// 4 floats per step taken since the reset, as passed to `step`.
    public var actions: [Float]
}

/// gymnasium 1.4's BipedalWalker-v3 (or BipedalWalkerHardcore-v3) on Box2D 2.4, with the time
/// limit built in as truncation (1600 steps; hardcore 2000). Actions: hip and knee motors of the
/// left then the right leg, each in [−1, 1] (speed SPEED·sign(a), torque MOTORS_TORQUE·|a|).
/// Observation (24): hull angle, angular and linear velocity, per leg hip angle/speed, knee
/// angle/speed and lower-leg ground contact, then 10 lidar fractions.
/// Every episode draws one 64-bit seed from the generator passed to `reset`; its own stream then
/// provides the terrain and the hull's initial push.
public final class BipedalWalker: Environment, ReplayedEnvironment {
    public static let fps = 50.0
    public static let scale = 30.0
    public static let motorsTorque = 80.0
    public static let speedHip = 4.0
    public static let speedKnee = 6.0
    public static let lidarRange = 160.0 / 30.0
    public static let initialRandom = 5.0
    static let hullPoly: [(Double, Double)] = [(-30, 9), (6, 9), (34, 1), (34, -8), (-30, -8)]
    public static let legDown = -8.0 / 30.0
    public static let legW = 8.0 / 30.0
    public static let legH = 34.0 / 30.0
    public static let viewportW = 600.0
    public static let viewportH = 400.0
    public static let lidarRays = 10
    /// Beyond this x the walker has reached the end: (TERRAIN_LENGTH − TERRAIN_GRASS)·TERRAIN_STEP.
    public static let finishX = Double(BipedalWalkerTerrain.length - BipedalWalkerTerrain.grass) * BipedalWalkerTerrain.step
    static let hipLimits: (lower: Float, upper: Float) = (-0.8, 1.1)
    static let kneeLimits: (lower: Float, upper: Float) = (-1.6, -0.1)
    static let groundCategory: UInt16 = 0x0001
    static let walkerCategory: UInt16 = 0x0020

    public let hardcore: Bool
    public var timeLimit: Int { hardcore ? 2000 : 1600 }
    /// Steps taken in the current episode (the reset's internal zero-action step not counted).
    public private(set) var elapsedSteps = 0
    /// The current episode's terrain.
    private(set) var terrain = BipedalWalkerTerrain()
    /// The horizontal force applied to the hull at the start of the current episode.
    private(set) var initialPush = 0.0

    private var world: Box2DWorld?
    private var hull: OpaquePointer?
    /// Upper left, lower left, upper right, lower right (gymnasium's `legs`).
    private let legs = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 4)
    /// Hip left, knee left, hip right, knee right (gymnasium's `joints`).
    private let joints = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 4)
    /// Unit lidar directions (sin, −cos of 1.5·i/10), times LIDAR_RANGE.
    private let lidarOffsets = UnsafeMutablePointer<Double>.allocate(capacity: 2 * BipedalWalker.lidarRays)
    private let hullState = UnsafeMutablePointer<Float>.allocate(capacity: 6)
    private var rng = SeededGenerator(seed: 0)
    private var episodeSeed: UInt64?
    private var actions: [Float] = []
    private var prevShaping = 0.0
    private var hasPrevShaping = false

    public init(hardcore: Bool = false) {
        self.hardcore = hardcore
        legs.initialize(repeating: nil, count: 4)
        joints.initialize(repeating: nil, count: 4)
        hullState.initialize(repeating: 0, count: 6)
        for i in 0..<Self.lidarRays {
            let angle = 1.5 * Double(i) / 10.0
            lidarOffsets[2 * i] = sin(angle) * Self.lidarRange
            lidarOffsets[2 * i + 1] = -cos(angle) * Self.lidarRange
        }
        actions.reserveCapacity(4 * timeLimit)
    }

    deinit {
        legs.deallocate()
        joints.deallocate()
        lidarOffsets.deallocate()
        hullState.deallocate()
    }

    /// Rebuilds an environment from its saved state by replaying its episode.
    public convenience init(restoring state: BipedalWalkerState) throws {
        self.init(hardcore: state.hardcore)
        try replay(episodeSeed: state.episodeSeed, actions: state.actions)
    }

    public var state: BipedalWalkerState {
        BipedalWalkerState(hardcore: hardcore, episodeSeed: episodeSeed, actions: actions)
    }

    public var observationSize: Int { 24 }
    public var actionSpace: ActionSpace { .continuous(dimension: 4, low: -1, high: 1) }

    public func reset(using rng: inout SeededGenerator, observation: UnsafeMutablePointer<Float>) {
        begin(episodeSeed: rng.next(), observation: observation)
    }

    public func step(action: UnsafePointer<Float>, observation: UnsafeMutablePointer<Float>) -> StepOutcome {
        precondition(world != nil, "BipedalWalker.step called before reset")
        actions.append(action[0])
        actions.append(action[1])
        actions.append(action[2])
        actions.append(action[3])
        elapsedSteps += 1
        var outcome = simulate(action: action, observation: observation)
        outcome.truncated = elapsedSteps >= timeLimit
        return outcome
    }

    /// The hull's position (x, y), for tests.
    var hullPosition: (Double, Double) {
        (Double(cb_body_x(hull.unsafelyUnwrapped)), Double(cb_body_y(hull.unsafelyUnwrapped)))
    }

    /// Sets the linear velocity of the hull and the four leg segments (tests only: an episode
    /// changed this way can no longer be rebuilt from its state).
    func launch(vx: Double, vy: Double) {
        cb_body_set_linear_velocity(hull.unsafelyUnwrapped, Float(vx), Float(vy))
        for k in 0..<4 { cb_body_set_linear_velocity(legs[k].unsafelyUnwrapped, Float(vx), Float(vy)) }
    }

    /// Builds the episode's world from `episodeSeed` and takes gymnasium's zero-action step.
    func begin(episodeSeed seed: UInt64, observation: UnsafeMutablePointer<Float>) {
        episodeSeed = seed
        rng = SeededGenerator(seed: seed)
        actions.removeAll(keepingCapacity: true)
        elapsedSteps = 0
        hasPrevShaping = false
        prevShaping = 0
        world = nil  // frees the previous episode's world first
        let world = Box2DWorld(gravityX: 0, gravityY: -10)
        self.world = world

        terrain.generate(hardcore: hardcore, using: &rng)
        buildGround(in: world)
        buildWalker(in: world)

        var zero: (Float, Float, Float, Float) = (0, 0, 0, 0)
        _ = withUnsafePointer(to: &zero) { z in
            z.withMemoryRebound(to: Float.self, capacity: 4) { simulate(action: $0, observation: observation) }
        }
    }

    /// The 199 ground edges and the obstacle quads, all of category 1 (the lidar sees them).
    private func buildGround(in world: Box2DWorld) {
        let ground = world.body(type: Int32(CB_STATIC), x: 0, y: 0, angle: 0)
        let friction = Float(BipedalWalkerTerrain.friction)
        var corners = [Float](repeating: 0, count: 8)
        terrain.quads.withUnsafeBufferPointer { q in
            for k in 0..<terrain.quadCount {
                for j in 0..<8 { corners[j] = Float(q[8 * k + j]) }
                cb_body_add_polygon(ground, corners, 4, 0, friction, 0, Self.groundCategory, 0xFFFF)
            }
        }
        for i in 0..<(BipedalWalkerTerrain.length - 1) {
            cb_body_add_edge(ground, Float(terrain.x[i]), Float(terrain.y[i]), Float(terrain.x[i + 1]), Float(terrain.y[i + 1]),
                             0, friction, 0, Self.groundCategory, 0xFFFF)
        }
    }

    /// Hull (pushed by a random horizontal force) and two legs of two segments on motorised,
    /// limited revolute joints, created in gymnasium's order.
    private func buildWalker(in world: Box2DWorld) {
        let scale = Self.scale, legW = Self.legW, legH = Self.legH, legDown = Self.legDown
        let initX = BipedalWalkerTerrain.step * Double(BipedalWalkerTerrain.startpad) / 2
        let initY = BipedalWalkerTerrain.height + 2 * legH
        let hull = world.body(type: Int32(CB_DYNAMIC), x: Float(initX), y: Float(initY), angle: 0)
        var polygon = [Float]()
        for (px, py) in Self.hullPoly {
            polygon.append(Float(px / scale))
            polygon.append(Float(py / scale))
        }
        cb_body_add_polygon(hull, polygon, Int32(Self.hullPoly.count), 5, 0.1, 0, Self.walkerCategory, Self.groundCategory)
        initialPush = rng.uniform(-Self.initialRandom, Self.initialRandom)
        cb_body_apply_force_to_center(hull, Float(initialPush), 0, 1)
        self.hull = hull

        let torque = Float(Self.motorsTorque)
        for (k, i) in [-1.0, 1.0].enumerated() {
            let angle = Float(i * 0.05)
            let upper = world.body(type: Int32(CB_DYNAMIC), x: Float(initX), y: Float(initY - legH / 2 - legDown), angle: angle)
            cb_body_add_box(upper, Float(legW / 2), Float(legH / 2), 1, 0.2, 0, Self.walkerCategory, Self.groundCategory)
            // pybox2d sets referenceAngle = angle_B − angle_A when it is not given.
            joints[2 * k] = cb_revolute_joint_create(world.handle, hull, upper, 0, Float(legDown), 0, Float(legH / 2),
                                                     angle - 0, 1, torque, Float(i), 1, Self.hipLimits.lower, Self.hipLimits.upper)
            let lower = world.body(type: Int32(CB_DYNAMIC), x: Float(initX), y: Float(initY - legH * 3 / 2 - legDown), angle: angle)
            cb_body_add_box(lower, Float(0.8 * legW / 2), Float(legH / 2), 1, 0.2, 0, Self.walkerCategory, Self.groundCategory)
            joints[2 * k + 1] = cb_revolute_joint_create(world.handle, upper, lower, 0, Float(-legH / 2), 0, Float(legH / 2),
                                                         angle - angle, 1, torque, 1, 1, Self.kneeLimits.lower, Self.kneeLimits.upper)
            legs[2 * k] = upper
            legs[2 * k + 1] = lower
        }
    }

    /// Box2D 2.3 (gymnasium's engine) decides at the start of each step whether a revolute limit
    /// takes part in it: only when the joint is at or beyond a limit; a joint inside its range moves
    /// freely for the whole step (and may overshoot, to be pushed back from the next step on). Box2D
    /// 2.4 keeps an enabled limit in every step, predicting contact before it happens. The walker
    /// starts with its knees off their joints, and the reset step and the first steps after it snap
    /// them together hard; without this rule the knees take other paths than in gymnasium from the
    /// first step (measured against gymnasium with identical terrain, push and actions).
    @inline(__always)
    private func updateLimit(_ joint: OpaquePointer) {
        cb_joint_activate_limit_as_box2d23(joint)
    }

    /// One physics step: motors from the action, Box2D, lidar, observation, reward, termination.
    @inline(__always)
    private func simulate(action: UnsafePointer<Float>, observation: UnsafeMutablePointer<Float>) -> StepOutcome {
        let world = self.world.unsafelyUnwrapped
        let hull = self.hull.unsafelyUnwrapped
        let torque = Float(Self.motorsTorque)
        var cost = 0.0
        for j in 0..<4 {
            let a = action[j]
            let speed = Float(j & 1 == 0 ? Self.speedHip : Self.speedKnee)
            let sign: Float = a > 0 ? 1 : (a < 0 ? -1 : 0)  // numpy's sign: 0 at 0
            let magnitude = min(abs(a), 1)
            let joint = joints[j].unsafelyUnwrapped
            cb_joint_set_motor(joint, speed * sign, torque * magnitude)
            cost += 0.00035 * Self.motorsTorque * Double(magnitude)
            updateLimit(joint)
        }

        world.step(dt: Float(1 / Self.fps), velocityIterations: 6 * 30, positionIterations: 2 * 30)

        cb_body_state(hull, hullState)
        let x = Double(hullState[0]), y = Double(hullState[1]), angle = Double(hullState[2])
        for i in 0..<Self.lidarRays {
            let x2 = x + lidarOffsets[2 * i], y2 = y + lidarOffsets[2 * i + 1]
            observation[14 + i] = cb_world_ray_cast(world.handle, hullState[0], hullState[1], Float(x2), Float(y2), Self.groundCategory)
        }
        observation[0] = hullState[2]
        observation[1] = Float(2 * Double(hullState[5]) / Self.fps)
        observation[2] = Float(0.3 * Double(hullState[3]) * (Self.viewportW / Self.scale) / Self.fps)
        observation[3] = Float(0.3 * Double(hullState[4]) * (Self.viewportH / Self.scale) / Self.fps)
        for side in 0..<2 {
            let hip = joints[2 * side].unsafelyUnwrapped, knee = joints[2 * side + 1].unsafelyUnwrapped
            let o = observation + 4 + 5 * side
            o[0] = cb_joint_angle(hip)
            o[1] = Float(Double(cb_joint_speed(hip)) / Self.speedHip)
            o[2] = Float(Double(cb_joint_angle(knee)) + 1)
            o[3] = Float(Double(cb_joint_speed(knee)) / Self.speedKnee)
            o[4] = cb_body_touching(legs[2 * side + 1].unsafelyUnwrapped) != 0 ? 1 : 0
        }

        let shaping = 130 * x / Self.scale - 5 * abs(angle)
        var reward = hasPrevShaping ? shaping - prevShaping : 0
        prevShaping = shaping
        hasPrevShaping = true
        reward -= cost

        var terminated = false
        if cb_body_began(hull) != 0 || x < 0 {
            reward = -100
            terminated = true
        }
        if x > Self.finishX { terminated = true }
        return StepOutcome(reward: reward, terminated: terminated, truncated: false)
    }
}

extension BipedalWalker: Codable {
    public func encode(to encoder: Encoder) throws {
        try state.encode(to: encoder)
    }

    public convenience init(from decoder: Decoder) throws {
        try self.init(restoring: BipedalWalkerState(from: decoder))
    }
}

extension BipedalWalker: SnapshotEnvironment {
    static func states(_ environments: [BipedalWalker]) -> EnvironmentStates {
        .bipedalWalker(environments.map(\.state))
    }
}
