import ArgumentParser
import CLISupport
import ExperimentStore
import PostgresStore
import Foundation
import Sweep

/// Read-only look-ups that commands do before writing, so that bad input never changes the
/// store: each failure is one line `mcpo-sweep: error: …` and exit status 2 (a store that
/// cannot be read now: 5).
enum StoreLookup {
    /// Runs `body` on the store's read-only handle; store problems become one line and exit 2.
    static func read<T>(_ db: String, _ body: (any ResultsReader) throws -> T) throws -> T {
        do {
            return try body(try Stores.openReadOnly(db))
        } catch let error as StoreError {
            throw failure(CLI.status(for: error), "\(error)")   // names the store's path
        } catch let error as LookupError {
            throw badInput("\(db): \(error.message)")
        }
    }

    struct LookupError: Error { let message: String }

    /// The sweep named `name`, or an error with a did-you-mean among the stored names.
    static func sweep(_ store: any ResultsReader, named name: String) throws -> SweepRecord {
        if let sweep = try store.sweep(named: name) { return sweep }
        let names = try store.sweeps().map(\.name)
        var message = "\(StoreError.noSuchSweep(name: name, stored: names))"
        message += Suggestion.clause(for: name, among: names)
        throw LookupError(message: message)
    }

    static func run(_ store: any ResultsReader, id: Int64) throws -> RunRecord {
        if let run = try store.run(id: id) { return run }
        let known = try store.runIDRange().map { "runs are \($0.lowerBound)…\($0.upperBound)" } ?? "the store has no runs"
        throw LookupError(message: "no run with id \(id) (\(known); see 'mcpo-sweep list')")
    }
}
