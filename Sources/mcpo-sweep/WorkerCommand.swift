import ArgumentParser
import ExperimentStore
import Foundation
import PostgresStore
import Sweep

/// Started by `run` and `daemon` for each run (`--run ID`), and by each task of a Slurm job
/// array (`--until-empty`: claim, train, repeat until nothing is left to run).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Execute one run of the store (--run, as 'run' and 'daemon' start it), or runs until none is left (--until-empty, as 'slurm' starts it).",
        shouldDisplay: false)

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @Option(name: .customLong("run"), help: "The id of the run to execute.")
    var runID: Int64?

    @Flag(name: .customLong("until-empty"), help: "Claim a pending run, train it, and repeat until every run (of --sweep) is done or failed.")
    var untilEmpty = false

    @Option(help: "With --until-empty: claim only runs of this sweep.")
    var sweep: String?

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
        if (runID == nil) == !untilEmpty { throw badInput("worker: expected either --run ID or --until-empty") }
        if sweep != nil && !untilEmpty { throw badInput("worker: --sweep goes with --until-empty") }
    }

    func run() throws {
        let stop = StopSignal()
        stop.install()
        var options = Worker.Options()
        options.checkpointSeconds = checkpointSeconds
        options.leaseSeconds = leaseSeconds
        options.parent = parent
        guard let runID else { return try drain(options: options, stop: stop) }
        let exit = Worker.execute(dbPath: db, runID: runID, stop: stop, options: options) { note("worker: \($0)") }
        if exit != .done { throw ExitCode(exit.rawValue) }
    }

    private func drain(options: Worker.Options, stop: StopSignal) throws {
        let sweepID = try sweep.map { name in try StoreLookup.read(db) { try StoreLookup.sweep($0, named: name).id } }
        let me = WorkerID.current
        let log: (String) -> Void = { note("[\(Store.timestamp(Store.unixNow()))] worker \(me): \($0)") }
        log("on \(Stores.isPostgres(db) ? (try? PostgresURL(db).description) ?? db : db)\(sweep.map { ", sweep '\($0)'" } ?? "")\(Self.slurmTask)")
        let summary = Worker.drain(dbPath: db, sweepID: sweepID, stop: stop, options: options, log: log)
        log("\(summary.done) run(s) done, \(summary.failed) failed, \(summary.givenBack) given back; exiting (\(summary.exit))")
        if summary.exit != .done { throw ExitCode(summary.exit.rawValue) }
    }

    /// ", Slurm job J task T on node N (restart R)" inside a Slurm task, else "".
    static var slurmTask: String {
        let env = ProcessInfo.processInfo.environment
        guard let job = env["SLURM_ARRAY_JOB_ID"] ?? env["SLURM_JOB_ID"] else { return "" }
        return ", Slurm job \(job) task \(env["SLURM_ARRAY_TASK_ID"] ?? "-") on node \(env["SLURMD_NODENAME"] ?? "?")"
            + " (restart \(env["SLURM_RESTART_COUNT"] ?? "0"))"
    }
}
