/// Errors raised when building environments.
public enum EnvironmentError: Error, CustomStringConvertible, Equatable {
    case unknown(String, valid: [String])
    case invalidSnapshot(String)
    /// A MuJoCo task's model file is not where the environments read it.
    case missingAsset(String)
    /// MuJoCo could not load a model file (path, MuJoCo's message).
    case invalidAsset(String, String)

    public var description: String {
        switch self {
        case let .unknown(name, valid):
            return "unknown environment '\(name)' (valid: \(valid.joined(separator: ", ")))"
        case let .invalidSnapshot(reason):
            return "invalid environment snapshot: \(reason)"
        case let .missingAsset(path):
            return "MuJoCo model \(path) not found: run scripts/install-deps.sh (it fetches gymnasium 1.4.0's models), "
                + "or set MCPO_MUJOCO_ASSETS to a folder holding them"
        case let .invalidAsset(path, message):
            return "MuJoCo could not load \(path): \(message)"
        }
    }
}

/// The environments the project can run, by id. A new environment kind is added here (one line),
/// as one case of `EnvironmentStates` with its `SnapshotEnvironment` conformance, and as one case
/// of the switch in `VectorEnv.init(snapshot:)`.
public enum EnvironmentCatalog {
    typealias Factory = @Sendable (Int, UInt64) throws -> any ActorBatch
    static let factories: [(name: String, make: Factory)] = classic + mujoco
    static let classic: [(name: String, make: Factory)] = [
        ("Pendulum", { TypedBatch(environments: Array(repeating: Pendulum(variant: .v1), count: $0), seed: $1) }),
        ("LunarLander", { TypedBatch(environments: (0..<$0).map { _ in LunarLander(continuous: false) }, seed: $1) }),
        ("LunarLanderContinuous", { TypedBatch(environments: (0..<$0).map { _ in LunarLander(continuous: true) }, seed: $1) }),
        ("BipedalWalker", { TypedBatch(environments: (0..<$0).map { _ in BipedalWalker(hardcore: false) }, seed: $1) }),
        ("BipedalWalkerHardcore", { TypedBatch(environments: (0..<$0).map { _ in BipedalWalker(hardcore: true) }, seed: $1) }),
        ("MiniGrid-Unlock", { TypedBatch(environments: Array(repeating: MiniGridUnlock(task: .unlock), count: $0), seed: $1) }),
        ("MiniGrid-UnlockPickup", { TypedBatch(environments: Array(repeating: MiniGridUnlock(task: .unlockPickup), count: $0), seed: $1) }),
    ]
    static let mujoco: [(name: String, make: Factory)] = MuJoCoTask.allCases.map { task in
        let make: Factory = { count, seed in
            TypedBatch(environments: try (0..<count).map { _ in try MuJoCoEnvironment(task: task) }, seed: seed)
        }
        return (task.rawValue, make)
    }

    public static let names: [String] = factories.map(\.name)
}

/// The saved environments of a vector, one case per environment kind.
public enum EnvironmentStates: Codable, Equatable, Sendable {
    case pendulum([Pendulum])
    case lunarLander([LunarLanderState])
    case bipedalWalker([BipedalWalkerState])
    case miniGrid([MiniGridUnlock])
    case mujoco([MuJoCoState])
}

/// Everything a `VectorEnv` needs to continue bit-identically.
public struct VectorEnvSnapshot: Codable, Equatable, Sendable {
    public var name: String
    public var seed: UInt64
    public var environments: EnvironmentStates
    public var generators: [SeededGenerator]
    /// The latest observation of every actor ([count × observationSize]).
    public var observations: [Float]
}

/// `count` copies of one environment, each with its own random stream `(seed, actor + 1)`,
/// reset automatically when an episode ends.
public final class VectorEnv {
    public let name: String
    public let count: Int
    public let observationSize: Int
    public let actionSpace: ActionSpace
    let batch: any ActorBatch

    public init(name: String, count: Int, seed: UInt64) throws {
        guard let entry = EnvironmentCatalog.factories.first(where: { $0.name == name }) else {
            throw EnvironmentError.unknown(name, valid: EnvironmentCatalog.names)
        }
        precondition(count > 0, "VectorEnv needs at least one actor")
        self.name = name
        self.count = count
        batch = try entry.make(count, seed)
        observationSize = batch.observationSize
        actionSpace = batch.actionSpace
    }

    public init(snapshot: VectorEnvSnapshot) throws {
        guard EnvironmentCatalog.names.contains(snapshot.name) else {
            throw EnvironmentError.unknown(snapshot.name, valid: EnvironmentCatalog.names)
        }
        let restored: any ActorBatch
        switch snapshot.environments {
        case let .pendulum(envs): restored = try TypedBatch(restoring: envs, snapshot: snapshot)
        case let .lunarLander(states): restored = try TypedBatch(restoring: states.map(LunarLander.init(restoring:)), snapshot: snapshot)
        case let .bipedalWalker(states): restored = try TypedBatch(restoring: states.map(BipedalWalker.init(restoring:)), snapshot: snapshot)
        case let .miniGrid(envs): restored = try TypedBatch(restoring: envs, snapshot: snapshot)
        case let .mujoco(states): restored = try TypedBatch(restoring: states.map(MuJoCoEnvironment.init(restoring:)), snapshot: snapshot)
        }
        name = snapshot.name
        count = restored.count
        batch = restored
        observationSize = restored.observationSize
        actionSpace = restored.actionSpace
    }

    /// Starts a new episode in every actor. observations: [count × observationSize].
    public func reset(observations: UnsafeMutablePointer<Float>) {
        batch.reset(observations: observations)
    }

    /// actions: [count × actionSpace.width]. Writes for each actor i: rewards[i], terminated[i],
    /// truncated[i]; if actor i's episode ended, its final observation goes to
    /// finalObservations[i*observationSize...] and the actor is reset, observations[i] being the
    /// new episode's first observation; otherwise observations[i] is the next observation.
    /// finalObservations rows of actors whose episode did not end are left untouched.
    public func step(actions: UnsafePointer<Float>, observations: UnsafeMutablePointer<Float>, rewards: UnsafeMutablePointer<Double>,
                     terminated: UnsafeMutablePointer<Bool>, truncated: UnsafeMutablePointer<Bool>, finalObservations: UnsafeMutablePointer<Float>) {
        batch.step(actions: actions, observations: observations, rewards: rewards,
                   terminated: terminated, truncated: truncated, finalObservations: finalObservations)
    }

    /// Copies the latest observation of every actor (as last written by reset/step) into `observations`.
    public func currentObservations(into observations: UnsafeMutablePointer<Float>) {
        batch.currentObservations(into: observations)
    }

    public func snapshot() -> VectorEnvSnapshot {
        batch.snapshot(name: name)
    }

    /// MuJoCo tasks: seconds spent inside mj_step by all actors since timing was switched on
    /// (`timePhysics()`); nil for other environments. For `mcpo-bench env`.
    public var physicsSeconds: Double? { batch.physicsSeconds }
    public func timePhysics() { batch.timePhysics() }
}

/// The per-kind engine behind `VectorEnv`: one existential call per vector step, the loop over
/// actors being specialised for the concrete environment.
protocol ActorBatch: AnyObject {
    var count: Int { get }
    var observationSize: Int { get }
    var actionSpace: ActionSpace { get }
    func reset(observations: UnsafeMutablePointer<Float>)
    func step(actions: UnsafePointer<Float>, observations: UnsafeMutablePointer<Float>, rewards: UnsafeMutablePointer<Double>,
              terminated: UnsafeMutablePointer<Bool>, truncated: UnsafeMutablePointer<Bool>, finalObservations: UnsafeMutablePointer<Float>)
    func currentObservations(into observations: UnsafeMutablePointer<Float>)
    func snapshot(name: String) -> VectorEnvSnapshot
    var physicsSeconds: Double? { get }
    func timePhysics()
}

/// An environment that can be saved inside a `VectorEnvSnapshot`.
protocol SnapshotEnvironment: Environment, Codable {
    static func states(_ environments: [Self]) -> EnvironmentStates
}

extension Pendulum: SnapshotEnvironment {
    static func states(_ environments: [Pendulum]) -> EnvironmentStates { .pendulum(environments) }
}

final class TypedBatch<E: SnapshotEnvironment>: ActorBatch {
    var environments: [E]
    var generators: [SeededGenerator]
    /// Latest observations, kept so a snapshot restores the caller's view as well.
    var latest: [Float]
    let seed: UInt64
    let observationSize: Int
    let actionSpace: ActionSpace
    let actionWidth: Int

    var count: Int { environments.count }

    init(environments: [E], seed: UInt64) {
        self.environments = environments
        self.seed = seed
        generators = (0..<environments.count).map { SeededGenerator(seed: seed, stream: UInt64($0) + 1) }
        observationSize = environments[0].observationSize
        actionSpace = environments[0].actionSpace
        actionWidth = actionSpace.width
        latest = Array(repeating: 0, count: environments.count * observationSize)
    }

    init(restoring environments: [E], snapshot: VectorEnvSnapshot) throws {
        guard !environments.isEmpty, snapshot.generators.count == environments.count else {
            throw EnvironmentError.invalidSnapshot("\(environments.count) environments, \(snapshot.generators.count) generators")
        }
        self.environments = environments
        seed = snapshot.seed
        generators = snapshot.generators
        observationSize = environments[0].observationSize
        actionSpace = environments[0].actionSpace
        actionWidth = actionSpace.width
        guard snapshot.observations.count == environments.count * observationSize else {
            throw EnvironmentError.invalidSnapshot("\(snapshot.observations.count) observation values for \(environments.count) actors")
        }
        latest = snapshot.observations
    }

    func reset(observations: UnsafeMutablePointer<Float>) {
        for i in 0..<environments.count {
            environments[i].reset(using: &generators[i], observation: observations + i * observationSize)
        }
        keep(observations)
    }

    func step(actions: UnsafePointer<Float>, observations: UnsafeMutablePointer<Float>, rewards: UnsafeMutablePointer<Double>,
              terminated: UnsafeMutablePointer<Bool>, truncated: UnsafeMutablePointer<Bool>, finalObservations: UnsafeMutablePointer<Float>) {
        let size = observationSize
        for i in 0..<environments.count {
            let observation = observations + i * size
            let outcome = environments[i].step(action: actions + i * actionWidth, observation: observation)
            rewards[i] = outcome.reward
            terminated[i] = outcome.terminated
            truncated[i] = outcome.truncated
            if outcome.terminated || outcome.truncated {
                (finalObservations + i * size).update(from: observation, count: size)
                environments[i].reset(using: &generators[i], observation: observation)
            }
        }
        keep(observations)
    }

    @inline(__always)
    private func keep(_ observations: UnsafeMutablePointer<Float>) {
        latest.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: observations, count: $0.count) }
    }

    var physicsSeconds: Double? {
        guard let mujoco = environments as? [MuJoCoEnvironment] else { return nil }
        return mujoco.reduce(0) { $0 + $1.physicsSeconds }
    }

    func timePhysics() {
        for case let env as MuJoCoEnvironment in environments { env.timesPhysics = true; env.physicsSeconds = 0 }
    }

    func currentObservations(into observations: UnsafeMutablePointer<Float>) {
        latest.withUnsafeBufferPointer { observations.update(from: $0.baseAddress!, count: $0.count) }
    }

    func snapshot(name: String) -> VectorEnvSnapshot {
        VectorEnvSnapshot(name: name, seed: seed, environments: E.states(environments),
                          generators: generators, observations: latest)
    }
}
