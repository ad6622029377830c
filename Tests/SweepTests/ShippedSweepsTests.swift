import Foundation
import Testing
@testable import Sweep

/// Every sweep file the project ships parses and expands to the grid its comment promises.
@Suite struct ShippedSweepsTests {
    /// (file, runs, env steps in all, env → (steps, actors)).
    static let expected: [(String, Int, Int, [String: (Int, Int)])] = [
        ("quick.yaml", 9, 9 * 300_000, ["Pendulum": (300_000, 4)]),
        ("pendulum-ppo.yaml", 15, 15_000_000, ["Pendulum": (1_000_000, 4)]),
        ("pendulum.yaml", 90, 90_000_000, ["Pendulum": (1_000_000, 4)]),
        ("classic.yaml", 270, 630_000_000,
         ["Pendulum": (1_000_000, 4), "LunarLander": (1_000_000, 4), "BipedalWalker": (5_000_000, 32)]),
        ("minigrid.yaml", 120, 60 * 100_000 + 60 * 1_000_000,
         ["MiniGrid-Unlock": (100_000, 4), "MiniGrid-UnlockPickup": (1_000_000, 4)]),
        ("ablation.yaml", 45, 45 * 50_000_000, ["BipedalWalkerHardcore": (50_000_000, 128)]),
    ]

    @Test(arguments: expected.map(\.0))
    func shippedSweepExpandsAsDocumented(file: String) throws {
        let (_, count, steps, envs) = try #require(Self.expected.first { $0.0 == file })
        let runs = try SweepParser.parse(contentsOf: Repo.sweep(file)).expand()
        #expect(runs.count == count)
        #expect(runs.reduce(0) { $0 + $1.config.steps } == steps)
        #expect(Set(runs.map(\.configHash)).count == count)
        for run in runs {
            let setting = try #require(envs[run.config.env], "unexpected environment \(run.config.env)")
            #expect(run.config.steps == setting.0 && run.config.actors == setting.1)
            #expect(run.config.horizon == 2048 && run.config.epochs == 10 && run.config.minibatchSize == 64)
        }
    }

    @Test func classicIsTableOne() throws {
        let runs = try SweepParser.parse(contentsOf: Repo.sweep("classic.yaml")).expand()
        var grid: [String: Set<Double>] = [:]
        for run in runs { grid[run.config.method, default: []].insert(run.value) }
        #expect(grid == ["KLAdaptive": [0.003, 0.01, 0.03], "KLFixed": [0.01, 0.1, 1], "PPO": [0.1, 0.2, 0.3],
                         "MDPO": [0.5, 1, 2], "VMPO": [0.1, 1, 5], "MCPO": [5, 10, 40]])
        #expect(Set(runs.map(\.config.seed)) == [0, 1, 2, 3, 4])
    }

    @Test func ablationIsSection45() throws {
        let runs = try SweepParser.parse(contentsOf: Repo.sweep("ablation.yaml")).expand()
        var configs: [String: Int] = [:]
        for run in runs { configs["N=\(Int(run.value)) \(run.config.choices["ablation"] ?? "none")", default: 0] += 1 }
        #expect(configs == ["N=10 none": 5, "N=10 no_psi": 5, "N=10 annealed_beta": 5, "N=10 frequent_writing": 5,
                            "N=10 uniform_writing": 5, "N=10 mean_psi": 5, "N=10 half_features": 5, "N=5 none": 5, "N=40 none": 5])
        #expect(runs.allSatisfy { $0.config.params["beta_max"] == 10 && $0.config.params["beta_min"] == 0.01 })
    }
}
