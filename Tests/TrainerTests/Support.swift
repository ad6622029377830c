import BinaryCoding
import Environments
import Foundation
import Testing
@testable import Trainer

/// A small PPO run on Pendulum: 3 iterations of 4 actors × 128 steps, 2 epochs of minibatches of 32.
func smallConfig(seed: UInt64 = 7, steps: Int = 4 * 128 * 3) -> TrainingConfig {
    var c = TrainingConfig(method: "PPO", env: "Pendulum", seed: seed, steps: steps, params: ["clip": 0.2])
    c.horizon = 128
    c.epochs = 2
    c.minibatchSize = 32
    return c
}

/// One gathered minibatch (rows 40..<40+rows of the first rollout) with θ moved away from θold,
/// ready for `minibatchLossAndGradient`.
func preparedTrainer(_ config: TrainingConfig, rows: Int = 16) throws -> Trainer {
    let trainer = try Trainer(config: config)
    trainer.collectRollout()
    trainer.buffer.computeAdvantages(gamma: 0.99, lambda: 0.95)
    trainer.θold.copy(from: trainer.θ)
    var noise = SeededGenerator(seed: 5, stream: 5)
    for i in 0..<trainer.θ.count { trainer.θ[i] += Float(noise.normal() * 0.02) }
    trainer.scratch.permutation = (0..<Int32(trainer.buffer.count)).map { $0 }
    trainer.gatherMinibatch(from: 40, rows: rows)
    return trainer
}

/// The same config trained straight through, and trained one iteration, checkpointed to bytes
/// and resumed in a new trainer.
struct ResumeComparison {
    let straight: Trainer, resumed: Trainer
    let straightRows: [[String: Double]], resumedRows: [[String: Double]]

    init(_ config: TrainingConfig) throws {
        let straightSink = MemoryMetricSink()
        straight = try Trainer(config: config)
        try straight.train(sink: straightSink)
        let first = MemoryMetricSink(), rest = MemoryMetricSink()
        let part = try Trainer(config: config)
        try part.runIteration(sink: first)
        resumed = try Trainer(checkpointData: try part.checkpointData(), format: Trainer.checkpointFormat)
        try resumed.train(sink: rest)
        straightRows = straightSink.rows.map(\.metrics)
        resumedRows = (first.rows + rest.rows).map(\.metrics)
    }

    var sameMetrics: Bool { straightRows == resumedRows }
    var sameParameters: Bool { straight.θ.array == resumed.θ.array }
}

/// Central differences in Double of a Float-vector function.
func finiteDifference(_ x: inout [Float], epsilon: Float = 1e-3, _ f: ([Float]) -> Double) -> [Double] {
    (0..<x.count).map { i in
        let saved = x[i]
        x[i] = saved + epsilon
        let plus = f(x)
        x[i] = saved - epsilon
        let minus = f(x)
        x[i] = saved
        return (plus - minus) / Double(2 * epsilon)
    }
}

/// A method's `State` alone as bytes (tests compare states by their bytes, and restore them).
func stateBytes(_ method: any PolicyObjective) throws -> Data {
    func encode<M: PolicyObjective>(_ m: M) throws -> Data { try BinaryEncoder().encode(m.state) }
    return try encode(method)
}

/// Restores a method's state from `stateBytes`.
func restore(_ method: any PolicyObjective, from bytes: Data) throws {
    func decode<M: PolicyObjective>(_ m: M) throws { try m.restore(BinaryDecoder().decode(M.State.self, from: bytes)) }
    try decode(method)
}

/// The trainer's method as its concrete type.
func method<M: PolicyObjective>(_ trainer: Trainer, as type: M.Type = M.self) throws -> M {
    try #require(trainer.method as? M)
}
