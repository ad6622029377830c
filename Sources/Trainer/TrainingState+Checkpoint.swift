import BinaryCoding
import Foundation

/// A run state as checkpoint bytes: `BinaryCoding` (keys kept, float buffers as raw bits), so
/// MCPO's memory of N parameter vectors costs 4 bytes per value and round-trips exactly.
extension TrainingState {
    /// The version of the checkpoint layout; bump it when `TrainingState` changes shape so that
    /// an old checkpoint is refused (the run restarts) instead of being misread.
    public static let checkpointFormat = 1

    public func checkpointData() throws -> Data {
        try BinaryEncoder().encode(self)
    }

    /// Reads `checkpointData()` written with `format`; throws `TrainerError.invalidCheckpoint`.
    public init(checkpointData data: Data, format: Int) throws {
        guard format == Self.checkpointFormat else {
            throw TrainerError.invalidCheckpoint("format \(format), this mcpo reads format \(Self.checkpointFormat)")
        }
        do {
            self = try BinaryDecoder().decode(TrainingState.self, from: data)
        } catch {
            throw TrainerError.invalidCheckpoint("\(error)")
        }
    }
}
