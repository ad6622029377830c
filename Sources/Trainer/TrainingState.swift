import Environments
import LinearAlgebra
import Networks

/// The whole training state of a run as one Codable value: parameters, optimiser moments,
/// normalisers, generators and environment states. `Trainer(state:)` continues from it and
/// produces exactly the metrics an uninterrupted run would have.
public struct TrainingState: Codable {
    public var config: TrainingConfig
    public var stepsDone: Int
    public var iteration: Int
    public var updatesDone: Int
    var method: PolicyMethod
    public var parameters: FloatBuffer
    public var adam: Adam
    public var observationStatistics: RunningMeanStd?
    public var rewardScaler: RewardScaler?
    public var rng: SeededGenerator
    var episodes: EpisodeTracker
    public var environment: VectorEnvSnapshot
}

extension Trainer {
    /// A snapshot taken between iterations (deep copies: the trainer can keep running).
    public func state() -> TrainingState {
        TrainingState(
            config: config, stepsDone: stepsDone, iteration: iteration, updatesDone: updatesDone, method: method,
            parameters: θ.clone(),
            adam: adam.copy(), observationStatistics: observationStatistics, rewardScaler: rewardScaler,
            rng: rng, episodes: episodes, environment: env.snapshot())
    }
}
