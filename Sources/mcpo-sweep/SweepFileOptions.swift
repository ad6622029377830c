import ArgumentParser
import CLISupport
import ExperimentStore
import PostgresStore
import Foundation
import Sweep

/// `--new-name` / `--extend`, shared by `run` and `submit`, and storing the file with them.
struct SweepFileOptions: ParsableArguments {
    @Option(name: .customLong("new-name"),
            help: "Store the file under this name (when a sweep of its name is stored with another spec).")
    var newName: String?

    @Flag(help: "Add the file's new runs (more seeds, values, environments) to the stored sweep of its name.")
    var extend = false

    func validate() throws {
        if newName != nil && extend { throw badInput("--new-name and --extend cannot be combined: pick one") }
    }

    /// Parses, checks and stores FILE; prints what was stored. Bad input: one line, exit 2 (a
    /// store that cannot be written now: 5).
    func store(file: String, db: String) throws -> SweepLaunch.Prepared {
        let mode: SweepLaunch.Mode = extend ? .extend : newName.map { .newName($0) } ?? .strict
        let prepared: SweepLaunch.Prepared
        do {
            prepared = try SweepLaunch.prepare(file: file, dbPath: db, mode: mode)
        } catch let error as SweepFileError {
            throw badInput("\(error)")   // FILE:LINE:COL: key 'x': expected …, found …
        } catch let error as StoreError {
            switch error {
            case .sweepChanged, .cannotExtend: throw failure(CLI.status(for: error), "\(file): \(db): \(error)")
            default: throw failure(CLI.status(for: error), "\(error)")
            }
        } catch where Store.isUnavailable(error) {
            throw failure(ExitStatus.storeUnavailable, "\(db): the store cannot be written now (\(Store.reason(error))); nothing was stored, try again later")
        }
        let name = prepared.spec.name
        switch prepared.insertion {
        case let .inserted(_, count):
            note("sweep '\(name)': \(count) runs stored in \(db)")
        case let .extended(_, added):
            let counts = try prepared.store.statusCounts(sweepID: prepared.insertion.sweepID)
            note("sweep '\(name)' extended in \(db): \(added) runs added (\(counts.total) in all)")
        case .unchanged:
            let counts = try prepared.store.statusCounts(sweepID: prepared.insertion.sweepID)
            note("sweep '\(name)' already stored in \(db): \(counts.done) done, \(counts.failed) failed, "
                + "\(counts.pending + counts.running) to run")
        }
        if prepared.resumed { note("sweep '\(name)' was cancelled; storing it again resumed it") }
        return prepared
    }
}

/// `--checkpoint-seconds`, `--max-stalls`: how `run` and `daemon` execute runs.
struct ExecutionOptions: ParsableArguments {
    @Option(help: "Worker processes to keep busy (default: the number of cores; at most 4 per core).")
    var workers: Int?

    @Flag(name: .customLong("force-workers"), help: "Allow more than 4 workers per core (up to 1024).")
    var forceWorkers = false

    @Option(name: .customLong("checkpoint-seconds"),
            help: "Wall time between a run's checkpoints (taken at iteration boundaries).")
    var checkpointSeconds = Worker.defaultCheckpointSeconds

    @Option(name: .customLong("give-up-seconds"),
            help: "Stop (exit 4, runs left pending) when no worker could start or work for this long.")
    var giveUpSeconds = 60.0

    @Option(name: .customLong("max-stalls"),
            help: "Fail a run after this many attempts in a row killed before a checkpoint.")
    var maxStalls = 3

    func validate() throws {
        if let workers {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let limit = forceWorkers ? 1024 : SweepLimits.workersPerCore * cores
            guard workers >= 1, workers <= limit else {
                throw badInput("--workers: expected an integer in [1, \(limit)] (" + (forceWorkers ? "the most --force-workers allows"
                    : "\(SweepLimits.workersPerCore) per core on this machine's \(cores); --force-workers allows more") + "), found \(workers)")
            }
        }
        guard checkpointSeconds > 0, checkpointSeconds.isFinite else {
            throw badInput("--checkpoint-seconds: expected a number of seconds > 0, found \(checkpointSeconds)")
        }
        guard maxStalls >= 1 else { throw badInput("--max-stalls: expected a positive integer, found \(maxStalls)") }
        guard giveUpSeconds > 0, giveUpSeconds.isFinite else {
            throw badInput("--give-up-seconds: expected a number of seconds > 0, found \(giveUpSeconds)")
        }
    }

    /// The scheduler's options (checked by `validate()`).
    func schedulerOptions(db: String) -> Scheduler.Options {
        let count = workers ?? ProcessInfo.processInfo.activeProcessorCount
        var options = Scheduler.Options(dbPath: db, workers: count, executable: executable())
        options.checkpointSeconds = checkpointSeconds
        options.maxStalls = maxStalls
        options.environmentGiveUpSeconds = giveUpSeconds
        return options
    }

    /// Raises the soft limit on open files to the hard one, and refuses to start (exit 4) when
    /// even that leaves too few for the scheduler and its workers (each spawn needs a few).
    func ensureFileDescriptors() throws {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        // Foundation's Process cannot spawn below 256 (measured: 250 fails, 256 works); each worker
        // adds a few descriptors (its pipes, the store's connections).
        let needed = rlim_t(max(256, 64 + 8 * (workers ?? ProcessInfo.processInfo.activeProcessorCount)))
        guard limit.rlim_cur >= needed else {
            throw failure(ExitStatus.cannotStartWorkers,
                          "cannot start workers: only \(limit.rlim_cur) open files allowed (ulimit -n), \(needed) needed; raise the limit")
        }
    }

    /// This executable, to spawn workers with.
    func executable() -> URL {
        if var path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            // Replaced by a rebuild while running: the new binary is at the old path.
            if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }
}

/// Notes other live schedulers of the store (two started by mistake share it safely).
func noteOtherSchedulers(_ store: AnyStore) {
    let me = WorkerID.current.description
    guard let others = try? store.liveSchedulers().filter({ $0.worker != me }), !others.isEmpty else { return }
    let list = others.map { "\($0.kind.rawValue) \($0.worker)" }.joined(separator: ", ")
    note("note: also executing \(store.path): \(list); runs are shared between schedulers, none is executed twice")
}
