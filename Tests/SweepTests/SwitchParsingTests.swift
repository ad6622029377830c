import Foundation
import Testing
import Trainer
@testable import Sweep

/// Issue 12's settings in sweep files: the base code's switches, evaluation, and MCPO's options
/// with their recommended defaults.
@Suite struct SwitchParsingTests {
    @Test func baseCodeSwitchesAndEvaluationAreSettings() throws {
        let spec = try parse("""
            name: s
            seeds: 1
            defaults: {advantage_norm: batch, value_clip: 0.2, lr_schedule: linear, eval_every: 5, eval_episodes: 0}
            envs: {Pendulum: {steps: 100, time_limit: terminal}}
            methods: {PPO: {clip: 0.2}}
            """)
        let c = try #require(spec.expand().first?.config)
        #expect(c.advantageNorm == .batch && c.valueClip == 0.2 && c.lrSchedule == .linear && c.timeLimit == .terminal)
        #expect(c.evalEvery == 5 && c.evalEpisodes == 0)
    }

    @Test func badSwitchValuesGetOneLine() {
        let cases = [
            ("advantage_norm: batches", "test.yaml:3:28: key 'defaults.advantage_norm': expected one of minibatch, batch, found the string 'batches'"),
            ("value_clip: 0", "test.yaml:3:24: key 'defaults.value_clip': expected a number > 0 (omit the key for no value clipping), found 0"),
            ("eval_episodes: -1", "test.yaml:3:27: key 'defaults.eval_episodes': expected an integer in [0, 1024], found -1"),
            ("eval_every: 0", "test.yaml:3:24: key 'defaults.eval_every': expected an integer in [1, 1000000], found 0"),
        ]
        for (setting, message) in cases {
            let yaml = "name: s\nseeds: 1\ndefaults: {\(setting)}\nenvs: {Pendulum: {steps: 100}}\nmethods: {PPO: {clip: 0.2}}\n"
            #expect(throws: SweepFileError.self) { try parse(yaml) }
            do { _ = try parse(yaml) } catch { #expect("\(error)" == message) }
        }
    }

    @Test func mcpoRunsNameTheRecommendedOptionsUnlessPaperIsAsked() throws {
        let info = try #require(MethodCatalog.method(named: "MCPO"))
        let spec = try parse("""
            name: s
            seeds: 1
            envs: {Pendulum: {steps: 100}}
            methods: {MCPO: {N: 10, variant: [chosen, paper]}}
            """)
        let runs = spec.expand()
        #expect(runs.count == 2)
        #expect(runs[0].config.choices == info.recommended)
        #expect(runs[1].config.choices == ["variant": "paper"])
        // An option the sweep sets wins over its recommendation.
        for (key, values) in info.recommended {
            let other = try #require(info.choices[key]?.first { $0 != values })
            let one = try parse("name: s\nseeds: 1\nenvs: {Pendulum: {steps: 100}}\nmethods: {MCPO: {N: 10, \(key): \(other)}}\n")
            #expect(one.expand()[0].config.choices[key] == (info.choices[key]![0] == other ? nil : other))
        }
    }

    @Test func labelsShowWhatDiffersFromTheChosenDefaults() throws {
        let info = try #require(MethodCatalog.method(named: "MCPO"))
        let chosen = try parse("name: s\nseeds: 1\nenvs: {Pendulum: {steps: 100}}\nmethods: {MCPO: {N: 10}}\n").expand()[0]
        #expect(info.distinguishing(chosen.config.choices).isEmpty)  // a run of the defaults: no label
        #expect(info.distinguishing(["variant": "paper"]) == ["variant": "paper"])
        #expect(info.distinguishing(["variant": "paper", "ablation": "no_psi"]) == ["variant": "paper", "ablation": "no_psi"])
        // A stored run from before the recommendations ran the first values: they are its label.
        var old: [String: String] = [:]
        for key in info.recommended.keys { old[key] = info.choices[key]![0] }
        #expect(info.distinguishing([:]) == old)
        #expect(info.distinguishing(info.recommended.merging(["ablation": "mean_psi"]) { a, _ in a }) == ["ablation": "mean_psi"])
    }
}
