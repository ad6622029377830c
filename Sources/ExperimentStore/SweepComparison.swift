import Foundation

/// How a sweep file's expansion compares with the sweep of its name already stored, the same
/// for every backend (each reads the stored rows its own way).
public enum SweepComparison {
    /// For `extendSweep`: the runs to add; `cannotExtend` (naming a run and what changed) when
    /// a stored run is no longer in the expansion.
    public static func runsToAdd(_ sweep: NewSweep, runs: [NewRun], existing: SweepRecord, stored: [RunRecord]) throws -> [NewRun] {
        let expanded = Set(runs.map(\.configHash))
        let dropped = stored.filter { !expanded.contains($0.configHash) }
        if let first = dropped.first {
            throw StoreError.cannotExtend(name: sweep.name, dropped: dropped.count, example: "run \(first.id) (\(first.label))",
                                          changes: SpecDiff.changes(from: existing.specJSON, to: sweep.specJSON))
        }
        let storedHashes = Set(stored.map(\.configHash))
        return runs.filter { !storedHashes.contains($0.configHash) }
    }

    /// For `insertSweep`: nothing when `sweep` is the stored one (the same spec and the same
    /// runs, by config hash); `sweepChanged`, naming what changed, otherwise.
    public static func checkUnchanged(_ sweep: NewSweep, runs: [NewRun], existing: SweepRecord, storedHashes: Set<String>) throws {
        if existing.specHash != sweep.specHash || existing.specJSON != sweep.specJSON {
            var changes = SpecDiff.changes(from: existing.specJSON, to: sweep.specJSON)
            if changes.isEmpty { changes = ["spec hash \(existing.specHash) → \(sweep.specHash)"] }
            throw StoreError.sweepChanged(name: sweep.name, changes: changes)
        }
        let expanded = Set(runs.map(\.configHash))
        if storedHashes != expanded {
            let added = expanded.subtracting(storedHashes).count, gone = storedHashes.subtracting(expanded).count
            throw StoreError.sweepChanged(name: sweep.name, changes: [
                "same spec but the runs' configs differ (this mcpo's defaults changed?): \(added) new, \(gone) no longer expanded",
            ])
        }
    }
}
