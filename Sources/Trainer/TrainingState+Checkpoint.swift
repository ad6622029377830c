import BinaryCoding
import Foundation

/// A run's state as checkpoint bytes: `BinaryCoding` (keys kept, float buffers as raw bits), so
/// MCPO's memory of N parameter vectors costs 4 bytes per value and round-trips exactly.
extension Trainer {
    /// The version of the checkpoint layout; bump it when `TrainingState` or a method's `State`
    /// changes shape so that an old checkpoint is refused (the run restarts) instead of being
    /// misread. 2: a method's state is its `PolicyObjective.State`, its parameters come from the config.
    /// 3: MCPO's state holds the β of beta_when: iteration.
    public static let checkpointFormat = 3

    /// The whole state as bytes, encoded at once from the live buffers (between iterations).
    public func checkpointData() throws -> Data {
        let state = TrainingState(
            config: config, stepsDone: stepsDone, iteration: iteration, updatesDone: updatesDone, method: method,
            parameters: θ, adam: adam, observationStatistics: observationStatistics, rewardScaler: rewardScaler,
            rng: rng, episodes: episodes, environment: env.snapshot())
        return try BinaryEncoder().encode(state)
    }

    /// Continues the run whose `checkpointData()` (written with `format`) these bytes are;
    /// throws `TrainerError.invalidCheckpoint` for bytes it cannot read.
    public convenience init(checkpointData data: Data, format: Int) throws {
        guard format == Self.checkpointFormat else {
            throw TrainerError.invalidCheckpoint("format \(format), this mcpo reads format \(Self.checkpointFormat)")
        }
        let state: TrainingState
        do {
            state = try BinaryDecoder().decode(TrainingState.self, from: data)
        } catch let error as TrainerError {
            throw error
        } catch {
            throw TrainerError.invalidCheckpoint("\(error)")
        }
        try self.init(config: state.config, resuming: state)
    }
}
