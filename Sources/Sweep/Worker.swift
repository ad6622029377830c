import ExperimentStore
import PostgresStore
import Foundation
import LinearAlgebra
import Trainer

/// Executes one run in this process (`mcpo-sweep worker --db PATH --run ID`): takes the run
/// over from the scheduler that claimed it (or claims it if pending), continues from its
/// checkpoint if it has one, and trains it, writing a checkpoint with the metrics since the
/// previous one every `checkpointSeconds` (at an iteration boundary), then marks it done or
/// failed. On SIGINT/SIGTERM (or a cancelled sweep, or a dead scheduler) it finishes the
/// iteration if that takes less than `stopBudget`, checkpoints and gives the run back;
/// otherwise it abandons the iteration and gives the run back at its last checkpoint.
public enum Worker {
    /// Exit statuses of a worker process; the scheduler reads them.
    public enum Exit: Int32, Sendable {
        case done = 0
        /// The run failed; the reason is in the store.
        case failed = 1
        /// Bad usage or the store cannot be opened.
        case usage = 2
        /// The run is not this worker's to execute (finished, or held by another process).
        case notClaimable = 3
        /// The lease was lost while running (the run was reclaimed): nothing more was recorded.
        case leaseLost = 4
        /// The store could not be written (full disk, I/O error): the run was given back, or
        /// will be reclaimed; it is retried later.
        case storeUnavailable = 5
        /// The store's file was deleted or replaced while the worker ran: it exited writing nothing.
        case storeGone = 6
        /// Asked to stop: the run was given back (pending).
        case released = 75
    }

    public struct Options: Sendable {
        public var leaseSeconds = Worker.defaultLeaseSeconds
        /// Wall time between checkpoints (taken at the first iteration boundary after it).
        public var checkpointSeconds = Worker.defaultCheckpointSeconds
        /// On a stop request, the iteration in progress is finished (and checkpointed) only if
        /// it is expected to end within this many seconds.
        public var stopBudget = 2.5
        /// A run given back because the store is unavailable is not claimed again for this long.
        public var storeRetrySeconds = 30.0
        /// The pid of the scheduler that started this worker: the worker stops when it dies.
        public var parent: Int32?
        /// Train at most this many iterations in this attempt, then checkpoint and give the run
        /// back (time-slicing; tests use it to stop at a chosen boundary).
        public var iterationLimit: Int?
        /// Fault injection for tests: cap the store's size in pages (writes beyond fail as on a
        /// full disk). See `Store.init(path:maxPageCount:)`.
        public var storeMaxPageCount: Int?
        public init() {}
    }

    /// This process's numeric platform (BLAS kernel and CPU), recorded with each attempt and
    /// each checkpoint.
    public static let platform = Platform(blasKernel: NumericPlatform.blasKernel, cpu: NumericPlatform.cpu)

    public static let defaultLeaseSeconds = 60.0
    public static let defaultCheckpointSeconds = 5.0

    /// Runs the worker and returns its exit status; `log` receives one-line messages.
    public static func execute(dbPath: String, runID: Int64, stop: StopSignal,
                               leaseSeconds: Double = defaultLeaseSeconds,
                               log: (String) -> Void) -> Exit {
        var options = Options()
        options.leaseSeconds = leaseSeconds
        return execute(dbPath: dbPath, runID: runID, stop: stop, options: options, log: log)
    }

    public static func execute(dbPath: String, runID: Int64, stop: StopSignal, options: Options,
                               log: (String) -> Void) -> Exit {
        let me = WorkerID.current
        // Fault injection (FaultInjectionTests): with this probability a checkpoint transaction
        // stops the worker (SIGSTOP) just before it commits, for the test to kill it there.
        if let p = ProcessInfo.processInfo.environment["MCPO_FAULT_STOP_BEFORE_CHECKPOINT_COMMIT"].flatMap(Double.init) {
            Store.beforeCheckpointCommit = { if Double.random(in: 0..<1) < p { raise(SIGSTOP) } }
        }
        let store: AnyStore
        let run: RunRecord
        do {
            store = try Stores.openExisting(dbPath, maxPageCount: options.storeMaxPageCount)
            guard let current = try store.run(id: runID) else { throw StoreError.noSuchRun(id: runID) }
            switch current.status {
            case .pending:
                run = try store.claimRun(id: runID, worker: me, leaseSeconds: options.leaseSeconds)
            case .running:
                // Only the scheduler that claimed it hands a running run over: its holder is our parent.
                guard current.worker == WorkerID.parent.description else {
                    log("run \(runID) is running, held by \(current.worker ?? "nobody"); nothing to do")
                    return .notClaimable
                }
                run = try store.adoptRun(id: runID, from: WorkerID.parent, to: me, leaseSeconds: options.leaseSeconds)
            case .done, .failed:
                log("run \(runID) is \(current.status.rawValue); nothing to do")
                return .notClaimable
            }
            try store.recordAttempt(runID: runID, worker: me, platform: platform)
        } catch let error as StoreError {
            switch error {
            case .leaseLost, .runNotClaimable, .noSuchRun:
                log("\(error)")
                return .notClaimable
            case .noSuchStore where options.parent != nil:
                return .storeGone  // deleted since the scheduler claimed the run: it says so, once
            default:
                log("\(error)")
                return .usage
            }
        } catch {
            log("\(Store.isUnavailable(error) ? "store unavailable: " : "")\(error)")
            return Store.isUnavailable(error) ? .storeUnavailable : .usage
        }

        return train(run, in: store, worker: me, stop: stop, options: options, log: log)
    }

    /// Trains `run`, which `me` holds, with a heartbeat keeping its lease, until it is done,
    /// failed or given back.
    static func train(_ run: RunRecord, in store: AnyStore, worker me: WorkerID, stop: StopSignal, options: Options,
                      log: (String) -> Void) -> Exit {
        let heartbeat = Heartbeat(store: store, runID: run.id, worker: me, leaseSeconds: options.leaseSeconds, stop: stop,
                                  parent: options.parent)
        heartbeat.start()
        defer { heartbeat.cancel() }
        let exit = withoutActuallyEscaping(log) { log in
            RunExecution(store: store, run: run, worker: me, options: options, stop: stop, log: log).train(heartbeat: heartbeat)
        }
        heartbeat.cancel()
        return exit
    }
}

/// One attempt at a run, from its checkpoint (or the start) to done, failed or given back.
final class RunExecution {
    let store: AnyStore
    let run: RunRecord
    let worker: WorkerID
    let options: Worker.Options
    let stop: StopSignal
    let log: (String) -> Void
    let pending = PendingMetrics()
    let started = Monotonic.now
    /// The step of the newest checkpoint (or 0).
    private(set) var savedStep = 0
    private var lastSave = Monotonic.now
    /// Start of the iteration in progress, and the mean duration of the finished ones.
    private let timing = IterationTiming()

    init(store: AnyStore, run: RunRecord, worker: WorkerID, options: Worker.Options, stop: StopSignal, log: @escaping (String) -> Void) {
        self.store = store
        self.run = run
        self.worker = worker
        self.options = options
        self.stop = stop
        self.log = log
    }

    func train(heartbeat: Heartbeat) -> Worker.Exit {
        var trainer: Trainer?
        do {
            let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(run.configJSON.utf8))
            let t = try restore(config) ?? Trainer(config: config)
            trainer = t
            let timing = self.timing, stop = self.stop, budget = options.stopBudget
            t.interruption = {
                guard let at = stop.requestedAt else { return false }
                return timing.expectedEnd > at + budget
            }
            var iterations = 0
            while !t.isFinished && !stop.isRequested && iterations < (options.iterationLimit ?? .max) {
                iterations += 1
                timing.begin()
                try t.runIteration(sink: pending)
                timing.end()
                if !t.isFinished && Monotonic.now - lastSave >= options.checkpointSeconds {
                    try save(t, release: false)
                }
            }
            if heartbeat.lost { return .leaseLost }
            if t.isFinished {
                try store.finishRun(runID: run.id, worker: worker, step: t.stepsDone, metrics: pending.rows,
                                    wallSeconds: Monotonic.now - started)
                return .done
            }
            let why = heartbeat.cancelled ? "its sweep was cancelled" : heartbeat.orphaned ? "its scheduler is gone"
                : stop.isRequested ? "asked to stop" : "its iteration limit was reached"
            if t.stepsDone > savedStep {
                try save(t, release: true, reason: why)
            } else {
                try store.releaseRun(id: run.id, worker: worker, reason: "\(why), nothing new since step \(savedStep)")
            }
            return .released
        } catch let error as TrainerError {
            switch error {
            case .interrupted:
                if heartbeat.lost { return .leaseLost }
                return giveBack(reason: "stopped mid-iteration; continues from its checkpoint at step \(savedStep)")
            case let .diverged(step, what):
                return fail("diverged after step \(step): \(what) is not finite; last good step \(step)", lastGoodStep: step)
            default:
                return fail("\(error)", lastGoodStep: nil)
            }
        } catch let error as WorkerError {
            let lastGood = pending.lastStep ?? savedStep
            return fail("diverged at step \(trainer?.stepsDone ?? 0): \(error); last good step \(lastGood)", lastGoodStep: lastGood)
        } catch {
            if case StoreError.leaseLost = error { return .leaseLost }
            if Store.isUnavailable(error) {   // SQLite's full disk or I/O error, a database server out of reach
                log("run \(run.id): store unavailable (\(error)); giving the run back to be retried later")
                _ = try? store.releaseRun(id: run.id, worker: worker, retryAfter: options.storeRetrySeconds,
                                          reason: "store unavailable (\(error))")
                return .storeUnavailable
            }
            return fail("\(error)", lastGoodStep: nil)
        }
    }

    /// Continues from the run's checkpoint; nil without one. A checkpoint that cannot be used
    /// is discarded (the run restarts from scratch, its metrics deleted).
    private func restore(_ config: TrainingConfig) throws -> Trainer? {
        let checkpoint: Checkpoint
        do {
            guard let found = try store.checkpoint(runID: run.id) else { return nil }
            checkpoint = found
        } catch let StoreError.corruptCheckpoint(_, reason) {
            try discard(reason)
            return nil
        }
        do {
            let trainer = try Trainer(checkpointData: checkpoint.state, format: checkpoint.format)
            guard trainer.config == config else { throw TrainerError.invalidCheckpoint("its config is not the run's") }
            guard trainer.stepsDone == checkpoint.step else {
                throw TrainerError.invalidCheckpoint("state at step \(trainer.stepsDone), stored at step \(checkpoint.step)")
            }
            savedStep = checkpoint.step
            try store.noteResumed(runID: run.id, worker: worker, step: checkpoint.step, bytes: checkpoint.state.count)
            let here = Worker.platform
            if let there = checkpoint.platform, there != here {
                try store.notePlatformChanged(runID: run.id, worker: worker, step: checkpoint.step, from: there, to: here)
                log("run \(run.id): warning: \(Store.platformChangeMessage(step: checkpoint.step, from: there, to: here))")
            }
            return trainer
        } catch let error as TrainerError {
            try discard("\(error)")
            return nil
        } catch let error as DecodingError {
            try discard("\(error)")
            return nil
        }
    }

    private func discard(_ reason: String) throws {
        log("run \(run.id): checkpoint discarded (\(reason)); restarting from scratch")
        try store.discardCheckpoint(runID: run.id, worker: worker, reason: reason)
        savedStep = 0
    }

    /// Writes the trainer's state and the pending metrics in one transaction.
    private func save(_ trainer: Trainer, release: Bool, reason: String? = nil) throws {
        let data = try trainer.checkpointData()
        try store.saveCheckpoint(runID: run.id, worker: worker, step: trainer.stepsDone, state: data,
                                 format: Trainer.checkpointFormat, metrics: pending.rows,
                                 leaseSeconds: options.leaseSeconds, release: release, reason: reason,
                                 platform: Worker.platform)
        pending.removeAll()
        savedStep = trainer.stepsDone
        lastSave = Monotonic.now
    }

    private func giveBack(reason: String) -> Worker.Exit {
        do {
            try store.releaseRun(id: run.id, worker: worker, reason: reason)
            return .released
        } catch StoreError.leaseLost {
            return .leaseLost
        } catch {
            log("run \(run.id): could not give the run back: \(error)")
            return Store.isUnavailable(error) ? .storeUnavailable : .failed
        }
    }

    private func fail(_ reason: String, lastGoodStep: Int?) -> Worker.Exit {
        log("run \(run.id) failed: \(reason)")
        do {
            try store.markFailed(runID: run.id, worker: worker, error: reason, metrics: pending.rows, lastGoodStep: lastGoodStep)
        } catch {
            log("run \(run.id): could not record the failure: \(error)")
            if case StoreError.leaseLost = error { return .leaseLost }
            if Store.isUnavailable(error) { return .storeUnavailable }
        }
        return .failed
    }
}

/// Iteration durations, to predict when the iteration in progress ends. Read from the
/// trainer's interruption check (same thread) and set around each iteration.
final class IterationTiming: @unchecked Sendable {
    private let lock = NSLock()
    private var start: Double?
    private var total = 0.0
    private var count = 0

    func begin() { lock.withLock { start = Monotonic.now } }

    func end() {
        lock.withLock {
            if let start { total += Monotonic.now - start; count += 1 }
            start = nil
        }
    }

    /// When the iteration in progress should end (+∞ before the first one was timed).
    var expectedEnd: Double {
        lock.withLock {
            guard let start, count > 0 else { return .infinity }
            return start + total / Double(count)
        }
    }
}
