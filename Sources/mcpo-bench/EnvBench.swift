import ArgumentParser
import CLISupport
import Environments
import Foundation

/// Rolls a fixed policy in one environment on one core: episode statistics and raw env steps/s.
struct EnvBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Roll a random or zero policy: return mean/std, length mean, success rate, env steps/s.")

    enum Policy: String, ExpressibleByArgument, CaseIterable { case random, zero }

    @Option(help: "Environment id: \(EnvironmentCatalog.names.joined(separator: ", ")).")
    var env: String

    @Option(help: "random (uniform actions) or zero (all-zero action; action 0 when discrete).")
    var policy: Policy = .random

    @Option(help: "Episodes to complete.")
    var episodes: Int = 100

    @Option(help: "Seed.")
    var seed: UInt64 = 0

    @Flag(help: "Print {\"env\", \"policy\", \"episodes\", \"return_mean\", \"return_std\", \"length_mean\", \"success_rate\", \"steps_per_s\"} (MuJoCo tasks: also \"physics_share\", the share of the time inside mj_step, and \"physics_steps_per_s\", the rate its time alone allows).")
    var json = false

    func run() throws {
        guard episodes > 0 else { throw CLIFailure.badInput("--episodes: expected a whole number > 0, found \(episodes)") }
        let vec: VectorEnv
        do { vec = try VectorEnv(name: try BenchInput.environment(env), count: 1, seed: seed) } catch let error as CLIFailure {
            throw error
        } catch { throw CLIFailure.badInput("\(error)") }
        let o = vec.observationSize, width = vec.actionSpace.width
        let obs = UnsafeMutablePointer<Float>.allocate(capacity: o), final = UnsafeMutablePointer<Float>.allocate(capacity: o)
        let action = UnsafeMutablePointer<Float>.allocate(capacity: width)
        defer { obs.deallocate(); final.deallocate(); action.deallocate() }
        var reward = 0.0, terminated = false, truncated = false
        var rng = SeededGenerator(seed: seed, stream: 0xBE7C)
        var returns: [Double] = [], lengths: [Int] = [], successes = 0
        var episodeReturn = 0.0, episodeLength = 0, steps = 0
        vec.reset(observations: obs)
        vec.timePhysics()
        let start = DispatchTime.now().uptimeNanoseconds
        while returns.count < episodes {
            switch (policy, vec.actionSpace) {
            case (.zero, _): action.update(repeating: 0, count: width)
            case let (.random, .continuous(dimension, low, high)):
                for i in 0..<dimension { action[i] = Float(rng.uniform(low, high)) }
            case let (.random, .discrete(count)): action[0] = Float(rng.below(count))
            }
            vec.step(actions: action, observations: obs, rewards: &reward, terminated: &terminated,
                     truncated: &truncated, finalObservations: final)
            steps += 1
            episodeReturn += reward
            episodeLength += 1
            if terminated || truncated {
                returns.append(episodeReturn)
                lengths.append(episodeLength)
                if env.hasPrefix("MiniGrid"), reward > 0 { successes += 1 }
                episodeReturn = 0
                episodeLength = 0
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let n = Double(returns.count)
        let mean = returns.reduce(0, +) / n
        let std = n > 1 ? (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : 0
        let lengthMean = Double(lengths.reduce(0, +)) / n
        let success: Double? = env.hasPrefix("MiniGrid") ? Double(successes) / n : nil
        let rate = Double(steps) / seconds
        // MuJoCo: the rate the physics alone would allow (its mj_step time), and its share.
        let physics = vec.physicsSeconds
        if json {
            var object: [String: Any] = [
                "env": env, "policy": policy.rawValue, "episodes": episodes, "return_mean": mean, "return_std": std,
                "length_mean": lengthMean, "success_rate": success.map { $0 as Any } ?? NSNull(),
                "steps_per_s": (rate * 10).rounded() / 10,
            ]
            if let physics {
                object["physics_share"] = physics / seconds
                object["physics_steps_per_s"] = (Double(steps) / physics * 10).rounded() / 10
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "%@, %@ policy, %d episodes (seed %llu): return %.3f ± %.3f (sample std), length %.2f",
                         env, policy.rawValue, episodes, seed, mean, std, lengthMean))
            if let success { print(String(format: "  success rate %.4f", success)) }
            print(String(format: "  %d env steps in %.3f s = %.0f env steps/s (one core, one environment)", steps, seconds, rate))
            if let physics {
                print(String(format: "  inside mj_step: %.3f s = %.1f%% of the time; the physics alone: %.0f env steps/s (ours %.3f× that)",
                             physics, 100 * physics / seconds, Double(steps) / physics, physics / seconds))
            }
        }
    }
}
