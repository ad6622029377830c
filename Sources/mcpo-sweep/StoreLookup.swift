import ArgumentParser
import ExperimentStore
import Foundation
import GRDB
import Sweep

/// Read-only look-ups that commands do before writing, so that bad input never changes the
/// store: each failure is one line on standard error and exit status 2.
enum StoreLookup {
    /// Runs `body` on a read-only connection; store problems become one line and exit 2.
    static func read<T>(_ db: String, command: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try Store.inspect(path: db, body)
        } catch let error as StoreError {
            printError("\(error)")   // names the store's path
            throw ExitCode(Status.badInput)
        } catch let error as LookupError {
            printError("mcpo-sweep \(command): \(db): \(error.message)")
            throw ExitCode(Status.badInput)
        }
    }

    struct LookupError: Error { let message: String }

    /// The sweep named `name`, or an error with a did-you-mean among the stored names.
    static func sweep(_ db: Database, named name: String) throws -> SweepRecord {
        if let sweep = try Store.fetchSweep(db, named: name) { return sweep }
        let names = try Store.fetchSweeps(db).map(\.name)
        var message = "no sweep named '\(name)' (stored: \(names.isEmpty ? "none" : names.joined(separator: ", ")))"
        if let guess = SweepParser.suggestion(for: name, among: names) { message += "; did you mean '\(guess)'?" }
        throw LookupError(message: message)
    }

    static func run(_ db: Database, id: Int64) throws -> RunRecord {
        if let run = try RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) { return run }
        let range = try Row.fetchOne(db, sql: "SELECT MIN(id), MAX(id) FROM runs")
        let known: String = (range?[0] as Int64?).map { "runs are \($0)…\((range?[1] as Int64?) ?? $0)" } ?? "the store has no runs"
        throw LookupError(message: "no run with id \(id) (\(known); see 'mcpo-sweep list')")
    }
}
