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
        let a = try Tool.start(["run", "tiny.yaml", "--workers", "1"], in: scratch.url, log: "a")
        let b = try Tool.start(["run", "tiny.yaml", "--workers", "1"], in: scratch.url, log: "b")
        a.waitUntilExit()
        b.waitUntilExit()
        let logs = ["a", "b"].map { (try? String(contentsOf: scratch.url.appendingPathComponent("\($0).err"), encoding: .utf8)) ?? "" }
        #expect(a.terminationStatus == 0 && b.terminationStatus == 0, "round \(round): \(logs)")
    }
}
