import Environments
import LinearAlgebra
import Networks

/// The whole training state of a run: parameters, optimiser moments, normalisers, generators,
/// environment states and the method's `State`. It exists only on the way to or from checkpoint
/// bytes (`Trainer.checkpointData()`, `Trainer(checkpointData:format:)`): built from the trainer's
/// live buffers and encoded at once, or decoded into fresh ones and adopted by a new trainer. The
/// bytes are the one copy of a run's state; tests compare states by comparing them.
struct TrainingState: Codable {
    let config: TrainingConfig
    let stepsDone: Int
    let iteration: Int
    let updatesDone: Int
    /// Built from `config` through its initialiser, then given its encoded `State`.
    let method: any PolicyObjective
    let parameters: FloatBuffer
    let adam: Adam
    let observationStatistics: RunningMeanStd?
    let rewardScaler: RewardScaler?
    let rng: SeededGenerator
    let episodes: EpisodeTracker
    let environment: VectorEnvSnapshot
}

/// Codable by hand: the method is rebuilt from `config`, then given its encoded `State`.
extension TrainingState {
    enum CodingKeys: String, CodingKey {
        case config, stepsDone, iteration, updatesDone, method, parameters, adam, observationStatistics
        case rewardScaler, rng, episodes, environment
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        config = try c.decode(TrainingConfig.self, forKey: .config)
        stepsDone = try c.decode(Int.self, forKey: .stepsDone)
        iteration = try c.decode(Int.self, forKey: .iteration)
        updatesDone = try c.decode(Int.self, forKey: .updatesDone)
        method = try MethodCatalog.make(config)
        try method.restoreState(from: c, forKey: .method)
        parameters = try c.decode(FloatBuffer.self, forKey: .parameters)
        adam = try c.decode(Adam.self, forKey: .adam)
        observationStatistics = try c.decodeIfPresent(RunningMeanStd.self, forKey: .observationStatistics)
        rewardScaler = try c.decodeIfPresent(RewardScaler.self, forKey: .rewardScaler)
        rng = try c.decode(SeededGenerator.self, forKey: .rng)
        episodes = try c.decode(EpisodeTracker.self, forKey: .episodes)
        environment = try c.decode(VectorEnvSnapshot.self, forKey: .environment)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(config, forKey: .config)
        try c.encode(stepsDone, forKey: .stepsDone)
        try c.encode(iteration, forKey: .iteration)
        try c.encode(updatesDone, forKey: .updatesDone)
        try method.encodeState(into: &c, forKey: .method)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(adam, forKey: .adam)
        try c.encodeIfPresent(observationStatistics, forKey: .observationStatistics)
        try c.encodeIfPresent(rewardScaler, forKey: .rewardScaler)
        try c.encode(rng, forKey: .rng)
        try c.encode(episodes, forKey: .episodes)
        try c.encode(environment, forKey: .environment)
    }
}
