import Foundation
import Testing
@testable import Trainer

/// A run checkpointed (as bytes) at any iteration boundary and resumed in a new trainer records
/// exactly the metrics, and ends with exactly the parameters, of an uninterrupted run.
struct CheckpointCase: Sendable, CustomTestStringConvertible {
    let method: String
    let env: String
    let params: [String: Double]
    var testDescription: String { "\(method) on \(env)" }
}

@Test(arguments: [
    CheckpointCase(method: "PPO", env: "Pendulum", params: ["clip": 0.2]),
    CheckpointCase(method: "KLFixed", env: "Pendulum", params: ["beta": 0.1]),
    CheckpointCase(method: "KLAdaptive", env: "Pendulum", params: ["d_targ": 0.01]),
    CheckpointCase(method: "MDPO", env: "Pendulum", params: ["beta0": 1]),
    CheckpointCase(method: "VMPO", env: "Pendulum", params: ["alpha0": 0.5]),
    CheckpointCase(method: "MCPO", env: "Pendulum", params: ["N": 3]),
    CheckpointCase(method: "MCPO", env: "LunarLander", params: ["N": 4]),
    CheckpointCase(method: "PPO", env: "LunarLanderContinuous", params: ["clip": 0.2]),
    CheckpointCase(method: "TRPO", env: "Pendulum", params: ["delta": 0.01]),
    CheckpointCase(method: "TRPO", env: "LunarLander", params: ["delta": 0.01]),
    CheckpointCase(method: "MCPO", env: "Hopper", params: ["N": 3]),
])
func checkpointBytesResumeBitIdentically(_ c: CheckpointCase) throws {
    var config = smallConfig(steps: 4 * 128 * 4)
    config.method = c.method
    config.env = c.env
    config.params = c.params
    let straightSink = MemoryMetricSink()
    let straight = try Trainer(config: config)
    try straight.train(sink: straightSink)
    for boundary in [1, 3] {
        let sink = MemoryMetricSink()
        var trainer = try Trainer(config: config)
        for _ in 0..<boundary { try trainer.runIteration(sink: sink) }
        let data = try trainer.checkpointData()
        // Twice through the bytes: a resumed run can be checkpointed again.
        trainer = try Trainer(checkpointData: data, format: Trainer.checkpointFormat)
        #expect(try trainer.checkpointData() == data)
        try trainer.train(sink: sink)
        #expect(sink.rows.map(\.step) == straightSink.rows.map(\.step))
        #expect(sink.rows.map(\.metrics) == straightSink.rows.map(\.metrics), "resumed after iteration \(boundary)")
        #expect(trainer.θ.array.map(\.bitPattern) == straight.θ.array.map(\.bitPattern))
    }
}

@Test func checkpointBytesAreCompact() throws {
    var config = smallConfig()
    config.method = "MCPO"
    config.params = ["N": 40]
    let trainer = try Trainer(config: config)
    try trainer.runIteration(sink: MemoryMetricSink())
    let data = try trainer.checkpointData()
    // The memory (40 parameter vectors) dominates: about 4 bytes per float in all.
    let floats = (40 + 4) * trainer.θ.count
    #expect(data.count > 4 * floats && data.count < 4 * floats + 64 * 1024, "\(data.count) bytes for \(floats) floats")
}

/// A method's state carries what it changes while training and nothing of its parameters, and it
/// refuses a state that does not fit them (another N).
@Test func aMethodStateFitsOnlyItsOwnParameters() throws {
    var config = smallConfig()
    config.method = "MCPO"
    config.params = ["N": 3]
    let trainer = try Trainer(config: config)
    try trainer.runIteration(sink: MemoryMetricSink())
    let state = try stateBytes(trainer.method)
    let same = try MCPO(MethodParameters(["N": 3], learningRate: config.lr, seed: config.seed))
    try restore(same, from: state)
    #expect(try stateBytes(same) == state)
    let other = try MCPO(MethodParameters(["N": 4], learningRate: config.lr, seed: config.seed))
    #expect(throws: TrainerError.self) { try restore(other, from: state) }
    // Stateless methods write an empty state.
    #expect(try stateBytes(PPO(MethodParameters())).count < 8)
}

@Test func anOtherFormatOrDamagedBytesAreRefused() throws {
    let trainer = try Trainer(config: smallConfig())
    let data = try trainer.checkpointData()
    #expect(throws: TrainerError.self) { try Trainer(checkpointData: data, format: Trainer.checkpointFormat + 1) }
    #expect(throws: TrainerError.self) {
        try Trainer(checkpointData: data.prefix(data.count / 2), format: Trainer.checkpointFormat)
    }
}

@Test func nonFiniteParametersOrLossesAreADivergenceAtTheLastGoodStep() throws {
    var config = smallConfig()
    config.lr = 1e30
    let trainer = try Trainer(config: config)
    let sink = MemoryMetricSink()
    #expect { try trainer.train(sink: sink) } throws: { error in
        guard case let .diverged(step, _) = error as? TrainerError else { return false }
        return step == (sink.rows.last?.step ?? 0)
    }
}

@Test func anInterruptionAbandonsTheIteration() throws {
    let trainer = try Trainer(config: smallConfig())
    try trainer.runIteration(sink: MemoryMetricSink())
    var asked = 0
    trainer.interruption = { asked += 1; return asked > 3 }
    #expect(throws: TrainerError.interrupted(step: 512)) { try trainer.runIteration(sink: MemoryMetricSink()) }
    #expect(throws: TrainerError.interrupted(step: 512)) { try trainer.runIteration(sink: MemoryMetricSink()) }
}
