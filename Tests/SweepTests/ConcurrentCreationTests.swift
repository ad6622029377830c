import Foundation
import Testing
@testable import Sweep

/// Two schedulers started at the same moment on a store that does not exist yet: one creates it
/// and switches it to WAL mode while the other opens it. The opener waits instead of failing
/// with "database is locked" (it did in about half of such starts).
@Test(.timeLimit(.minutes(2)))
func twoSchedulersCreatingOneStoreTogetherBothSucceed() throws {
    for round in 0..<5 {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep)
        let (statuses, logs) = try Tool.runTwice(["run", "tiny.yaml", "--workers", "1"], in: scratch.url)
        #expect(statuses == [0, 0], "round \(round): \(logs)")
    }
}
