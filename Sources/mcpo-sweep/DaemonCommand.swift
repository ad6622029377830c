import ArgumentParser
import CLISupport
import ExperimentStore
import PostgresStore
import Foundation
import Sweep

struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Execute every queued run of the store, waiting for more, until SIGINT/SIGTERM.",
        discussion: """
            Queue sweeps with 'mcpo-sweep submit FILE'. Each run executes in its own worker process; \
            on SIGINT/SIGTERM the workers checkpoint and give their runs back, and the daemon exits \
            (128+signal) within 5 seconds. Several daemons (or runs) may share a store: no run is \
            executed twice.
            """)

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @OptionGroup var execution: ExecutionOptions

    func run() throws {
        try execution.ensureFileDescriptors()
        var options = execution.schedulerOptions(db: db)
        options.pollInterval = 0.5
        let stop = StopSignal()
        stop.install()
        let existed = Stores.isPostgres(db) || FileManager.default.fileExists(atPath: db)
        let store: AnyStore
        do {
            store = try Stores.open(db)
        } catch let error as StoreError {
            throw failure(CLI.status(for: error), "\(error)")
        }
        let log: (String) -> Void = { note("[\(Store.timestamp(Store.unixNow()))] \($0)") }
        let counts = try store.statusCounts()
        log("daemon \(WorkerID.current) on \(db)\(existed ? "" : " (new store)"): \(options.workers) workers, "
            + "\(counts.pending + counts.running) runs queued; submit sweeps with 'mcpo-sweep submit FILE --db \(db)'")
        noteOtherSchedulers(store)
        let scheduler = Scheduler(store: store, scope: .everything, options: options, progress: nil, log: log)
        switch try scheduler.run(stop: stop) {
        case let .interrupted(signal):
            log("daemon stopped by signal \(signal); start it again to continue")
            throw ExitCode(ExitStatus.signal(signal))
        case let .storeGone(error):
            throw failure(ExitStatus.storeGone, "daemon stopped: \(error)")
        case let .cannotStartWorkers(reason):
            throw failure(ExitStatus.cannotStartWorkers, "daemon stopped: \(reason), for \(Int(options.environmentGiveUpSeconds)) s; "
                + "runs are pending (start it again once workers can start)")
        case .done, .failed, .cancelled:
            return
        }
    }
}
