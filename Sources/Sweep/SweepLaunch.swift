import ExperimentStore
import Foundation

/// The part of `mcpo-sweep run` before scheduling: read, validate and expand the file, and
/// only then open the store and insert the sweep idempotently. Any problem with the file, and a
/// changed sweep or an unreadable store, is found before the store is opened for writing, so bad
/// input leaves the store file untouched (and a missing store is not created).
public enum SweepLaunch {
    public struct Prepared {
        public let spec: SweepSpec
        public let runs: [PlannedRun]
        public let store: Store
        public let insertion: SweepInsertion
    }

    public static func prepare(file: String, dbPath: String) throws -> Prepared {
        let spec = try SweepParser.parse(contentsOf: file)
        let runs = spec.expand()
        let sweep = NewSweep(name: spec.name, specJSON: spec.canonicalJSON, specHash: spec.specHash)
        let newRuns = runs.map(\.newRun)
        if FileManager.default.fileExists(atPath: dbPath) {
            // Refuse a changed sweep (or an unreadable store) before opening the store for writing:
            // opening it writable is itself a write.
            do {
                _ = try Store.inspect(path: dbPath) { db in try Store.checkSweep(db, sweep, runs: newRuns) }
            } catch StoreError.uninitialized {
                // Empty, or being created by another process: nothing to compare with yet.
            }
        }
        let store = try Store(path: dbPath)
        let insertion = try store.insertSweep(sweep, runs: newRuns)
        return Prepared(spec: spec, runs: runs, store: store, insertion: insertion)
    }
}
