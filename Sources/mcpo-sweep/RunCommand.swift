import ArgumentParser
import ExperimentStore
import Foundation
import Sweep

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Expand a sweep file into runs (idempotently) and execute every pending run.",
        discussion: """
            Exits 0 when every run of the sweep is done, 1 if some failed, 2 on bad input, 3 if the sweep \
            was cancelled, 5 if the store cannot be written, 128+signal when interrupted (run it again to resume).
            """)

    @Argument(help: "The sweep file (YAML, see sweeps/README.md).")
    var file: String

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @OptionGroup var sweepFile: SweepFileOptions
    @OptionGroup var execution: ExecutionOptions

    func run() throws {
        try execution.ensureFileDescriptors()
        let options = execution.schedulerOptions(db: db)
        let stop = StopSignal()
        stop.install()
        let prepared = try sweepFile.store(file: file, db: db)
        let sweepID = prepared.insertion.sweepID
        let name = prepared.spec.name
        noteOtherSchedulers(prepared.store)
        let scheduler = Scheduler(store: prepared.store, scope: .sweep(sweepID), options: options,
                                  progress: ProgressLine(label: name), log: printError)
        switch try scheduler.run(stop: stop) {
        case .done:
            return
        case let .failed(ids):
            printError("sweep '\(name)': \(ids.count) run(s) failed (retry them with 'mcpo-sweep retry --failed'):")
            for id in ids {
                if let run = try prepared.store.run(id: id) {
                    printError("  run \(id) (\(run.label)): \(run.error ?? "unknown error")")
                }
            }
            throw ExitCode(Status.failedRuns)
        case .cancelled:
            printError("sweep '\(name)': cancelled; its unfinished runs are pending (run or submit the file again to resume)")
            throw ExitCode(Status.cancelled)
        case let .interrupted(signal):
            printError("sweep '\(name)': interrupted; run the same command again to resume")
            throw ExitCode(128 + signal)
        case let .storeGone(error):
            printError("sweep '\(name)': \(error)")
            throw ExitCode(Status.storeGone)
        case let .cannotStartWorkers(reason):
            printError("sweep '\(name)': stopped: \(reason), for \(Int(options.environmentGiveUpSeconds)) s; its runs are pending (run the same command again once workers can start)")
            throw ExitCode(Status.cannotStartWorkers)
        }
    }
}
