import Foundation
import Testing
import Trainer
@testable import Sweep

/// Any training setting can be a grid axis, under `defaults`, an environment or a method
/// (issue 14), and a setting written once is stored as before.
@Suite struct SettingGridTests {
    func parse(_ yaml: String) throws -> SweepSpec { try SweepParser.parse(yaml: yaml, file: "grid.yaml") }

    @Test func aLearningRateListUnderDefaultsIsAnAxis() throws {
        let spec = try parse("""
            name: lr-study
            seeds: 2
            defaults: {steps: 4096, lr: [1.0e-3, 3.0e-4]}
            envs: {Pendulum: }
            methods: {PPO: }
            """)
        let runs = spec.expand()
        #expect(runs.map { "\($0.config.lr) \($0.config.seed)" } == ["0.001 0", "0.001 1", "0.0003 0", "0.0003 1"])
        #expect(Set(runs.map(\.configHash)).count == 4)
        #expect(spec.canonicalJSON.contains(#""lr":[0.001,0.0003]"#))
        // Every run stores its own rate, and the rest of its config is the same.
        var a = runs[0].config, b = runs[2].config
        (a.lr, b.lr) = (0, 0)
        #expect(a == b)
    }

    @Test func oneValueInAListIsTheSameSpecAsTheValue() throws {
        let listed = try parse("name: s\nseeds: 1\ndefaults: {steps: 10, epochs: [3]}\nenvs: {Pendulum: }\nmethods: {PPO: }\n")
        let plain = try parse("name: s\nseeds: 1\ndefaults: {steps: 10, epochs: 3}\nenvs: {Pendulum: }\nmethods: {PPO: }\n")
        #expect(listed.canonicalJSON == plain.canonicalJSON)
        #expect(listed.canonicalJSON.contains(#""epochs":3"#))
        #expect(listed.expand() == plain.expand())
    }

    @Test func axesFromDefaultsMethodAndEnvironmentMultiply() throws {
        let spec = try parse("""
            name: mixed
            seeds: [7]
            defaults: {steps: 4096, gamma: [0.99, 0.9]}
            envs:
              Pendulum: {horizon: [256, 512]}
              MiniGrid-Unlock: {steps: 2048}
            methods:
              PPO: {clip: [0.1, 0.2], epochs: [4, 10]}
              KLFixed: {normalize_observations: false}
            """)
        let runs = spec.expand()
        // PPO: 2 clips × (Pendulum: 2 epochs × 2 gammas × 2 horizons + Unlock: 2 × 2) = 24; KLFixed: 2 × 2 + 2 = 6.
        #expect(runs.count == 30)
        #expect(Set(runs.map(\.configHash)).count == 30)
        let first = runs.prefix(8).map { "\($0.value) \($0.config.env) e\($0.config.epochs) g\($0.config.gamma) h\($0.config.horizon)" }
        // Within a method setting: environment, then the setting keys alphabetically (epochs, gamma, horizon).
        #expect(first == ["0.1 Pendulum e4 g0.99 h256", "0.1 Pendulum e4 g0.99 h512", "0.1 Pendulum e4 g0.9 h256",
                          "0.1 Pendulum e4 g0.9 h512", "0.1 Pendulum e10 g0.99 h256", "0.1 Pendulum e10 g0.99 h512",
                          "0.1 Pendulum e10 g0.9 h256", "0.1 Pendulum e10 g0.9 h512"])
        #expect(runs.filter { $0.config.method == "KLFixed" }.allSatisfy { !$0.config.normalizeObservations && $0.config.epochs == 10 })
        #expect(runs.filter { $0.config.env == "MiniGrid-Unlock" }.allSatisfy { $0.config.steps == 2048 && $0.config.horizon == 2048 })
        // The method's settings are stored under "settings" in its block.
        #expect(spec.canonicalJSON.contains(#""PPO":{"clip":[0.1,0.2],"settings":{"epochs":[4,10]}}"#))
    }

    @Test func aMethodMaySetTheStepBudget() throws {
        let spec = try parse("name: s\nseeds: 1\nenvs: {Pendulum: }\nmethods: {PPO: {steps: [2048, 4096]}, MCPO: {steps: 8192}}\n")
        #expect(spec.expand().map(\.config.steps) == [2048, 4096, 8192])
        #expect(throws: SweepFileError.self) {
            try parse("name: s\nseeds: 1\nenvs: {Pendulum: }\nmethods: {PPO: {steps: 2048}, MCPO: }\n")
        }
    }

    @Test func theGridLimitCountsSettingAxes() throws {
        let yaml = "name: s\nseeds: 1000\ndefaults: {steps: 1, lr: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]}\n"
            + "envs: {Pendulum: {epochs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}}\nmethods: {PPO: {actors: [1, 2]}}\n"
        #expect {
            try parse(yaml)
        } throws: { error in
            "\(error)" == "grid.yaml:1:1: the sweep expands to 1000 seeds × 200 combinations of method, environment and settings = 200000 runs; expected at most 100000 (split it into several sweeps)"
        }
    }

    @Test func twoSpellingsOfOneValueAreOneValue() throws {
        // 1 and 1.0 are one learning rate: the list would hold the same run twice.
        #expect {
            try parse("name: s\nseeds: 1\ndefaults: {steps: 1, lr: [1, 1.0]}\nenvs: {Pendulum: }\nmethods: {PPO: }\n")
        } throws: { error in
            "\(error)" == "grid.yaml:3:30: key 'defaults.lr': expected distinct values, found 1.0 twice"
        }
    }

    @Test func theReadmeExampleExpandsAsItSays() throws {
        let readme = try String(contentsOfFile: Repo.sweep("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "### Settings ("))
        let start = try #require(readme.range(of: "```yaml\n", range: section.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let runs = try parse("name: readme\nseeds: 1\n" + readme[start.upperBound..<end.lowerBound]).expand()
        #expect(runs.filter { $0.config.method == "PPO" }.count == 12)
        #expect(runs.filter { $0.config.method == "MCPO" }.count == 6)
    }

    @Test func aMethodGivenAListOfBlocksRunsTheirUnion() throws {
        let spec = try parse("""
            name: u
            seeds: 1
            envs: {Pendulum: {steps: 10}}
            methods:
              PPO:
                - {clip: 0.1, epochs: [3, 4]}
                - {clip: [0.2, 0.3]}
            """)
        #expect(spec.expand().map { "\($0.value) \($0.config.epochs)" } == ["0.1 3", "0.1 4", "0.2 10", "0.3 10"])
        #expect(spec.canonicalJSON.contains(#""PPO":[{"clip":[0.1],"settings":{"epochs":[3,4]}},{"clip":[0.2,0.3]}]"#))
        // Blocks that overlap would run one config twice: refused.
        #expect(throws: SweepFileError.self) {
            try parse("name: u\nseeds: 1\nenvs: {Pendulum: {steps: 10}}\nmethods:\n  PPO: [{clip: 0.1}, {clip: [0.1, 0.2]}]\n")
        }
        #expect(throws: SweepFileError.self) { try parse("name: u\nseeds: 1\nenvs: {Pendulum: {steps: 10}}\nmethods: {PPO: []}\n") }
    }
}
