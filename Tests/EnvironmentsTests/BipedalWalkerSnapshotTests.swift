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
            let env = try VectorEnv(name: name, count: 4, seed: 99)
            let b = StepBuffers(env)
            var policy = SeededGenerator(seed: 7)
            func fill() {
                for k in 0..<b.actions.count { b.actions[k] = Float(policy.uniform(-1, 1)) }
            }
            b.reset(env)
            var ends = 0
            for _ in 0..<400 {
                fill()
                b.step(env)
                ends += zip(b.terminated, b.truncated).filter { $0 || $1 }.count
            }
            #expect(ends > 0)  // auto-resets happened before the snapshot
            let data = try JSONEncoder().encode(env.snapshot())
            let snapshot = try JSONDecoder().decode(VectorEnvSnapshot.self, from: data)
            #expect(snapshot == env.snapshot())
            let restored = try VectorEnv(snapshot: snapshot)
            let r = StepBuffers(restored)
            restored.currentObservations(into: &r.observations)
            #expect(r.observations == b.observations)
            var laterEnds = 0
            for _ in 0..<1000 {
                fill()
                r.actions = b.actions
                b.step(env)
                r.step(restored)
                #expect(r.observations == b.observations)
                #expect(r.rewards == b.rewards)
                #expect(r.terminated == b.terminated)
                #expect(r.truncated == b.truncated)
                for i in 0..<env.count where b.terminated[i] || b.truncated[i] {
                    #expect(r.row(r.finals, i) == b.row(b.finals, i))
                    laterEnds += 1
                }
            }
            #expect(laterEnds > 0)
            #expect(restored.snapshot() == env.snapshot())
        }
    }
}
