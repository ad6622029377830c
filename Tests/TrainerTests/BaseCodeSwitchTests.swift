import Environments
import Foundation
import LinearAlgebra
import Networks
import Testing
@testable import Trainer

/// The base code's details as switches (issue 12): advantage_norm, value_clip, lr_schedule,
/// time_limit. Defaults are this project's first behaviour and absent from a config's JSON.

@Test func switchesAtTheirDefaultsLeaveTheConfigJSONAsBefore() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let plain = String(decoding: try encoder.encode(smallConfig()), as: UTF8.self)
    for key in ["advantage_norm", "value_clip", "lr_schedule", "time_limit", "eval_every", "eval_episodes"] {
        #expect(!plain.contains(key))
    }
    var set = smallConfig()
    (set.advantageNorm, set.valueClip, set.lrSchedule, set.timeLimit) = (.batch, 0.2, .linear, .terminal)
    (set.evalEvery, set.evalEpisodes) = (3, 0)
    let json = try encoder.encode(set)
    let text = String(decoding: json, as: UTF8.self)
    #expect(text.contains(#""advantage_norm":"batch""#) && text.contains(#""value_clip":0.2"#))
    #expect(text.contains(#""lr_schedule":"linear""#) && text.contains(#""time_limit":"terminal""#))
    #expect(try JSONDecoder().decode(TrainingConfig.self, from: json) == set)
}

@Test func valueClipLossAndGradientMatchTheMaxFormAndFiniteDifferences() throws {
    var config = smallConfig()
    config.valueClip = 0.05
    let rows = 16
    let trainer = try preparedTrainer(config, rows: rows)
    let s = trainer.scratch
    // V_θold around V_θ (inside and outside ±ε on both sides), so that both branches occur.
    let ws = MLPWorkspace(layout: trainer.net.value, capacity: rows)
    let v = MLP.forward(parameters: trainer.θ.pointer, input: s.mbObservations.pointer, rows: rows, workspace: ws)
    let offsets: [Float] = [0.3, -0.3, 0.02, -0.02]
    for r in 0..<rows { s.mbOldValues[r] = v[r] + offsets[r % 4] }
    let value = trainer.minibatchLossAndGradient(rows: rows).value
    let analytic = trainer.gradient.array.map(Double.init)
    // The loss by hand from V_θ.
    var expected = 0.0, clippedRows = 0
    for r in 0..<rows {
        let d = Double(v[r] - s.mbReturns[r]), delta = Double(v[r] - s.mbOldValues[r])
        let dc = Double(s.mbOldValues[r]) + min(max(delta, -0.05), 0.05) - Double(s.mbReturns[r])
        if dc * dc > d * d { clippedRows += 1 }
        expected += max(d * d, dc * dc) / Double(rows)
    }
    #expect(clippedRows > 0 && clippedRows < rows)
    #expect(abs(Double(value) - expected) < 1e-4 * max(expected, 1))
    let net = trainer.net
    for i in [net.value.weightOffsets[0] + 50, net.value.weightOffsets[1] + 2000, net.value.biasOffsets[1] + 7,
              net.value.weightOffsets[2] + 63, net.value.biasOffsets[2]] {
        let saved = trainer.θ[i], eps: Float = 1e-3
        trainer.θ[i] = saved + eps
        let plus = Double(trainer.minibatchLossAndGradient(rows: rows).value)
        trainer.θ[i] = saved - eps
        let minus = Double(trainer.minibatchLossAndGradient(rows: rows).value)
        trainer.θ[i] = saved
        let fd = config.c1 * (plus - minus) / Double(2 * eps)
        let err = abs(fd - analytic[i]) / max(abs(fd), abs(analytic[i]), 1e-2)
        #expect(err < 3e-2, "θ[\(i)]: analytic \(analytic[i]) vs finite difference \(fd)")
    }
}

@Test func batchAdvantageNormalisationIsOncePerRollout() throws {
    var config = smallConfig()
    config.advantageNorm = .batch
    let trainer = try Trainer(config: config)
    trainer.collectRollout()
    trainer.buffer.computeAdvantages(gamma: 0.99, lambda: 0.95)
    let raw = trainer.buffer.advantages.array, returns = trainer.buffer.returns.array
    trainer.buffer.normalizeAdvantages()
    let a = trainer.buffer.advantages.array.map(Double.init), n = Double(a.count)
    let mean = a.reduce(0, +) / n
    let std = (a.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
    #expect(abs(mean) < 1e-5)
    #expect(abs(std - 1) < 1e-4)
    #expect(trainer.buffer.returns.array == returns)  // V_target keeps the raw advantages
    #expect(a.map(Float.init) != raw)
    // A minibatch then carries the rollout-normalised values unchanged.
    trainer.scratch.permutation = (0..<Int32(trainer.buffer.count)).map { $0 }
    trainer.gatherMinibatch(from: 40, rows: 16)
    #expect((0..<16).map { trainer.scratch.mbAdvantages[$0] } == (40..<56).map { Float(a[$0]) })
}

@Test func linearScheduleDecaysTheStepSizePerIteration() throws {
    var config = smallConfig()
    config.lrSchedule = .linear
    let trainer = try Trainer(config: config)
    var seen: [Float] = []
    for _ in 0..<3 {
        try trainer.runIteration(sink: MemoryMetricSink())
        seen.append(trainer.adam.learningRate)
    }
    let expected: [Float] = [0.0, 1.0, 2.0].map { (i: Double) -> Float in Float(3e-4 * (1 - i / 3)) }
    #expect(seen == expected)
    let constant = try Trainer(config: smallConfig())
    try constant.runIteration(sink: MemoryMetricSink())
    #expect(constant.adam.learningRate == Float(3e-4))
}

@Test func terminalTimeLimitsDoNotBootstrap() throws {
    for limit in TrainingConfig.TimeLimit.allCases {
        var config = smallConfig()
        config.horizon = 256  // Pendulum truncates every episode at step 200
        config.timeLimit = limit
        let trainer = try Trainer(config: config)
        trainer.collectRollout()
        let ends = (0..<trainer.buffer.count).filter { trainer.buffer.episodeEnded[$0] }
        let truncations = ends.filter { trainer.buffer.truncated[$0] }
        #expect(ends.count == config.actors)
        #expect(truncations.count == (limit == .bootstrap ? config.actors : 0))
    }
}
