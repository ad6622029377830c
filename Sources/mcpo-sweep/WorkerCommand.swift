import ArgumentParser
import Foundation
import Sweep

/// Started by `run` and `daemon` for each run; not meant to be typed (but works on a pending run).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Execute one run of the store (started by 'run' and 'daemon').",
        shouldDisplay: false)

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @Option(name: .customLong("run"), help: "The id of the run to execute.")
    var runID: Int64

    @Option(name: .customLong("checkpoint-seconds"), help: "Wall time between checkpoints.")
    var checkpointSeconds = Worker.defaultCheckpointSeconds

    @Option(name: .customLong("lease-seconds"), help: "Length of the run's lease.")
    var leaseSeconds = Worker.defaultLeaseSeconds

    @Option(help: "The pid of the scheduler that started this worker: stop when it is gone.")
    var parent: Int32?

    func validate() throws {
        guard checkpointSeconds > 0, leaseSeconds > 0 else {
            throw badInput("--checkpoint-seconds and --lease-seconds must be > 0")
        }
    }

    func run() throws {
        let stop = StopSignal()
        stop.install()
        var options = Worker.Options()
        options.checkpointSeconds = checkpointSeconds
        options.leaseSeconds = leaseSeconds
        options.parent = parent
        let exit = Worker.execute(dbPath: db, runID: runID, stop: stop, options: options) { note("worker: \($0)") }
        if exit != .done { throw ExitCode(exit.rawValue) }
    }
}
