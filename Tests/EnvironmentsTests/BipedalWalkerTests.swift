import Foundation
import Testing
@testable import Environments

/// Random-policy (uniform in [−1, 1)⁴) statistics of `episodes` complete episodes of a lone walker.
func rollWalker(hardcore: Bool, episodes: Int, seed: UInt64) -> EpisodeStats {
    let env = BipedalWalker(hardcore: hardcore)
    var envRNG = SeededGenerator(seed: seed, stream: 1)
    var policyRNG = SeededGenerator(seed: seed, stream: 1000)
    var observation = [Float](repeating: 0, count: 24)
    var action = [Float](repeating: 0, count: 4)
    var stats = EpisodeStats()
    for _ in 0..<episodes {
        env.reset(using: &envRNG, observation: &observation)
        var total = 0.0, length = 0
        while true {
            for j in 0..<4 { action[j] = Float(policyRNG.uniform(-1, 1)) }
            let outcome = env.step(action: action, observation: &observation)
            total += outcome.reward
            length += 1
            if outcome.done {
                if outcome.terminated { stats.terminalRewards.append(outcome.reward) }
                if outcome.truncated { stats.truncations += 1 }
                break
            }
        }
        stats.returns.append(total)
        stats.lengths.append(length)
    }
    return stats
}

@Suite struct BipedalWalkerTests {
    struct Reference {
        var episodes: Double, returnMean: Double, returnStd: Double, lengthMean: Double, lengthStd: Double
    }

    /// gymnasium 1.4, random uniform actions in [−1, 1]⁴ (shared/reference/env-reference.json).
    ///
    /// Larger samples, measured once (local gymnasium 1.4.0 on pybox2d 2.3.10 vs this code):
    /// hardcore agrees (−108.7 over 900 gymnasium episodes, −107.7 over 2,800 here; the reference's
    /// 100 episodes happen to miss most of the rare long-sitting-then-falling episodes near −180).
    /// KNOWN DEVIATION, normal terrain: −100.2 over 4,400 episodes here vs −99.3 over 2,500 in
    /// gymnasium (≈ 2.6 SE of the difference), lengths 544 vs 591, time-limit truncations ≈ 30 % vs
    /// 34 %. Trajectories replayed with identical terrain, push and actions agree to ~1e-5 for tens
    /// of steps where the feet stand inside an edge, but not where they stand on a vertex between
    /// two edges (as at the start: x = 10·TERRAIN_STEP), and Box2D 2.4 solves active joint limits
    /// pairwise where 2.3 solved them as a block with the joint. Both are engine differences the
    /// CBox2D API cannot undo; at the test's sample sizes the deviation is well inside 3 SE.
    static let normal = Reference(episodes: 200, returnMean: -100.46053135083508, returnStd: 13.530853168762253,
                                  lengthMean: 537.51, lengthStd: 697.7916204914908)
    static let hardcore = Reference(episodes: 100, returnMean: -106.06588105700473, returnStd: 9.447694232912227,
                                    lengthMean: 690.99, lengthStd: 897.2975193785104)

    /// Return and length means within 3 standard errors of the reference, the standard error being
    /// that of the difference of the two sample means, sqrt(s₁²/n₁ + s₂²/n₂).
    static func expectMatches(_ stats: EpisodeStats, _ ref: Reference, _ label: String) {
        let n = Double(stats.returns.count)
        let returnSE = (stats.returnStd * stats.returnStd / n + ref.returnStd * ref.returnStd / ref.episodes).squareRoot()
        let lengthSE = (stats.lengthStd * stats.lengthStd / n + ref.lengthStd * ref.lengthStd / ref.episodes).squareRoot()
        let sorted = stats.returns.sorted()
        print("\(label) random, \(Int(n)) episodes: return \(stats.returnMean) ± \(stats.returnStd) (reference \(ref.returnMean) ± \(ref.returnStd)), "
              + "p10/50/90 \(sorted[Int(n) / 10]) / \(sorted[Int(n) / 2]) / \(sorted[Int(n) * 9 / 10]), "
              + "length \(stats.lengthMean) ± \(stats.lengthStd) (reference \(ref.lengthMean) ± \(ref.lengthStd)), "
              + "truncated \(stats.truncations); z return \((stats.returnMean - ref.returnMean) / returnSE), "
              + "z length \((stats.lengthMean - ref.lengthMean) / lengthSE)")
        #expect(abs(stats.returnMean - ref.returnMean) < 3 * returnSE)
        #expect(abs(stats.lengthMean - ref.lengthMean) < 3 * lengthSE)
    }

    /// 150 episodes (≈ 80k steps). (Seeds 1–16 all pass, |z| < 1.8.)
    @Test func randomPolicyMatchesGymnasiumStatistics() {
        let stats = rollWalker(hardcore: false, episodes: 150, seed: 2024)
        Self.expectMatches(stats, Self.normal, "BipedalWalker")
        // A random walker falls on its hull (−100) or stands to the time limit; it never walks 88 m.
        #expect(stats.terminalRewards.allSatisfy { $0 == -100 })
        #expect(stats.lengths.allSatisfy { $0 <= 1600 })
        #expect(stats.truncations == stats.lengths.filter { $0 == 1600 }.count)
        #expect(stats.truncations > 0 && stats.truncations < 150)
    }

    /// 100 episodes (≈ 70k steps). (Seeds 1–16 all pass, |z| < 1.4.)
    @Test func hardcoreRandomPolicyMatchesGymnasiumStatistics() {
        let stats = rollWalker(hardcore: true, episodes: 100, seed: 2025)
        Self.expectMatches(stats, Self.hardcore, "BipedalWalkerHardcore")
        #expect(stats.terminalRewards.allSatisfy { $0 == -100 })
        #expect(stats.lengths.allSatisfy { $0 <= 2000 })
        #expect(stats.truncations == stats.lengths.filter { $0 == 2000 }.count)
        #expect(stats.truncations > 0 && stats.truncations < 100)
    }

    @Test func spacesAndTimeLimits() throws {
        for (name, limit) in [("BipedalWalker", 1600), ("BipedalWalkerHardcore", 2000)] {
            let env = try VectorEnv(name: name, count: 2, seed: 1)
            #expect(env.observationSize == 24)
            #expect(env.actionSpace == .continuous(dimension: 4, low: -1, high: 1))
            #expect(BipedalWalker(hardcore: name.hasSuffix("Hardcore")).timeLimit == limit)
        }
    }

    /// Random episodes until two have run into the time limit: the step that reaches it, and only
    /// that step, is truncated (not terminated), for both variants.
    @Test func timeLimitTruncates() {
        for hardcore in [false, true] {
            let env = BipedalWalker(hardcore: hardcore)
            var rng = SeededGenerator(seed: 77)
            var policy = SeededGenerator(seed: 78)
            var o = [Float](repeating: 0, count: 24)
            var a = [Float](repeating: 0, count: 4)
            var truncations = 0, episodes = 0
            while truncations < 2 && episodes < 40 {
                env.reset(using: &rng, observation: &o)
                episodes += 1
                var length = 0
                while true {
                    for j in 0..<4 { a[j] = Float(policy.uniform(-1, 1)) }
                    let outcome = env.step(action: a, observation: &o)
                    length += 1
                    #expect(env.elapsedSteps == length)
                    #expect(outcome.truncated == (length == env.timeLimit))
                    if outcome.done {
                        if outcome.truncated {
                            #expect(!outcome.terminated)
                            truncations += 1
                        }
                        break
                    }
                }
            }
            #expect(truncations == 2)
        }
    }

    /// gymnasium creates the legs 2·|LEG_DOWN| away from their hip anchors; the reset's zero-action
    /// step snaps them onto the joints, lifting the hull and setting the lower legs on the pad.
    /// Observation after reset, gymnasium 1.4 (Box2D 2.3), seeds 0–4 (the push changes only the
    /// velocities' last digits): hull angle 0.0027, vy −0.016, hips 0.092 / 0.032, knees + 1
    /// 0.860 / 0.854, contacts 1 / 1, lidar 0.4408 0.4458 0.4614 0.4895 0.5341 0.6025 0.7091 0.8859 1 1;
    /// hull at y = 5.68434.
    @Test func resetPoseMatchesGymnasium() {
        let expected: [Int: Float] = [0: 0.0027, 3: -0.016, 4: 0.092, 6: 0.860, 8: 1, 9: 0.032, 11: 0.854, 13: 1,
                                      14: 0.4408, 15: 0.4458, 16: 0.4614, 17: 0.4895, 18: 0.5341, 19: 0.6025,
                                      20: 0.7091, 21: 0.8859, 22: 1, 23: 1]
        let env = BipedalWalker()
        var rng = SeededGenerator(seed: 13)
        var o = [Float](repeating: 0, count: 24)
        for _ in 0..<5 {
            env.reset(using: &rng, observation: &o)
            print("BipedalWalker reset: hull y \(env.hullPosition.1), observation \(o)")
            for (i, value) in expected { #expect(abs(o[i] - value) < 0.002, "observation \(i)") }
            #expect(abs(env.hullPosition.1 - 5.68434) < 0.001)
            #expect(abs(o[2]) < 0.01 && abs(o[1]) < 0.01)
        }
    }

    /// The reset leaves the knees 0.2 off their joints; the first step snaps them on. In Box2D 2.3
    /// (gymnasium) a limit takes part in a step only if the joint starts it at or past the limit,
    /// so knees driven straight swing far past their upper limit (−0.1) in that step. gymnasium,
    /// first step from reset (seeds 0–2), observations 4, 6, 9, 11 (hips; knees + 1):
    /// action (0, 1, 0, 1): −0.299 1.723 −0.392 1.724 / −0.298 1.722 −0.391 1.723 / −0.293 1.465 −0.384 1.454;
    /// action (0, −1, 0, −1): 0.461 0.072 0.362 0.076 (all three seeds). The straight snap has two
    /// outcomes (knees + 1 at 1.72 or 1.46) that the push selects; ours must land on one of them.
    @Test func firstStepSnapsKneesAsGymnasium() {
        func first(_ action: [Float], seed: UInt64) -> [Float] {
            let env = BipedalWalker()
            var rng = SeededGenerator(seed: seed)
            var o = [Float](repeating: 0, count: 24)
            env.reset(using: &rng, observation: &o)
            _ = env.step(action: action, observation: &o)
            return [o[4], o[6], o[9], o[11]]
        }
        for seed in UInt64(0)..<3 {
            let straight = first([0, 1, 0, 1], seed: seed), bent = first([0, -1, 0, -1], seed: seed)
            print("BipedalWalker first step: straight \(straight), bent \(bent)")
            for knee in [straight[1], straight[3]] { #expect(min(abs(knee - 1.723), abs(knee - 1.46)) < 0.02) }
            #expect(abs(straight[0] - -0.296) < 0.01 && abs(straight[2] - -0.388) < 0.01)
            for (value, reference) in zip(bent, [0.461, 0.072, 0.362, 0.076] as [Float]) {
                #expect(abs(value - reference) < 0.015)
            }
        }
    }

    /// Reward = Δ(130·x/SCALE − 5·|hull angle|) − 0.00035·MOTORS_TORQUE·Σ clip(|aᵢ|, 0, 1) on every
    /// step that does not end the episode (actions beyond ±1 cost as ±1).
    @Test func rewardIsShapingDifferenceMinusMotorCost() {
        let env = BipedalWalker()
        var rng = SeededGenerator(seed: 5)
        var policy = SeededGenerator(seed: 6)
        var o = [Float](repeating: 0, count: 24)
        var a = [Float](repeating: 0, count: 4)
        var checked = 0
        for _ in 0..<3 {
            env.reset(using: &rng, observation: &o)
            var shaping = 130 * env.hullPosition.0 / 30 - 5 * abs(Double(o[0]))
            while true {
                for j in 0..<4 { a[j] = Float(policy.uniform(-1.5, 1.5)) }
                let outcome = env.step(action: a, observation: &o)
                if outcome.done {
                    if outcome.terminated { #expect(outcome.reward == -100) }
                    break
                }
                let next = 130 * env.hullPosition.0 / 30 - 5 * abs(Double(o[0]))
                let cost = a.reduce(0.0) { $0 + 0.00035 * 80 * min(abs(Double($1)), 1) }
                #expect(abs(outcome.reward - (next - shaping - cost)) < 1e-9)
                shaping = next
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    /// Each action component drives its own joint: hip 0 (obs 4, 5), knee 0 (obs 6, 7), hip 1
    /// (obs 9, 10), knee 1 (obs 11, 12); a positive action turns the joint one way, a negative one
    /// the other.
    @Test func motorsDriveTheirJoints() {
        func run(_ action: [Float]) -> [Float] {
            let env = BipedalWalker()
            var rng = SeededGenerator(seed: 21)
            var o = [Float](repeating: 0, count: 24)
            env.reset(using: &rng, observation: &o)
            for _ in 0..<4 { _ = env.step(action: action, observation: &o) }
            return o
        }
        for (j, (angle, speed)) in [(4, 5), (6, 7), (9, 10), (11, 12)].enumerated() {
            var plus = [Float](repeating: 0, count: 4), minus = plus
            plus[j] = 1
            minus[j] = -1
            let up = run(plus), down = run(minus)
            #expect(up[angle] > down[angle] + 0.05)
            #expect(up[speed] > down[speed])
        }
    }

    /// With all motors off the walker collapses onto its hull: −100, terminated, the hull near the ground.
    @Test func hullContactEndsWithPenalty() {
        let env = BipedalWalker()
        var rng = SeededGenerator(seed: 31)
        var o = [Float](repeating: 0, count: 24)
        let zero = [Float](repeating: 0, count: 4)
        for _ in 0..<5 {
            env.reset(using: &rng, observation: &o)
            var length = 0
            while true {
                let outcome = env.step(action: zero, observation: &o)
                length += 1
                if outcome.done {
                    #expect(outcome.terminated && !outcome.truncated)
                    #expect(outcome.reward == -100)
                    // The hull's lowest corner is 8/30 below its centre; its length is 64/30.
                    #expect(env.hullPosition.1 < BipedalWalkerTerrain.height + 1.2)
                    #expect(env.hullPosition.0 > 0)
                    break
                }
                #expect(outcome.reward > -100)
            }
            #expect(length > 20 && length < 400)
        }
    }

    /// Thrown backwards past x = 0 the episode ends with −100; thrown forwards past
    /// (TERRAIN_LENGTH − TERRAIN_GRASS)·TERRAIN_STEP it ends without the penalty.
    @Test func leavingTheTerrainTerminates() {
        var rng = SeededGenerator(seed: 41)
        var o = [Float](repeating: 0, count: 24)
        let zero = [Float](repeating: 0, count: 4)
        for (vx, vy) in [(-40.0, 3.0), (95.0, 8.0)] {
            let env = BipedalWalker()
            env.reset(using: &rng, observation: &o)
            env.launch(vx: vx, vy: vy)
            var steps = 0
            while true {
                let outcome = env.step(action: zero, observation: &o)
                steps += 1
                if outcome.done {
                    #expect(outcome.terminated && !outcome.truncated)
                    if vx < 0 {
                        #expect(env.hullPosition.0 < 0)
                        #expect(outcome.reward == -100)
                    } else {
                        #expect(env.hullPosition.0 > BipedalWalker.finishX)
                        #expect(outcome.reward > 0)
                    }
                    break
                }
                #expect(env.hullPosition.0 >= 0 && env.hullPosition.0 <= BipedalWalker.finishX)
            }
            #expect(steps < 60)
        }
    }

    /// The lower legs report ground contact (obs 8 and 13), which also ends again. As in gymnasium,
    /// the reset's step leaves both lower legs resting on the start pad.
    @Test func lowerLegsReportGroundContact() {
        let env = BipedalWalker()
        var rng = SeededGenerator(seed: 51)
        var policy = SeededGenerator(seed: 52)
        var o = [Float](repeating: 0, count: 24)
        var a = [Float](repeating: 0, count: 4)
        var seen: [Set<Float>] = [[], []]
        for _ in 0..<10 {
            env.reset(using: &rng, observation: &o)
            #expect(o[8] == 1 && o[13] == 1)
            for _ in 0..<300 {
                for j in 0..<4 { a[j] = Float(policy.uniform(-1, 1)) }
                let outcome = env.step(action: a, observation: &o)
                seen[0].insert(o[8])
                seen[1].insert(o[13])
                if outcome.done { break }
            }
        }
        #expect(seen[0] == [0, 1] && seen[1] == [0, 1])
    }

    /// Same generator state and actions, same episode; another seed, another episode.
    @Test func sameSeedSameEpisode() {
        for hardcore in [false, true] {
            func episode(seed: UInt64) -> ([Float], [Double]) {
                let env = BipedalWalker(hardcore: hardcore)
                var rng = SeededGenerator(seed: seed)
                var policy = SeededGenerator(seed: 1)
                var o = [Float](repeating: 0, count: 24)
                var a = [Float](repeating: 0, count: 4)
                env.reset(using: &rng, observation: &o)
                var observations = o, rewards: [Double] = []
                for _ in 0..<400 {
                    for j in 0..<4 { a[j] = Float(policy.uniform(-1, 1)) }
                    let outcome = env.step(action: a, observation: &o)
                    observations += o
                    rewards.append(outcome.reward)
                    if outcome.done { break }
                }
                return (observations, rewards)
            }
            let first = episode(seed: 8), again = episode(seed: 8), other = episode(seed: 9)
            #expect(first.0 == again.0 && first.1 == again.1)
            #expect(first.0 != other.0)
        }
    }
}
