import Testing
@testable import Trainer

@Test func klAdaptiveDoublesAndHalvesBeta() throws {
    let m = try KLAdaptive(MethodParameters(["d_targ": 0.01, "beta_init": 1]))
    m.iterationEnded(measuredKL: 0.0151)  // > 1.5·d_targ
    #expect(m.beta == 2)
    m.iterationEnded(measuredKL: 0.015)   // not above 1.5·d_targ, not below d_targ/1.5: unchanged
    #expect(m.beta == 2)
    m.iterationEnded(measuredKL: 0.0066)  // < d_targ/1.5 = 0.00667
    #expect(m.beta == 1)
    let fixed = try KLFixed(MethodParameters(["beta": 1]))
    fixed.iterationEnded(measuredKL: 100)
    #expect(fixed.beta == 1)
}

@Test func mdpoAnnealsBetaLinearlyToZero() throws {
    let m = try MDPO(MethodParameters(["beta0": 2]))
    #expect(m.beta(update: 0, totalUpdates: 100, updatesPerIteration: 10) == 2)
    #expect(m.beta(update: 25, totalUpdates: 100, updatesPerIteration: 10) == 1.5)
    #expect(m.beta(update: 100, totalUpdates: 100, updatesPerIteration: 10) == 0)
}

@Test func mdpoOriginalScheduleGrowsAsOneOverTk() throws {
    // K = 4 iterations of 10 updates: t_k = 1, 3/4, 1/2, 1/4, constant within an iteration.
    let m = try MDPO(MethodParameters(["beta0": 2], choices: ["schedule": "original"]))
    let betas = [0, 9, 10, 25, 39].map { m.beta(update: $0, totalUpdates: 40, updatesPerIteration: 10) }
    #expect(betas == [2, 2, 2 / 0.75, 4, 8])
    // Through the catalog and a trainer: the coefficient recorded per iteration follows β0/t_k.
    var config = smallConfig()  // 3 iterations
    config.method = "MDPO"
    config.params = ["beta0": 1]
    config.choices = ["schedule": "original"]
    let sink = MemoryMetricSink()
    try Trainer(config: config).train(sink: sink)
    let recorded = sink.rows.map { $0.metrics["beta"]! }
    #expect(zip(recorded, [1, 1.5, 3]).allSatisfy { abs($0 - $1) < 1e-6 }, "\(recorded)")
}

@Test func trainerCountsUpdatesAgainstTheRunTotal() throws {
    // 3 iterations × 2 epochs × (512 / 32) minibatches.
    let trainer = try Trainer(config: smallConfig())
    #expect(trainer.totalUpdates == 3 * 2 * 16)
    try trainer.train(sink: MemoryMetricSink())
    #expect(trainer.updatesDone == trainer.totalUpdates)
}

@Test func klAdaptiveBetaFollowsTheMeasuredKLOfEachIteration() throws {
    var config = smallConfig()
    config.method = "KLAdaptive"
    config.params = ["d_targ": 1e-9]  // any real update overshoots: β must double every iteration
    let trainer = try Trainer(config: config)
    let sink = MemoryMetricSink()
    try trainer.train(sink: sink)
    // β in force during iteration k is 2^k (it starts at beta_init = 1).
    #expect(sink.rows.map { $0.metrics["beta"] } == [1, 2, 4])
    #expect(sink.rows.allSatisfy { ($0.metrics[MetricKey.klOldNew] ?? 0) > 1e-9 })
}

@Test func unknownHyperparameterIsRejectedWithTheValidOnes() {
    var config = smallConfig()
    config.params = ["beta": 1]
    #expect(throws: TrainerError.invalidConfig("PPO has no hyperparameter 'beta'; valid: clip")) {
        try Trainer(config: config)
    }
}
