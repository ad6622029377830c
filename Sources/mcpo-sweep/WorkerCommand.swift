import ArgumentParser
import Foundation
import Sweep

/// Started by `run` for each run; not meant to be typed (but works on a pending run).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Execute one run of the store (started by 'run').",
        shouldDisplay: false)

    @Option(help: "The experiment store.")
    var db = "mcpo.sqlite"

    @Option(name: .customLong("run"), help: "The id of the run to execute.")
    var runID: Int64

    func run() throws {
        let stop = StopSignal()
        stop.install()
        let exit = Worker.execute(dbPath: db, runID: runID, stop: stop) { printError("mcpo-sweep worker: \($0)") }
        if exit != .done { throw ExitCode(exit.rawValue) }
    }
}
