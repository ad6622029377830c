import ArgumentParser
import CLISupport
import ExperimentStore
import Foundation
import PostgresStore
import Sweep

/// `mcpo-sweep slurm FILE --db postgres://…`: stores the sweep and submits one Slurm job array
/// whose tasks each run `mcpo-sweep worker --until-empty` (docs/cluster.md).
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Store a sweep in a PostgreSQL store and submit a Slurm job array whose tasks execute its runs.",
        discussion: """
            Each of the --tasks array tasks runs 'mcpo-sweep worker --until-empty': it claims a pending run, trains it, \
            and repeats until every run is done or failed. Tasks are submitted with --requeue: a task whose node fails \
            or that is preempted is started again and resumes its run from its checkpoint. Slurm's time limit and \
            scancel send SIGTERM: the run in progress is checkpointed and given back. Submit again (the same command) \
            to continue a sweep that was not finished. Exits 0 when submitted, 2 on bad input (nothing stored), 4 when \
            sbatch fails. See docs/cluster.md.
            """)

    @Argument(help: "The sweep file (YAML, see sweeps/README.md).")
    var file: String

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @OptionGroup var sweepFile: SweepFileOptions

    @Option(help: "Array tasks (default: the sweep's runs left to run, at most 64).")
    var tasks: Int?

    @Option(help: "Slurm partition (default: the cluster's default).")
    var partition: String?

    @Option(help: "Time limit of each task, as Slurm reads it (HH:MM:SS, D-HH:MM:SS, minutes).")
    var time: String?

    @Option(name: .customLong("cpus-per-task"), help: "CPUs of each task (a worker trains one run on one core).")
    var cpusPerTask = 1

    @Option(help: "Each task's output file (%x job name, %A job id, %a task id), appended to when requeued.")
    var output = "mcpo-%x-%A_%a.out"

    @Option(name: .customLong("lease-seconds"), help: "Lease of a run (default \(Int(Worker.defaultLeaseSeconds)) s): a run whose node failed is taken over this long after its last heartbeat.")
    var leaseSeconds: Double?

    @Option(name: .customLong("checkpoint-seconds"), help: "Wall time between checkpoints (default \(Int(Worker.defaultCheckpointSeconds)) s).")
    var checkpointSeconds: Double?

    @Option(name: .customLong("sbatch-option"), help: "More sbatch options for the batch script (repeatable), e.g. --sbatch-option=--account=rl.")
    var sbatchOptions: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Print the batch script; store and submit nothing.")
    var dryRun = false

    func validate() throws {
        guard Stores.isPostgres(db) else {
            throw badInput("--db: expected a PostgreSQL store (postgres://USER@HOST[:PORT]/DATABASE), found '\(db)': "
                + "the tasks of a Slurm job run on many machines, and an SQLite file on a shared file system is not safe for that")
        }
        if let tasks, !(1...10_000).contains(tasks) { throw badInput("--tasks: expected 1 to 10000, found \(tasks)") }
        if let time, !SlurmBatch.isTime(time) { throw badInput("--time: expected HH:MM:SS, D-HH:MM:SS or minutes, found '\(time)'") }
        if cpusPerTask < 1 { throw badInput("--cpus-per-task: expected at least 1, found \(cpusPerTask)") }
        for (name, value) in [("--lease-seconds", leaseSeconds), ("--checkpoint-seconds", checkpointSeconds)] {
            if let value, !(value > 0) { throw badInput("\(name): expected a number of seconds > 0, found \(value)") }
        }
        if let bad = sbatchOptions.first(where: { !$0.hasPrefix("-") || $0.contains("\n") }) {
            throw badInput("--sbatch-option: expected an sbatch option such as --account=NAME, found '\(bad)'")
        }
    }

    func run() throws {
        if dryRun {
            let spec: SweepSpec
            do { spec = try SweepParser.parse(contentsOf: file) } catch let error as SweepFileError { throw badInput("\(error)") }
            print(batch(sweep: sweepFile.newName ?? spec.name, tasks: tasks ?? min(spec.expand().count, 64)).script, terminator: "")
            note("dry run: nothing stored, nothing submitted")
            return
        }
        let prepared = try sweepFile.store(file: file, db: db)
        let counts = try prepared.store.statusCounts(sweepID: prepared.insertion.sweepID)
        let left = counts.pending + counts.running
        guard left > 0 else {
            note("sweep '\(prepared.spec.name)' has nothing left to run (\(counts.done) done, \(counts.failed) failed); nothing submitted")
            return
        }
        let script = batch(sweep: prepared.spec.name, tasks: tasks ?? min(left, 64))
        let job = try submit(script)
        note("submitted Slurm job \(job): \(script.tasks) task(s) for sweep '\(prepared.spec.name)' (\(left) run(s) to run); "
            + "follow it with 'squeue -j \(job)' and 'mcpo-sweep status --db \(prepared.store.path)'")
        print(job)
    }

    private func batch(sweep: String, tasks: Int) -> SlurmBatch {
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).standardizedFileURL.path
        var batch = SlurmBatch(sweep: sweep, db: db, executable: executable, tasks: tasks, output: output)
        batch.partition = partition
        batch.time = time
        batch.cpusPerTask = cpusPerTask
        batch.leaseSeconds = leaseSeconds
        batch.checkpointSeconds = checkpointSeconds
        batch.extra = sbatchOptions
        return batch
    }

    /// Runs `sbatch --parsable` with the script on its input; the job id.
    private func submit(_ batch: SlurmBatch) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sbatch", "--parsable"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw failure(ExitStatus.cannotStartWorkers, "cannot run sbatch (\(error)); the sweep is stored, submit again where Slurm's commands are")
        }
        input.fileHandleForWriting.write(Data(batch.script.utf8))
        try? input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let job = out.split(separator: "\n").last.map { String($0.split(separator: ";").first ?? "") } ?? ""
        guard process.terminationStatus == 0, !job.isEmpty else {
            let why = err.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw failure(ExitStatus.cannotStartWorkers, "sbatch refused the job: \(why); the sweep is stored, nothing was submitted")
        }
        return job
    }
}
