import ArgumentParser
import ExperimentStore
import Foundation
import Sweep

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Store a sweep file's runs for a daemon to execute (idempotently), and return.",
        discussion: "Exits 0 when the sweep is stored (or was already), 2 on bad input (the store untouched).")

    @Argument(help: "The sweep file (YAML, see sweeps/README.md).")
    var file: String

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @OptionGroup var sweepFile: SweepFileOptions

    func run() throws {
        let prepared = try sweepFile.store(file: file, db: db)
        let daemons = (try? prepared.store.liveSchedulers().filter { $0.kind == .daemon }) ?? []
        if daemons.isEmpty {
            note("note: no daemon is running on \(db); start one with 'mcpo-sweep daemon --db \(db)' "
                + "(or execute this sweep alone with 'mcpo-sweep run \(file) --db \(db)')")
        } else {
            let list = daemons.map { "\($0.worker) (\($0.workers) workers)" }.joined(separator: ", ")
            note("queued for daemon \(list)")
        }
    }
}
