import Foundation
import Testing
@testable import Environments

/// gymnasium 1.4.0's v4 MuJoCo tasks on MuJoCo 4.0.0, driven by exactly our reset noise and
/// actions (Fixtures/mujoco-v4-traces.json, written by scripts/reference/mujoco_traces.py):
/// observations and rewards of the first 100 steps of 10 episodes per task within 1e-5 relative
/// (with an absolute floor of 1e-6 for values near 0), termination at exactly the same step.
@Suite struct MuJoCoTraceTests {
    struct Episode: Decodable {
        let seed: UInt64
        let terminated_at: Int?
        let rewards: [Double]
        let observations: String
    }

    struct Task: Decodable {
        let action_scale: Double
        let observation_size: Int
        let episodes: [Episode]
    }

    struct Traces: Decodable {
        let mujoco: String
        let steps: Int
        let tasks: [String: Task]
    }

    static let traces: Traces = {
        let url = Bundle.module.url(forResource: "mujoco-v4-traces", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(Traces.self, from: Data(contentsOf: url))
    }()

    static func floats(_ base64: String) -> [Float] {
        let data = Data(base64Encoded: base64)!
        return data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-5 * abs(b) + 1e-6 }

    @Test func fixtureWasRecordedWithTheLinkedMuJoCo() {
        #expect(Self.traces.mujoco == MuJoCoModel.libraryVersion)
        #expect(Set(Self.traces.tasks.keys) == Set(MuJoCoTask.allCases.map(\.rawValue)))
    }

    @Test(arguments: MuJoCoTask.allCases)
    func reproducesGymnasium(_ task: MuJoCoTask) throws {
        let reference = try #require(Self.traces.tasks[task.rawValue])
        let env = try MuJoCoEnvironment(task: task)
        #expect(env.observationSize == reference.observation_size)
        #expect(reference.episodes.count == 10)
        var worst = 0.0
        for e in reference.episodes {
            let expected = Self.floats(e.observations), n = env.observationSize
            var rng = SeededGenerator(seed: e.seed), actions = SeededGenerator(seed: e.seed, stream: 1)
            var observation = [Float](repeating: 0, count: n), action = [Float](repeating: 0, count: env.actionSpace.width)
            env.reset(using: &rng, observation: &observation)
            var terminatedAt: Int?
            for t in 0...e.rewards.count {
                for i in 0..<n {
                    let ours = Double(observation[i]), theirs = Double(expected[t * n + i])
                    worst = max(worst, abs(ours - theirs) / (abs(theirs) + 0.1))
                    #expect(Self.close(ours, theirs), "\(task) seed \(e.seed) step \(t) observation[\(i)]: \(ours) vs \(theirs)")
                }
                guard t < e.rewards.count, terminatedAt == nil else { break }
                for j in 0..<action.count { action[j] = Float((Double(actions.next() >> 53) - 1024) / 1024 * reference.action_scale) }
                let outcome = env.step(action: &action, observation: &observation)
                #expect(Self.close(outcome.reward, e.rewards[t]), "\(task) seed \(e.seed) step \(t + 1) reward: \(outcome.reward) vs \(e.rewards[t])")
                #expect(!outcome.truncated)
                if outcome.terminated { terminatedAt = t + 1 }
            }
            #expect(terminatedAt == e.terminated_at, "\(task) seed \(e.seed): terminated at \(String(describing: terminatedAt)), gymnasium \(String(describing: e.terminated_at))")
            #expect(e.rewards.count == (e.terminated_at ?? Self.traces.steps))
        }
        print("\(task.rawValue): largest observation difference \(worst) (relative to |value| + 0.1)")
    }
}
