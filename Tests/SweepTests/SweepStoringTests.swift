import ExperimentStore
import Foundation
import GRDB
import Testing
@testable import Sweep

/// `SweepLaunch.prepare`: validate everything, then insert idempotently; bad input leaves the
/// store untouched.
@Suite struct SweepStoringTests {
    @Test func insertingTheSameFileTwiceInsertsNothingTheSecondTime() throws {
        let scratch = try Scratch()
        let file = scratch.write("tiny.yaml", tinySweep)
        let db = scratch.path("store.sqlite")
        let first = try SweepLaunch.prepare(file: file, dbPath: db)
        #expect(first.insertion == .inserted(sweepID: 1, runs: 4))
        let runs = try first.store.runs(sweepID: 1)
        #expect(runs.map(\.configHash) == first.runs.map(\.configHash))
        #expect(runs.map(\.configJSON) == first.runs.map(\.configJSON))
        #expect(runs.map(\.param) == ["clip", "clip", "clip", "clip"])
        #expect(runs.map(\.value) == [0.1, 0.1, 0.2, 0.2])
        #expect(runs.map(\.seed) == [0, 1, 0, 1])
        #expect(try first.store.sweep(named: "tiny")?.specJSON == first.spec.canonicalJSON)

        // The same sweep written differently is the same sweep.
        let respelt = scratch.write("respelt.yaml", """
            methods: {ppo: {clip: [0.1, 0.2]}}
            envs: {Pendulum: {steps: 512}}
            defaults: {actors: 2, minibatch_size: 32, epochs: 2, horizon: 32}
            seeds: [0, 1]
            name: tiny
            """)
        let second = try SweepLaunch.prepare(file: respelt, dbPath: db)
        #expect(second.insertion == .unchanged(sweepID: 1))
        #expect(try second.store.runs().count == 4)
    }

    @Test func aChangedSpecIsRefusedNamingTheChangeAndTheStoreIsUntouched() throws {
        let scratch = try Scratch()
        let db = scratch.path("store.sqlite")
        _ = try SweepLaunch.prepare(file: scratch.write("tiny.yaml", tinySweep), dbPath: db)
        let before = scratch.bytes(db)
        let changed = scratch.write("changed.yaml", tinySweep.replacingOccurrences(of: "[0.1, 0.2]", with: "[0.1, 0.2, 0.3]")
            .replacingOccurrences(of: "steps: 512", with: "steps: 1024"))
        #expect(throws: StoreError.sweepChanged(name: "tiny", changes: [
            "envs.Pendulum.steps: 512 → 1024",
            "methods.PPO.clip: [0.1, 0.2] → [0.1, 0.2, 0.3]",
        ])) {
            _ = try SweepLaunch.prepare(file: changed, dbPath: db)
        }
        #expect(scratch.bytes(db) == before)
    }

    @Test func badFilesLeaveAnExistingStoreByteForByteUnchanged() throws {
        let scratch = try Scratch()
        let original = scratch.path("original.sqlite")
        _ = try SweepLaunch.prepare(file: scratch.write("tiny.yaml", tinySweep), dbPath: original)
        // A copy of a closed store (checkpointed: no WAL).
        let copy = scratch.path("copy.sqlite")
        try FileManager.default.copyItem(atPath: original, toPath: copy)
        let before = scratch.bytes(copy)
        #expect(before[1] == nil)
        for bad in ["name: tiny\nseeds: [0, 1\n", "name: other\nseeds: 2\nenvs: {Pendulum: {steps: 0}}\n",
                    "name: other\nseeds: 2\nenvs: {Pendulum: {steps: 10}}\nmethods: {MCPPO: {}}\n"] {
            #expect(throws: SweepFileError.self) {
                _ = try SweepLaunch.prepare(file: scratch.write("bad.yaml", bad), dbPath: copy)
            }
            #expect(scratch.bytes(copy) == before)
        }
        // And a bad file never creates a store.
        #expect(throws: SweepFileError.self) {
            _ = try SweepLaunch.prepare(file: scratch.write("bad.yaml", "name: x\n"), dbPath: scratch.path("new.sqlite"))
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("new.sqlite")))
    }
}
