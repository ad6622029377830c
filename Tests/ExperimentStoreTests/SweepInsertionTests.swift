import ExperimentStore
import Foundation
import GRDB
import Testing

@Suite struct SweepInsertionTests {
    @Test func insertsTheSweepAndItsRunsPending() throws {
        let t = try TemporaryStore()
        let result = try t.store.insertSweep(Fixtures.sweep("a"), runs: Fixtures.runs(3))
        guard case let .inserted(id, count) = result else { Issue.record("expected inserted, got \(result)"); return }
        #expect(count == 3)
        let runs = try t.store.runs(sweepID: id)
        #expect(runs.map(\.configHash) == ["h0", "h1", "h2"])
        #expect(runs.allSatisfy { $0.status == .pending && $0.attempts == 0 && $0.worker == nil && $0.stepsDone == 0 })
        #expect(try t.store.sweep(named: "a")?.specJSON == Fixtures.sweep("a").specJSON)
    }

    @Test func sameNameAndSpecInsertsNothing() throws {
        let t = try TemporaryStore()
        let first = try t.store.insertSweep(Fixtures.sweep("a"), runs: Fixtures.runs(3))
        _ = try t.store.claimNextRun(worker: Fixtures.worker, leaseSeconds: 60)
        let again = try t.store.insertSweep(Fixtures.sweep("a"), runs: Fixtures.runs(3))
        #expect(again == .unchanged(sweepID: first.sweepID))
        #expect(try t.count("SELECT COUNT(*) FROM sweeps") == 1)
        #expect(try t.count("SELECT COUNT(*) FROM runs") == 3)
        #expect(try t.store.statusCounts().running == 1)   // existing state kept
    }

    @Test func sameNameDifferentSpecIsRefusedNamingTheChange() throws {
        let t = try TemporaryStore()
        try t.store.insertSweep(Fixtures.sweep("a"), runs: Fixtures.runs(3))
        let changed = Fixtures.sweep("a", spec: #"{"methods":{"PPO":{"clip":[0.1,0.2,0.3]}},"seeds":[0,1,2]}"#)
        #expect(throws: StoreError.sweepChanged(name: "a", changes: ["methods.PPO.clip: [0.1, 0.2] → [0.1, 0.2, 0.3]"])) {
            try t.store.insertSweep(changed, runs: Fixtures.runs(4))
        }
        #expect(try t.count("SELECT COUNT(*) FROM runs") == 3)
        #expect(try t.store.sweep(named: "a")?.specJSON == Fixtures.sweep("a").specJSON)
    }

    @Test func sameSpecButDifferentRunsIsRefused() throws {
        let t = try TemporaryStore()
        try t.store.insertSweep(Fixtures.sweep("a"), runs: Fixtures.runs(3))
        #expect {
            try t.store.insertSweep(Fixtures.sweep("a"), runs: Fixtures.runs(4))
        } throws: { error in
            guard case let .sweepChanged(name, changes) = error as? StoreError else { return false }
            return name == "a" && changes.first?.contains("1 new") == true
        }
        #expect(try t.count("SELECT COUNT(*) FROM runs") == 3)
    }

    @Test func aFailingInsertLeavesNothingBehind() throws {
        let t = try TemporaryStore()
        var runs = Fixtures.runs(3)
        runs[2].steps = 0   // violates CHECK (steps > 0) on the last row
        #expect(throws: DatabaseError.self) { try t.store.insertSweep(Fixtures.sweep("a"), runs: runs) }
        #expect(try t.count("SELECT COUNT(*) FROM sweeps") == 0)
        #expect(try t.count("SELECT COUNT(*) FROM runs") == 0)
    }

    @Test func specDiffNamesAddedRemovedAndChangedLeaves() {
        let old = #"{"envs":{"Pendulum":{"steps":1000}},"name":"x","seeds":[0,1]}"#
        let new = #"{"envs":{"LunarLander":{"steps":5},"Pendulum":{"steps":2000}},"name":"x","seeds":[0,1]}"#
        #expect(SpecDiff.changes(from: old, to: new) == [
            "envs.LunarLander.steps: (absent) → 5",
            "envs.Pendulum.steps: 1000 → 2000",
        ])
        #expect(SpecDiff.changes(from: old, to: old).isEmpty)
    }
}

/// Step budgets that sum past 2^63 (a store written before the limits, or by hand) saturate
/// instead of trapping in every `status` and scheduler (issue 11, defect 1).
@Test func statusCountsSaturateBudgetsSummingPastInt64() throws {
    let t = try TemporaryStore()
    try t.store.insertSweep(Fixtures.sweep("huge"), runs: Fixtures.runs(3, steps: Int.max))
    let counts = try t.store.statusCounts()
    #expect(counts.pending == 3)
    #expect(counts.stepsTotal == Int64.max && counts.stepsRemaining == Int64.max && counts.stepsDone == 0)
}
