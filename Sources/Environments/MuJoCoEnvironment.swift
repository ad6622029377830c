import CMuJoCo

/// What a `MuJoCoEnvironment` needs to continue bit-identically: MuJoCo's integration state and
/// the position the next step's forward reward starts from.
public struct MuJoCoState: Codable, Equatable, Sendable {
    public var task: MuJoCoTask
    /// mj_getState(mjSTATE_INTEGRATION); empty before the first reset.
    public var physics: [Double]
    /// The x (and y) position read after the last step or reset: the root's qpos[0], Ant's torso
    /// xpos, Humanoid's centre of mass (from xipos, as MuJoCo left it after the last mj_step).
    public var position: [Double]
    public var elapsedSteps: Int
}

/// One MuJoCo task (`MuJoCoTask`) as an `Environment`: gymnasium 1.4's v4 observation, reward,
/// termination, reset noise and frame skip on MuJoCo 4.0.0, with the 1000-step time limit built in
/// (truncation). Actions are clipped to the actuators' control range (the task's action space)
/// before they reach the simulation and the control cost. Reset noise comes from the generator
/// passed to `reset`: qpos noise first, then qvel, in index order.
public final class MuJoCoEnvironment: Environment {
    public let task: MuJoCoTask
    let model: MuJoCoModel
    let data: MuJoCoData
    let m: UnsafeMutablePointer<mjModel>
    let d: UnsafeMutablePointer<mjData>
    let nq: Int, nv: Int, nu: Int, nbody: Int
    public let observationSize: Int
    public let actionSpace: ActionSpace
    let low: Double, high: Double
    /// Ant's torso body id.
    let torso: Int
    let totalMass: Double
    /// dt = timestep × frame skip.
    let dt: Double
    public private(set) var elapsedSteps = 0
    private var position = (x: 0.0, y: 0.0)
    private var started = false
    /// Seconds spent inside mj_step since the counter was last zeroed (for `mcpo-bench env`);
    /// counted only while `timesPhysics` is set.
    public var timesPhysics = false
    public var physicsSeconds = 0.0

    public init(task: MuJoCoTask) throws {
        self.task = task
        model = try MuJoCoModel.shared(task.modelFile)
        data = MuJoCoData(model: model)
        m = model.pointer
        d = data.pointer
        nq = Int(m.pointee.nq); nv = Int(m.pointee.nv); nu = Int(m.pointee.nu); nbody = Int(m.pointee.nbody)
        // Every task's actuators share one control range.
        let range = m.pointee.actuator_ctrlrange!
        low = range[0]; high = range[1]
        for i in 0..<nu { precondition(range[2 * i] == low && range[2 * i + 1] == high, "\(task): actuators differ in range") }
        actionSpace = .continuous(dimension: nu, low: low, high: high)
        var size = nq - task.excludedPositions + nv
        if task.observesBodies { size += nbody * 10 + nbody * 6 + nv + nbody * 6 }
        observationSize = size
        torso = task == .ant ? Int(mj_name2id(m, Int32(mjOBJ_BODY.rawValue), "torso")) : -1
        var mass = 0.0
        for b in 0..<nbody { mass += m.pointee.body_mass[b] }
        totalMass = mass
        dt = m.pointee.opt.timestep * Double(task.frameSkip)
    }

    /// Rebuilds an environment from its saved state.
    public convenience init(restoring state: MuJoCoState) throws {
        try self.init(task: state.task)
        guard !state.physics.isEmpty else { return }
        try data.restore(integrationState: state.physics)
        guard state.position.count == 2 else { throw EnvironmentError.invalidSnapshot("MuJoCo position of \(state.position.count) values") }
        position = (state.position[0], state.position[1])
        elapsedSteps = state.elapsedSteps
        started = true
    }

    public var state: MuJoCoState {
        MuJoCoState(task: task, physics: started ? data.integrationState : [], position: [position.x, position.y],
                    elapsedSteps: elapsedSteps)
    }

    public func reset(using rng: inout SeededGenerator, observation: UnsafeMutablePointer<Float>) {
        mj_resetData(m, d)
        let c = task.resetNoise
        for i in 0..<nq { d.pointee.qpos[i] = m.pointee.qpos0[i] + rng.uniform(-c, c) }
        for i in 0..<nv { d.pointee.qvel[i] = task.normalVelocityNoise ? c * rng.normal() : rng.uniform(-c, c) }
        begin(observation: observation)
    }

    private func begin(observation: UnsafeMutablePointer<Float>) {
        mj_forward(m, d)
        elapsedSteps = 0
        started = true
        position = currentPosition()
        writeObservation(observation)
    }

    public func step(action: UnsafePointer<Float>, observation: UnsafeMutablePointer<Float>) -> StepOutcome {
        precondition(started, "\(task.rawValue).step called before reset")
        let ctrl = d.pointee.ctrl!
        var controlCost = 0.0
        for i in 0..<nu {
            let a = min(max(Double(action[i]), low), high)
            ctrl[i] = a
            controlCost += a * a
        }
        let before = position
        if timesPhysics {
            let start = MonotonicSeconds.now()
            for _ in 0..<task.frameSkip { mj_step(m, d) }
            physicsSeconds += MonotonicSeconds.now() - start
        } else {
            for _ in 0..<task.frameSkip { mj_step(m, d) }
        }
        if task.observesBodies { mj_rnePostConstraint(m, d) }
        position = currentPosition()
        elapsedSteps += 1
        let xVelocity = (position.x - before.x) / dt
        let qpos = d.pointee.qpos!
        var reward: Double, healthy = true
        switch task {
        case .halfCheetah:
            reward = xVelocity - 0.1 * controlCost
        case .hopper:
            reward = xVelocity + 1 - 1e-3 * controlCost
            let z = qpos[1], angle = qpos[2]
            healthy = z > 0.7 && angle > -0.2 && angle < 0.2
            if healthy {
                for i in 2..<nq where !(qpos[i] > -100 && qpos[i] < 100) { healthy = false; break }
                for i in 0..<nv where !(d.pointee.qvel[i] > -100 && d.pointee.qvel[i] < 100) { healthy = false; break }
            }
        case .walker2d:
            reward = xVelocity + 1 - 1e-3 * controlCost
            let z = qpos[1], angle = qpos[2]
            healthy = z > 0.8 && z < 2.0 && angle > -1 && angle < 1
        case .ant:
            reward = xVelocity + 1 - 0.5 * controlCost
            let z = qpos[2]
            healthy = z >= 0.2 && z <= 1.0
            if healthy {
                for i in 0..<nq where !qpos[i].isFinite { healthy = false; break }
                for i in 0..<nv where !d.pointee.qvel[i].isFinite { healthy = false; break }
            }
        case .humanoid:
            reward = 1.25 * xVelocity + 5 - 0.1 * controlCost
            let z = qpos[2]
            healthy = z > 1.0 && z < 2.0
        case .humanoidStandup:
            var impact = 0.0
            let f = d.pointee.cfrc_ext!
            for i in 0..<(nbody * 6) { impact += f[i] * f[i] }
            reward = qpos[2] / m.pointee.opt.timestep - 0.1 * controlCost - min(0.5e-6 * impact, 10) + 1
        }
        writeObservation(observation)
        let terminated = !healthy
        return StepOutcome(reward: reward, terminated: terminated,
                           truncated: !terminated && elapsedSteps >= MuJoCoTask.timeLimit)
    }

    /// The x, y the forward reward differentiates.
    private func currentPosition() -> (x: Double, y: Double) {
        switch task {
        case .halfCheetah, .hopper, .walker2d:
            return (d.pointee.qpos[0], 0)
        case .ant:
            return (d.pointee.xpos[3 * torso], d.pointee.xpos[3 * torso + 1])
        case .humanoid:
            var x = 0.0, y = 0.0
            let mass = m.pointee.body_mass!, xipos = d.pointee.xipos!
            for b in 0..<nbody { x += mass[b] * xipos[3 * b]; y += mass[b] * xipos[3 * b + 1] }
            return (x / totalMass, y / totalMass)
        case .humanoidStandup:
            return (0, 0)
        }
    }

    private func writeObservation(_ out: UnsafeMutablePointer<Float>) {
        var k = 0
        @inline(__always) func put(_ p: UnsafeMutablePointer<Double>, _ count: Int) {
            for i in 0..<count { out[k + i] = Float(p[i]) }
            k += count
        }
        put(d.pointee.qpos + task.excludedPositions, nq - task.excludedPositions)
        if task.clipsVelocities {
            let qvel = d.pointee.qvel!
            for i in 0..<nv { out[k + i] = Float(min(max(qvel[i], -10), 10)) }
            k += nv
        } else {
            put(d.pointee.qvel, nv)
        }
        guard task.observesBodies else { return }
        put(d.pointee.cinert, nbody * 10)
        put(d.pointee.cvel, nbody * 6)
        put(d.pointee.qfrc_actuator, nv)
        put(d.pointee.cfrc_ext, nbody * 6)
    }
}

extension MuJoCoEnvironment: Codable {
    public func encode(to encoder: Encoder) throws {
        try state.encode(to: encoder)
    }

    public convenience init(from decoder: Decoder) throws {
        try self.init(restoring: MuJoCoState(from: decoder))
    }
}

extension MuJoCoEnvironment: SnapshotEnvironment {
    static func states(_ environments: [MuJoCoEnvironment]) -> EnvironmentStates {
        .mujoco(environments.map(\.state))
    }
}
