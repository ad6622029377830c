import ArgumentParser
import ExperimentStore
import PostgresStore
import Foundation

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a sweep: its pending runs are not started, its running runs checkpoint and stop.",
        discussion: "Its unfinished runs stay pending; 'run' or 'submit' of the same file resumes the sweep.")

    @Argument(help: "The sweep's name (see 'mcpo-sweep status').")
    var sweep: String

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    func run() throws {
        let record = try StoreLookup.read(db) { store in try StoreLookup.sweep(store, named: sweep) }
        let store = try Stores.open(db)
        let cancelled = try store.cancelSweep(id: record.id)
        let counts = try store.statusCounts(sweepID: record.id)
        print("sweep '\(sweep)' cancelled\(record.cancelledAt != nil ? " (already, at \(cancelled.cancelledAt ?? "?"))" : ""): "
            + "\(counts.running) running run(s) will checkpoint and stop, \(counts.pending) pending not started, "
            + "\(counts.done) done, \(counts.failed) failed")
    }
}
