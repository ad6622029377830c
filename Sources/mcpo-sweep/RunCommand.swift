import ArgumentParser
import ExperimentStore
import Foundation
import Sweep

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Expand a sweep file into runs (idempotently) and execute every pending run.",
        discussion: "Exits 0 when every run of the sweep is done, 1 if some failed, 2 on bad input.")

    @Argument(help: "The sweep file (YAML, see sweeps/README.md).")
    var file: String

    @Option(help: "The experiment store.")
    var db = "mcpo.sqlite"

    @Option(help: "Worker processes to keep busy (default: the number of cores).")
    var workers: Int?

    func run() throws {
        let workerCount = workers ?? ProcessInfo.processInfo.activeProcessorCount
        guard workerCount >= 1 else {
            printError("mcpo-sweep: --workers: expected a positive integer, found \(workerCount)")
            throw ExitCode(Status.badInput)
        }
        let stop = StopSignal()
        stop.install()
        let prepared: SweepLaunch.Prepared
        do {
            prepared = try SweepLaunch.prepare(file: file, dbPath: db)
        } catch let error as SweepFileError {
            printError("\(error)")
            throw ExitCode(Status.badInput)
        } catch let error as StoreError {
            if case .sweepChanged = error { printError("\(file): \(db): \(error)") } else { printError("\(error)") }
            throw ExitCode(Status.badInput)
        }
        let sweepID = prepared.insertion.sweepID
        let name = prepared.spec.name
        switch prepared.insertion {
        case let .inserted(_, count):
            printError("sweep '\(name)': \(count) runs stored in \(db)")
        case .unchanged:
            let counts = try prepared.store.statusCounts(sweepID: sweepID)
            printError("sweep '\(name)' already stored in \(db): \(counts.done) done, \(counts.failed) failed, "
                + "\(counts.pending + counts.running) to run")
        }

        var options = Scheduler.Options(dbPath: db, workers: workerCount, executable: RunCommand.executable())
        options.leaseSeconds = Worker.defaultLeaseSeconds
        let scheduler = Scheduler(store: prepared.store, sweepID: sweepID, options: options,
                                  progress: ProgressLine(label: name), log: printError)
        switch try scheduler.run(stop: stop) {
        case .done:
            return
        case let .failed(ids):
            printError("sweep '\(name)': \(ids.count) run(s) failed:")
            for id in ids {
                if let run = try prepared.store.run(id: id) {
                    printError("  run \(id) (\(run.label)): \(run.error ?? "unknown error")")
                }
            }
            throw ExitCode(Status.failedRuns)
        case let .interrupted(signal):
            printError("sweep '\(name)': interrupted; run the same command again to resume")
            throw ExitCode(128 + signal)
        }
    }

    /// This executable, to spawn workers with.
    static func executable() -> URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }
}
