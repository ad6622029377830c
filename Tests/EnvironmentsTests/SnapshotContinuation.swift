import Foundation
import Testing
@testable import Environments

/// Runs `env` for `before` steps (episodes must end, so that auto-resets precede the snapshot),
/// snapshots it through JSON, restores the snapshot into a new VectorEnv and steps both `after`
/// times with the same actions (`fill` writes them): every observation, reward, flag and final
/// observation is identical, episodes end after the restore too, and the snapshots agree at the end.
func expectSnapshotRestoreContinuesIdentically(_ env: VectorEnv, before: Int, after: Int,
                                               fill: (inout [Float]) -> Void) throws {
    let b = StepBuffers(env)
    b.reset(env)
    var ends = 0
    for _ in 0..<before {
        fill(&b.actions)
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
    for _ in 0..<after {
        fill(&b.actions)
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
