import ExperimentStore
import PostgresStore
import Foundation

/// The part of `mcpo-sweep run` and `submit` before scheduling: read, validate and expand the
/// file, and only then open the store and insert the sweep idempotently. Any problem with the
/// file, a changed sweep or an unreadable store is found before the store is opened for
/// writing, so bad input leaves the store file untouched (and a missing store is not created).
public enum SweepLaunch {
    /// What to do when a sweep of the file's name is stored with another spec.
    public enum Mode: Equatable, Sendable {
        /// Refuse, naming what changed.
        case strict
        /// Store the file under this name instead of the one it gives.
        case newName(String)
        /// Add the file's new runs to the stored sweep (refused if a stored run would be dropped).
        case extend
    }

    public struct Prepared {
        public let spec: SweepSpec
        public let runs: [PlannedRun]
        public let store: AnyStore
        public let insertion: SweepInsertion
        /// The sweep had been cancelled; storing it again resumed it.
        public let resumed: Bool
    }

    public static func prepare(file: String, dbPath: String, mode: Mode = .strict) throws -> Prepared {
        var spec = try SweepParser.parse(contentsOf: file)
        if case let .newName(name) = mode {
            if let (expectation, found) = SweepName.problem(name) {
                throw SweepFileError(file: file, line: nil, column: nil, message: "--new-name: expected \(expectation), found \(found)")
            }
            spec.name = name
        }
        let runs = spec.expand()
        let sweep = NewSweep(name: spec.name, specJSON: spec.canonicalJSON, specHash: spec.specHash)
        let newRuns = runs.map(\.newRun)
        if Stores.isPostgres(dbPath) || FileManager.default.fileExists(atPath: dbPath) {
            // Refuse a changed sweep (or an unreadable store) before opening the store for writing:
            // opening it writable is itself a write.
            do {
                let existing = try Stores.openReadOnly(dbPath)
                if mode == .extend { _ = try existing.checkExtension(sweep, runs: newRuns) }
                else { _ = try existing.checkSweep(sweep, runs: newRuns) }
            } catch StoreError.uninitialized {
                // Empty, or being created by another process: nothing to compare with yet.
            }
        }
        let store = try Stores.open(dbPath)
        let insertion = mode == .extend ? try store.extendSweep(sweep, runs: newRuns) : try store.insertSweep(sweep, runs: newRuns)
        let resumed = try store.resumeSweep(id: insertion.sweepID)
        return Prepared(spec: spec, runs: runs, store: store, insertion: insertion, resumed: resumed)
    }
}
