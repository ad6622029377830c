import Testing
@testable import Trainer

/// A short release-mode learning check per method: with the paper's classic settings each one
/// improves Pendulum far beyond a random policy (about −1,200) within 25 iterations (205k steps).
@Test(arguments: [("PPO", "clip", 0.2), ("KLFixed", "beta", 1), ("KLAdaptive", "d_targ", 0.01),
                  ("MDPO", "beta0", 0.5), ("VMPO", "alpha0", 1), ("MCPO", "N", 5)])
func learnsPendulum(method: String, key: String, value: Double) throws {
    var config = TrainingConfig(method: method, env: "Pendulum", seed: 3, steps: 8192 * 25, params: [key: value])
    config.actors = 4
    let trainer = try Trainer(config: config)
    let sink = MemoryMetricSink()
    try trainer.train(sink: sink)
    let first = try #require(sink.rows.first { $0.metrics[MetricKey.score] != nil }?.metrics[MetricKey.score])
    let last = try #require(sink.last(MetricKey.score))
    #expect(first < -900, "\(method): untrained score \(first)")
    #expect(last > -700, "\(method): score after 205k steps \(last)")
}
