import Foundation
import Testing
@testable import Environments

/// Return and length statistics of `episodes` complete episodes of a lone LunarLander.
struct EpisodeStats {
    var returns: [Double] = []
    var lengths: [Int] = []
    var terminalRewards: [Double] = []
    var truncations = 0

    var returnMean: Double { returns.reduce(0, +) / Double(returns.count) }
    var returnStd: Double { Self.std(returns) }
    var lengthMean: Double { Double(lengths.reduce(0, +)) / Double(lengths.count) }
    var lengthStd: Double { Self.std(lengths.map(Double.init)) }

    static func std(_ x: [Double]) -> Double {
        let m = x.reduce(0, +) / Double(x.count)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
    }
}

enum LanderPolicy { case random, noop }

func rollLander(continuous: Bool, policy: LanderPolicy, episodes: Int, seed: UInt64) -> EpisodeStats {
    let env = LunarLander(continuous: continuous)
    var envRNG = SeededGenerator(seed: seed, stream: 1)
    var policyRNG = SeededGenerator(seed: seed, stream: 1000)
    var observation = [Float](repeating: 0, count: 8)
    var action: [Float] = [0, 0]
    var stats = EpisodeStats()
    for _ in 0..<episodes {
        env.reset(using: &envRNG, observation: &observation)
        var total = 0.0, length = 0
        while true {
            switch policy {
            case .noop:
                action = [0, 0]
            case .random:
                if continuous {
                    action[0] = Float(policyRNG.uniform(-1, 1))
                    action[1] = Float(policyRNG.uniform(-1, 1))
                } else {
                    action[0] = Float(policyRNG.below(4))
                }
            }
            let outcome = env.step(action: action, observation: &observation)
            total += outcome.reward
            length += 1
            if outcome.done {
                if outcome.terminated { stats.terminalRewards.append(outcome.reward) } else { stats.truncations += 1 }
                break
            }
        }
        stats.returns.append(total)
        stats.lengths.append(length)
    }
    return stats
}

@Suite struct LunarLanderTests {
    /// gymnasium 1.4 LunarLander-v3, random policy, 500 episodes (env-reference.json).
    static let reference = (episodes: 500.0, returnMean: -183.662218745279, returnStd: 109.81888822820905,
                            lengthMean: 91.564, lengthStd: 20.786583849595694)

    /// 2,000 random-policy episodes: return and length means within 3 standard errors of the
    /// reference (the standard error of the difference of the two sample means).
    @Test func randomPolicyMatchesGymnasiumStatistics() {
        let episodes = 2000
        let stats = rollLander(continuous: false, policy: .random, episodes: episodes, seed: 2024)
        let ref = Self.reference
        let n = Double(episodes)
        let returnSE = (stats.returnStd * stats.returnStd / n + ref.returnStd * ref.returnStd / ref.episodes).squareRoot()
        let lengthSE = (stats.lengthStd * stats.lengthStd / n + ref.lengthStd * ref.lengthStd / ref.episodes).squareRoot()
        print("LunarLander random, \(episodes) episodes: return \(stats.returnMean) ± \(stats.returnStd) (reference \(ref.returnMean) ± \(ref.returnStd)), "
              + "length \(stats.lengthMean) ± \(stats.lengthStd) (reference \(ref.lengthMean) ± \(ref.lengthStd)); "
              + "z return \((stats.returnMean - ref.returnMean) / returnSE), z length \((stats.lengthMean - ref.lengthMean) / lengthSE)")
        #expect(abs(stats.lengthMean - ref.lengthMean) < 3 * lengthSE)
        // (No check on the length spread: it is heavy-tailed in gymnasium too, where a lander that
        // settles on its legs under random thrust can run to the time limit; 3,000 gymnasium
        // episodes gave a length std of 38.9, the reference's 500 gave 20.8.)
        // Gymnasium runs on Box2D 2.3; we use 2.4 with 2.3's joint-limit activation emulated
        // (cb_joint_activate_limit_as_box2d23). LunarLanderTraceTests drives gymnasium with our exact
        // random draws: free flight agrees to 2e-4 and 75 of 100 whole episodes to within 1 point.
        // A residual tail remains on hard one-legged touchdowns (contact solver): over 3,000 episodes
        // ours gives −193 ± 124 against a local gymnasium's −180 ± 108 (z ≈ 4 at that size); at the
        // reference's 500 episodes it is within the 3 standard errors checked here.
        #expect(abs(stats.returnMean - ref.returnMean) < 3 * returnSE)
        #expect(abs(stats.returnStd / ref.returnStd - 1) < 0.15)
        // The bulk of the distribution does match: median within 10.
        let median = stats.returns.sorted()[stats.returns.count / 2]
        #expect(abs(median - (-157.2334180263046)) < 10)
        #expect(abs(stats.returnMean - ref.returnMean) < 30)
        #expect(stats.truncations <= episodes / 100)
        #expect(stats.terminalRewards.allSatisfy { $0 == -100 || $0 == 100 })
    }

    /// Doing nothing, the lander free-falls and ends each episode on the ground: a crash (−100) or
    /// a landing followed by sleep (+100), well before the time limit.
    @Test func noopPolicyFallsAndEnds() {
        let stats = rollLander(continuous: false, policy: .noop, episodes: 200, seed: 5)
        print("LunarLander no-op, 200 episodes: return \(stats.returnMean) ± \(stats.returnStd), length \(stats.lengthMean) ± \(stats.lengthStd)")
        #expect(stats.truncations == 0)
        #expect(stats.terminalRewards.allSatisfy { $0 == -100 || $0 == 100 })
        #expect(stats.lengths.allSatisfy { $0 > 40 && $0 < 1000 })
        // Continuous zero action is the same no-op: identical episodes from identical seeds.
        let continuous = rollLander(continuous: true, policy: .noop, episodes: 200, seed: 5)
        #expect(continuous.returns == stats.returns)
        #expect(continuous.lengths == stats.lengths)
    }

    @Test func continuousRandomPolicyEnds() {
        let stats = rollLander(continuous: true, policy: .random, episodes: 300, seed: 9)
        print("LunarLanderContinuous random, 300 episodes: return \(stats.returnMean) ± \(stats.returnStd), length \(stats.lengthMean) ± \(stats.lengthStd)")
        #expect(stats.returnMean < -50 && stats.returnMean > -400)
        #expect(stats.terminalRewards.allSatisfy { $0 == -100 || $0 == 100 })
    }

    @Test func spacesAndInitialObservation() throws {
        let discrete = try VectorEnv(name: "LunarLander", count: 2, seed: 1)
        #expect(discrete.observationSize == 8)
        #expect(discrete.actionSpace == .discrete(count: 4))
        let continuous = try VectorEnv(name: "LunarLanderContinuous", count: 2, seed: 1)
        #expect(continuous.observationSize == 8)
        #expect(continuous.actionSpace == .continuous(dimension: 2, low: -1, high: 1))

        let env = LunarLander()
        var rng = SeededGenerator(seed: 3)
        var o = [Float](repeating: .nan, count: 8)
        var xs: [Float] = [], vxs: [Float] = []
        for _ in 0..<200 {
            env.reset(using: &rng, observation: &o)
            // Starts at (W/2, H): x centred, y = (H − (H/4 + 18/30)) / (H/2), after one 1/50 s step.
            #expect(abs(o[0]) < 0.01)
            let y0 = Float((LunarLander.worldHeight - (LunarLander.helipadY + 18.0 / 30)) / (LunarLander.worldHeight / 2))
            #expect(abs(o[1] - y0) < 0.03)
            #expect(abs(o[2]) < 1 && abs(o[3]) < 1)
            #expect(abs(o[4]) < 0.05 && abs(o[5]) < 0.5)
            #expect(o[6] == 0 && o[7] == 0)
            xs.append(o[0])
            vxs.append(o[2])
            // Helipad: heights 3...7 equal H/4, so smoothed chunks 4...6 are 0.99·H/4.
            for i in 4...6 { #expect(abs(env.terrain[i] - 0.99 * LunarLander.helipadY) < 1e-12) }
            #expect(env.terrain.allSatisfy { $0 >= 0 && $0 <= 0.99 * LunarLander.worldHeight / 2 })
            #expect(env.elapsedSteps == 0)
        }
        // The random initial force pushes both ways.
        #expect(vxs.contains { $0 > 0.05 } && vxs.contains { $0 < -0.05 })
    }

    /// Main engine pushes up and costs 0.3; a side engine turns the lander and costs 0.03.
    @Test func enginesActAsLabelled() {
        func run(_ action: Float, steps: Int) -> [Float] {
            let env = LunarLander()
            var rng = SeededGenerator(seed: 17)
            var o = [Float](repeating: 0, count: 8)
            env.reset(using: &rng, observation: &o)
            var a = action
            for _ in 0..<steps { _ = env.step(action: &a, observation: &o) }
            return o
        }
        let noop = run(0, steps: 20), left = run(1, steps: 20), main = run(2, steps: 20), right = run(3, steps: 20)
        #expect(main[3] > noop[3] + 0.3)  // vertical speed
        // Left engine (fires to the left side) rotates counter-clockwise... the two are opposite.
        #expect((left[5] - noop[5]) * (right[5] - noop[5]) < 0)
        #expect(left[2] < noop[2] && right[2] > noop[2])
    }

    /// Legs touching the ground raise observations 6 and 7; shaping rewards them.
    @Test func legsReportGroundContact() {
        let env = LunarLander()
        var rng = SeededGenerator(seed: 8)
        var o = [Float](repeating: 0, count: 8)
        var a: Float = 0
        var sawContact = false
        for _ in 0..<50 {
            env.reset(using: &rng, observation: &o)
            while true {
                let outcome = env.step(action: &a, observation: &o)
                if o[6] == 1 || o[7] == 1 { sawContact = true }
                if outcome.done { break }
            }
        }
        #expect(sawContact)
    }

    /// Same generator state, same episode; state replay rebuilds it exactly.
    @Test func replayReproducesEpisode() throws {
        for continuous in [false, true] {
            let env = LunarLander(continuous: continuous)
            var rng = SeededGenerator(seed: 42)
            var policy = SeededGenerator(seed: 43)
            var o = [Float](repeating: 0, count: 8)
            env.reset(using: &rng, observation: &o)
            var a: [Float] = [0, 0]
            for _ in 0..<40 {
                a = [Float(policy.uniform(-1, 1)), Float(policy.uniform(-1, 1))]
                if !continuous { a[0] = Float(policy.below(4)) }
                _ = env.step(action: a, observation: &o)
            }
            let copy = try LunarLander(restoring: env.state)
            #expect(copy.state == env.state)
            #expect(copy.elapsedSteps == 40)
            var o2 = [Float](repeating: 0, count: 8)
            for _ in 0..<30 {
                a = [Float(policy.uniform(-1, 1)), Float(policy.uniform(-1, 1))]
                if !continuous { a[0] = Float(policy.below(4)) }
                let r1 = env.step(action: a, observation: &o)
                let r2 = copy.step(action: a, observation: &o2)
                #expect(r1 == r2)
                #expect(o == o2)
                if r1.done { break }
            }
        }
        #expect(throws: EnvironmentError.self) {
            try LunarLander(restoring: LunarLanderState(continuous: true, episodeSeed: 1, actions: [0, 0, 0]))
        }
    }

    /// Snapshot a vector mid-episode (through JSON), restore it into a new VectorEnv and continue:
    /// observations, rewards, flags and final observations are identical to the uninterrupted run.
    @Test func snapshotRestoreContinuesIdentically() throws {
        for name in ["LunarLander", "LunarLanderContinuous"] {
            let env = try VectorEnv(name: name, count: 4, seed: 99)
            let width = env.actionSpace.width
            var policy = SeededGenerator(seed: 7)
            try expectSnapshotRestoreContinuesIdentically(env, before: 150, after: 300) { actions in
                for k in 0..<(env.count * width) {
                    actions[k] = width == 1 ? Float(policy.below(4)) : Float(policy.uniform(-1, 1))
                }
            }
        }
    }
}
