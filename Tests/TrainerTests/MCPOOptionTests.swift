import Foundation
import Testing
@testable import Trainer

/// MCPO's open-question switches (docs/method.md §5): every value trains, resumes bit-identically
/// and changes what it says it changes.
private func mcpoConfig(_ choices: [String: String], steps: Int = 4 * 128 * 3) -> TrainingConfig {
    var c = smallConfig(steps: steps)
    c.method = "MCPO"
    c.params = ["N": 4]
    c.choices = choices
    c.evalEpisodes = 0
    return c
}

private let optionValues: [[String: String]] = MCPO.optionChoices
    .filter { $0.key != "ablation" }
    .sorted { $0.key < $1.key }
    .flatMap { key, values in values.dropFirst().map { [key: $0] } }

@Test(arguments: optionValues)
func everyOptionTrainsAndResumesBitIdentically(_ choices: [String: String]) throws {
    let config = mcpoConfig(choices)
    let straightSink = MemoryMetricSink()
    let straight = try Trainer(config: config)
    try straight.train(sink: straightSink)
    #expect(straightSink.rows.allSatisfy { $0.metrics.values.allSatisfy(\.isFinite) })
    let sink = MemoryMetricSink()
    var trainer = try Trainer(config: config)
    try trainer.runIteration(sink: sink)
    trainer = try Trainer(checkpointData: try trainer.checkpointData(), format: Trainer.checkpointFormat)
    try trainer.train(sink: sink)
    #expect(sink.rows.map(\.metrics) == straightSink.rows.map(\.metrics))
}

@Test func optionsChangeTheRun() throws {
    func rows(_ choices: [String: String]) throws -> [[String: Double]] {
        let sink = MemoryMetricSink()
        try Trainer(config: mcpoConfig(choices)).train(sink: sink)
        return sink.rows.map(\.metrics)
    }
    let paper = try rows([:])
    for choices in optionValues where choices != ["variant": "paper"] && choices != ["variant": "chosen"] {
        #expect(try rows(choices) != paper, "\(choices) trains like the paper-literal MCPO")
    }
    // beta_when: iteration holds one β for a whole iteration.
    for row in try rows(["beta_when": "iteration"]) {
        #expect(row["beta_max_fraction"] == 0 || row["beta_max_fraction"] == 1)
    }
    // forget_gate: standardized moves α_t away from ½ (the paper's gate stays within 0.01 of it).
    let standardized = try rows(["forget_gate": "standardized"])
    for (s, p) in zip(standardized, paper) {
        #expect(s["alpha_deviation"]! > 0.05)
        #expect(p["alpha_deviation"]! < s["alpha_deviation"]! / 5)
    }
}

@Test func writeCheckNextNeedsMinibatchWrites() {
    #expect(throws: TrainerError.self) {
        try Trainer(config: mcpoConfig(["write_check": "next", "write_every": "iteration"]))
    }
}
