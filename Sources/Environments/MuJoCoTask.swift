/// The six MuJoCo tasks of the paper's Table 2 with gymnasium 1.4's v4 semantics (the v2
/// formulas on a current engine; docs/environments.md lists each choice and its difference from v2).
public enum MuJoCoTask: String, Codable, CaseIterable, Sendable {
    case halfCheetah = "HalfCheetah"
    case hopper = "Hopper"
    case walker2d = "Walker2d"
    case ant = "Ant"
    case humanoid = "Humanoid"
    case humanoidStandup = "HumanoidStandup"

    /// gymnasium 1.4.0's model file (envs/mujoco/assets).
    public var modelFile: String {
        switch self {
        case .halfCheetah: return "half_cheetah.xml"
        case .hopper: return "hopper.xml"
        case .walker2d: return "walker2d.xml"
        case .ant: return "ant.xml"
        case .humanoid: return "humanoid.xml"
        case .humanoidStandup: return "humanoidstandup.xml"
        }
    }

    /// mj_step calls per environment step.
    public var frameSkip: Int {
        switch self {
        case .hopper, .walker2d: return 4
        case .halfCheetah, .ant, .humanoid, .humanoidStandup: return 5
        }
    }

    /// Reset noise: qpos += U(−c, c); qvel += c·N(0, 1) (`normalVelocityNoise`) or U(−c, c).
    public var resetNoise: Double {
        switch self {
        case .halfCheetah, .ant: return 0.1
        case .hopper, .walker2d: return 5e-3
        case .humanoid, .humanoidStandup: return 1e-2
        }
    }

    var normalVelocityNoise: Bool { self == .halfCheetah || self == .ant }

    /// Leading qpos entries left out of the observation (the root's x, or x and y).
    var excludedPositions: Int {
        switch self {
        case .halfCheetah, .hopper, .walker2d: return 1
        case .ant, .humanoid, .humanoidStandup: return 2
        }
    }

    /// Whether velocities in the observation are clipped to [−10, 10] (Hopper, Walker2d).
    var clipsVelocities: Bool { self == .hopper || self == .walker2d }

    /// Humanoids observe cinert, cvel, qfrc_actuator and cfrc_ext too, which needs
    /// mj_rnePostConstraint after each step (MuJoCo ≥ 2.0 computes cfrc_ext only on request).
    var observesBodies: Bool { self == .humanoid || self == .humanoidStandup }

    /// The episode's time limit in steps (gymnasium's TimeLimit of every v4 task).
    public static let timeLimit = 1000
}
