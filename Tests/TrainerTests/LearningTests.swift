import Testing
@testable import Trainer

/// A short release-mode learning check: PPO with the paper's classic settings improves Pendulum
/// far beyond a random policy (about −1,200) within 200k steps.
@Test func ppoLearnsPendulum() throws {
    var config = TrainingConfig(method: "PPO", env: "Pendulum", seed: 3, steps: 8192 * 25, params: ["clip": 0.2])
    config.actors = 4
    let trainer = try Trainer(config: config)
    let sink = MemoryMetricSink()
    try trainer.train(sink: sink)
    let first = try #require(sink.rows.first { $0.metrics[MetricKey.score] != nil }?.metrics[MetricKey.score])
    let last = try #require(sink.last(MetricKey.score))
    #expect(first < -900, "untrained score \(first)")
    #expect(last > -700, "score after 200k steps \(last)")
}
