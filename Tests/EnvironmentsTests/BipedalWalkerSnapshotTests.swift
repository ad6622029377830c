import Foundation
import Testing
@testable import Environments

/// Saving and restoring walkers: episode seed plus the actions taken, rebuilt by replay.
@Suite struct BipedalWalkerSnapshotTests {
    /// An environment rebuilt from its state (directly and through JSON) continues bit-identically.
    @Test func replayReproducesEpisode() throws {
        for hardcore in [false, true] {
            let env = BipedalWalker(hardcore: hardcore)
            var rng = SeededGenerator(seed: 61)
            var policy = SeededGenerator(seed: 62)
            var o = [Float](repeating: 0, count: 24)
            var a = [Float](repeating: 0, count: 4)
            env.reset(using: &rng, observation: &o)
            for _ in 0..<57 {
                for j in 0..<4 { a[j] = Float(policy.uniform(-1, 1)) }
                #expect(!env.step(action: a, observation: &o).done)
            }
            let copy = try BipedalWalker(restoring: env.state)
            let decoded = try JSONDecoder().decode(BipedalWalker.self, from: JSONEncoder().encode(env))
            #expect(copy.state == env.state && decoded.state == env.state)
            #expect(copy.elapsedSteps == 57 && decoded.hardcore == hardcore)
            var o2 = o, o3 = o
            for _ in 0..<300 {
                for j in 0..<4 { a[j] = Float(policy.uniform(-1, 1)) }
                let r1 = env.step(action: a, observation: &o)
                let r2 = copy.step(action: a, observation: &o2)
                let r3 = decoded.step(action: a, observation: &o3)
                #expect(r1 == r2 && r1 == r3)
                #expect(o == o2 && o == o3)
                if r1.done { break }
            }
        }
        #expect(throws: EnvironmentError.self) {
            try BipedalWalker(restoring: BipedalWalkerState(hardcore: false, episodeSeed: 1, actions: [0, 0, 0]))
        }
        #expect(throws: EnvironmentError.self) {
            try BipedalWalker(restoring: BipedalWalkerState(hardcore: false, episodeSeed: nil, actions: [0, 0, 0, 0]))
        }
    }

    /// Snapshot a vector of walkers mid-run (after auto-resets), restore it through JSON into a new
    /// VectorEnv and continue: every observation, reward, flag and final observation is identical.
    @Test func vectorSnapshotRestoreContinuesIdentically() throws {
        for name in ["BipedalWalker", "BipedalWalkerHardcore"] {
            var policy = SeededGenerator(seed: 7)
            try expectSnapshotRestoreContinuesIdentically(try VectorEnv(name: name, count: 4, seed: 99),
                                                          before: 400, after: 1000) { actions in
                for k in 0..<actions.count { actions[k] = Float(policy.uniform(-1, 1)) }
            }
        }
    }
}
