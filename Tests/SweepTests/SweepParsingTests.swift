import ExperimentStore
import Foundation
import Testing
import Trainer
@testable import Sweep

@Suite struct SweepParsingTests {
    @Test func quickExpandsToNineRunsInOrder() throws {
        let spec = try SweepParser.parse(contentsOf: Repo.sweep("quick.yaml"))
        #expect(spec.name == "quick")
        let runs = spec.expand()
        let labels = runs.map { "\($0.config.method) \($0.param)=\($0.value) \($0.config.env) \($0.config.seed)" }
        let expected = [0.1, 0.2, 0.3].flatMap { clip in (0..<3).map { "PPO clip=\(clip) Pendulum \($0)" } }
        #expect(labels == expected)
        #expect(runs.allSatisfy { $0.config.steps == 300_000 })
    }

    @Test func pendulumPPOHasThePaperSettings() throws {
        let spec = try SweepParser.parse(contentsOf: Repo.sweep("pendulum-ppo.yaml"))
        #expect(spec.name == "pendulum-ppo")
        #expect(spec.seeds == [0, 1, 2, 3, 4])
        let runs = spec.expand()
        #expect(runs.count == 15)
        #expect(runs.map(\.value) == [0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3])
        #expect(runs.map(\.config.seed) == [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4])
        var expected = TrainingConfig(method: "PPO", env: "Pendulum", seed: 3, steps: 1_000_000, params: ["clip": 0.2])
        (expected.horizon, expected.epochs, expected.minibatchSize, expected.actors) = (2048, 10, 64, 4)
        (expected.lr, expected.gamma, expected.lambda, expected.c1, expected.c2) = (3.0e-4, 0.99, 0.95, 0.5, 0.0)
        #expect(runs[8].config == expected)
        #expect(Set(runs.map(\.configHash)).count == 15)
        #expect(spec.canonicalJSON == """
            {"defaults":{"actors":4,"c1":0.5,"c2":0,"epochs":10,"gamma":0.99,"horizon":2048,"lambda":0.95,"lr":0.0003,\
            "minibatch_size":64},"envs":{"Pendulum":{"steps":1000000}},"methods":{"PPO":{"clip":[0.1,0.2,0.3]}},\
            "name":"pendulum-ppo","seeds":[0,1,2,3,4]}
            """)
    }

    @Test func gridOrderIsMethodsThenValuesThenEnvsThenSeeds() throws {
        let spec = try parse("""
            name: order
            seeds: [7, 3]
            envs:
              LunarLander: {steps: 100}
              Pendulum: {steps: 200, actors: 8}
            methods:
              ppo: {clip: [0.3, 0.1]}
            """, environments: ["Pendulum", "LunarLander"])
        let runs = spec.expand()
        #expect(runs.map { "\($0.value) \($0.config.env) \($0.config.seed)" } == [
            "0.3 LunarLander 7", "0.3 LunarLander 3", "0.3 Pendulum 7", "0.3 Pendulum 3",
            "0.1 LunarLander 7", "0.1 LunarLander 3", "0.1 Pendulum 7", "0.1 Pendulum 3",
        ])
        #expect(runs.map(\.config.actors) == [4, 4, 8, 8, 4, 4, 8, 8])   // per-env override over TrainingConfig's default
        #expect(runs.map(\.config.steps) == [100, 100, 200, 200, 100, 100, 200, 200])
        #expect(runs.allSatisfy { $0.config.method == "PPO" })       // canonical name
    }

    @Test func methodsWithOptionsAndSeveralAxes() throws {
        let spec = try parse("""
            name: m
            seeds: 1
            envs: {Pendulum: {steps: 100}}
            methods:
              MCPO: {N: [5, 40], beta_max: [1, 10], ablation: [none, no_psi], dropout: 0}
              ppo: {clip: 0.3}
            """)
        let runs = spec.expand()
        // The signature N outermost, then the other listed keys alphabetically: ablation, beta_max.
        func label(_ r: PlannedRun) -> String {
            let betaMax = r.config.params["beta_max"].map { "\($0)" } ?? "-"
            return "\(r.config.method) \(r.param)=\(r.value) \(r.config.choices["ablation"] ?? "-") \(betaMax)"
        }
        #expect(runs.map(label) == [
            "MCPO N=5.0 - 1.0", "MCPO N=5.0 - 10.0", "MCPO N=5.0 no_psi 1.0", "MCPO N=5.0 no_psi 10.0",
            "MCPO N=40.0 - 1.0", "MCPO N=40.0 - 10.0", "MCPO N=40.0 no_psi 1.0", "MCPO N=40.0 no_psi 10.0",
            "PPO clip=0.3 - -",
        ])
        #expect(runs.count == 9)
        let mcpo = try #require(MethodCatalog.method(named: "MCPO"))
        #expect(runs[0].config.params == mcpo.defaults.merging(["N": 5, "beta_max": 1, "dropout": 0]) { _, new in new })
        #expect(runs[0].config.choices == mcpo.recommended)   // the first choice stays implicit, the chosen defaults are named
        #expect(runs[8].config.method == "PPO" && runs[8].config.params == ["clip": 0.3] && runs[8].config.choices.isEmpty)
        #expect(Set(runs.map(\.configHash)).count == 9)
        // Writing the default choice is the same as leaving it out.
        let explicit = try parse("name: a\nseeds: 1\nenvs: {Pendulum: {steps: 1}}\nmethods: {MCPO: {ablation: none}}")
        let implicit = try parse("name: a\nseeds: 1\nenvs: {Pendulum: {steps: 1}}\nmethods: {MCPO: }")
        #expect(explicit.expand().map(\.configHash) == implicit.expand().map(\.configHash))
    }

    @Test func envSettingsOverrideDefaults() throws {
        let spec = try parse("""
            name: o
            seeds: 1
            defaults: {steps: 500, actors: 2, lr: 1, normalize_observations: false, max_grad_norm: 2.5}
            envs: {Pendulum: {actors: 6}}
            methods: {PPO: }
            """)
        let config = try #require(spec.expand().first?.config)
        #expect((config.steps, config.actors, config.lr, config.normalizeObservations, config.maxGradNorm) == (500, 6, 1.0, false, 2.5))
        #expect(config.params == ["clip": 0.2])   // the catalog's default
    }

    @Test func equivalentSpellingsGiveTheSameSpecAndRuns() throws {
        let a = try parse("""
            name: same
            seeds: 2
            envs: {Pendulum: {steps: 1000000}}
            methods: {PPO: {clip: 0.2}}
            """)
        let b = try parse("""
            # comments, block style, other key order, other number spellings
            methods:
              ppo:
                clip: [0.2]
            envs:
              Pendulum:
                steps: 1e6
            seeds: [0, 1]
            name: same
            """)
        #expect(a.canonicalJSON == b.canonicalJSON)
        #expect(a.specHash == b.specHash)
        #expect(a.expand() == b.expand())
        #expect(try parse("name: same\nseeds: 2\nenvs: {Pendulum: {steps: 1_000_000}}\nmethods: {PPO: {clip: 0.2}}").specHash == a.specHash)
    }

    @Test func configJSONIsSortedDecodableAndHashed() throws {
        for run in try SweepParser.parse(contentsOf: Repo.sweep("quick.yaml")).expand() {
            #expect(run.configHash == StableHash.hex(of: run.configJSON))
            #expect(run.configHash.count == 32)
            #expect(try JSONDecoder().decode(TrainingConfig.self, from: Data(run.configJSON.utf8)) == run.config)
            #expect(SweepSpec.json(run.config) == run.configJSON)
            let keys = try #require(try JSONSerialization.jsonObject(with: Data(run.configJSON.utf8)) as? [String: Any]).keys
            let order = run.configJSON.matches(of: /"([a-z_0-9]+)":/).map { String($0.output.1) }.filter(keys.contains)
            #expect(order == order.sorted())
        }
    }

    @Test func stableHashMatchesFNV1a128Vectors() {
        #expect(StableHash.hex(of: "") == "6c62272e07bb014262b821756295c58d")
        #expect(StableHash.hex(of: "a") == "d228cb696f1a8caf78912b704e4a8964")
        #expect(StableHash.hex(of: "foobar") == "343e1662793c64bf6f0d3597ba446f18")
        // Pinned: changing the hash would change every stored run's identity.
        #expect(StableHash.hex(of: #"{"method":"PPO","seed":0}"#) == "f5ebe4e38be39e7e582442676a43aef4")
    }

    @Test func suggestionsForMisspellings() {
        #expect(SweepParser.suggestion(for: "epoch", among: ConfigField.keys) == "epochs")
        #expect(SweepParser.suggestion(for: "lamda", among: ConfigField.keys) == "lambda")
        #expect(SweepParser.suggestion(for: "minibatch", among: ConfigField.keys) == "minibatch_size")
        #expect(SweepParser.suggestion(for: "pendulum", among: ["Pendulum"]) == "Pendulum")
        #expect(SweepParser.suggestion(for: "learning_rate", among: ConfigField.keys) == nil)
    }
}
