import Foundation
import Testing
@testable import Environments

/// gymnasium 1.4 Pendulum-v1 trajectories (copied from the shared reference data).
struct PendulumTrajectory: Decodable {
    let theta0: Double
    let thetadot0: Double
    let actions: [Double]
    let observations: [[Double]]
    let rewards: [Double]

    static func loadAll() throws -> [PendulumTrajectory] {
        struct File: Decodable { let pendulum_trajectories: [PendulumTrajectory] }
        let url = try #require(Bundle.module.url(forResource: "pendulum-trajectories", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).pendulum_trajectories
    }
}

/// Largest |observation − reference| and |reward − reference| over all steps of all trajectories.
func pendulumErrors(_ trajectories: [PendulumTrajectory], variant: Pendulum.Variant) -> (observation: Double, reward: Double) {
    var maxObservation = 0.0, maxReward = 0.0
    var observation = [Float](repeating: 0, count: 3)
    for trajectory in trajectories {
        var env = Pendulum(theta: trajectory.theta0, thetaDot: trajectory.thetadot0, variant: variant)
        for t in 0..<trajectory.actions.count {
            var action = Float(trajectory.actions[t])
            let outcome = env.step(action: &action, observation: &observation)
            for k in 0..<3 {
                maxObservation = max(maxObservation, abs(Double(observation[k]) - trajectory.observations[t][k]))
            }
            maxReward = max(maxReward, abs(outcome.reward - trajectory.rewards[t]))
        }
    }
    return (maxObservation, maxReward)
}

@Suite struct PendulumTests {
    @Test func reproducesGymnasiumTrajectories() throws {
        let trajectories = try PendulumTrajectory.loadAll()
        #expect(trajectories.count == 20)
        #expect(trajectories.allSatisfy { $0.actions.count == 200 && $0.observations.count == 200 && $0.rewards.count == 200 })
        // The reference exercises both the torque clip and the speed clip.
        #expect(trajectories.contains { $0.actions.contains { abs($0) > 2 } })
        #expect(trajectories.contains { $0.observations.contains { abs($0[2]) == 8 } })

        let errors = pendulumErrors(trajectories, variant: .v1)
        print("Pendulum-v1 max error vs gymnasium: observation \(errors.observation), reward \(errors.reward)")
        #expect(errors.observation < 1e-4)
        #expect(errors.reward < 1e-4)
    }

    /// v0 integrates the unclipped velocity: it must depart from v1 once the speed clip is hit.
    @Test func v0DiffersFromV1AtTheSpeedLimit() throws {
        let errors = pendulumErrors(try PendulumTrajectory.loadAll(), variant: .v0)
        #expect(errors.observation > 1e-3)
    }

    @Test func firstStepByHand() {
        // θ = π/2, θ̇ = 1, u = 3 → clipped to 2.
        var env = Pendulum(theta: Double.pi / 2, thetaDot: 1)
        var action: Float = 3
        var observation = [Float](repeating: 0, count: 3)
        let outcome = env.step(action: &action, observation: &observation)
        // cost = (π/2)² + 0.1·1 + 0.001·4 (the torque term in float32, as gymnasium computes it)
        #expect(abs(outcome.reward + (Double.pi * Double.pi / 4 + 0.1 + 0.004)) < 1e-9)
        // θ̇' = 1 + (15·1 + 3·2)·0.05 = 2.05; θ' = π/2 + 0.1025
        #expect(abs(env.thetaDot - 2.05) < 1e-12)
        #expect(abs(env.theta - (Double.pi / 2 + 0.1025)) < 1e-12)
        #expect(observation == [Float(cos(env.theta)), Float(sin(env.theta)), Float(2.05)])
        #expect(!outcome.terminated && !outcome.truncated)
    }

    @Test func angleNormalizationMatchesFlooredModulo() {
        #expect(abs(Pendulum.normalizeAngle(3 * Double.pi / 2) - (-Double.pi / 2)) < 1e-12)
        #expect(abs(Pendulum.normalizeAngle(-3 * Double.pi / 2) - (Double.pi / 2)) < 1e-12)
        #expect(abs(Pendulum.normalizeAngle(0.3) - 0.3) < 1e-15)
        #expect(abs(Pendulum.normalizeAngle(-0.3 - 4 * Double.pi) - (-0.3)) < 1e-12)
    }

    @Test func truncatesExactlyAtStep200() {
        var env = Pendulum()
        var rng = SeededGenerator(seed: 3)
        var observation = [Float](repeating: 0, count: 3)
        env.reset(using: &rng, observation: &observation)
        var action: Float = 0
        for step in 1...200 {
            let outcome = env.step(action: &action, observation: &observation)
            #expect(!outcome.terminated)
            #expect(outcome.truncated == (step == 200), "step \(step)")
        }
        // A reset starts a fresh 200-step episode.
        env.reset(using: &rng, observation: &observation)
        #expect(env.elapsedSteps == 0)
        #expect(!env.step(action: &action, observation: &observation).truncated)
    }

    @Test func resetDrawsWithinBounds() {
        var env = Pendulum()
        var rng = SeededGenerator(seed: 11)
        var observation = [Float](repeating: 0, count: 3)
        var sawNegative = false, sawPositive = false
        for _ in 0..<1000 {
            env.reset(using: &rng, observation: &observation)
            #expect(env.theta >= -Double.pi && env.theta < Double.pi)
            #expect(env.thetaDot >= -1 && env.thetaDot < 1)
            #expect(observation == [Float(cos(env.theta)), Float(sin(env.theta)), Float(env.thetaDot)])
            sawNegative = sawNegative || env.theta < -2
            sawPositive = sawPositive || env.theta > 2
        }
        #expect(sawNegative && sawPositive)
    }
}
