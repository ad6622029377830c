import ArgumentParser
import CLISupport
import ExperimentStore
import Foundation
import PostgresStore

/// `mcpo-sweep copy --from A --to B`: brings results home (a PostgreSQL store to a local
/// SQLite file) or takes them out, idempotently (`StoreCopy`).
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy sweeps with their finished runs, metrics and events from one store to another (SQLite or PostgreSQL).",
        discussion: """
            The target gets each sweep (created, or given the runs it lacks) and every run the source has finished; \
            runs the target has done itself, or is running, are left alone, and runs the source has not finished are \
            not copied. Copying again copies only what finished since. Exits 0 when copied, 2 on bad input.
            """)

    @Option(help: ArgumentHelp("The store to read (never written).", valueName: "path|url"))
    var from: String

    @Option(help: ArgumentHelp("The store to write (an SQLite file is created when missing).", valueName: "path|url"))
    var to: String

    @Option(help: "A sweep to copy (repeatable; default: every sweep).")
    var sweep: [String] = []

    func validate() throws {
        for (name, address) in [("--from", from), ("--to", to)] {
            if address.isEmpty { throw badInput("\(name): expected the path or URL of a store, found an empty one") }
            if Stores.isPostgres(address) { do { _ = try PostgresURL(address) } catch { throw badInput("\(name): \(error)") } }
        }
        if from == to { throw badInput("--from and --to name the same store") }
    }

    func run() throws {
        let summary: StoreCopy.Summary
        let target: AnyStore
        do {
            let source = try Stores.openReadOnly(from)
            target = try Stores.open(to)
            summary = try StoreCopy.copy(from: source, to: target, sweeps: sweep.isEmpty ? nil : sweep)
        } catch let error as StoreError {
            throw failure(CLI.status(for: error), "\(error)")
        }
        note("copied \(summary.sweeps) sweep(s) to \(target.path): \(summary.copied) finished run(s) copied, "
            + "\(summary.alreadyThere) already there, \(summary.notFinished) not finished in the source (not copied)"
            + (summary.busy > 0 ? ", \(summary.busy) running in the target (left alone)" : ""))
    }
}
