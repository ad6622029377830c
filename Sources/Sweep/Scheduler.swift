import ExperimentStore
import Foundation

/// Executes pending runs in up to `workers` worker processes (the same executable, `worker
/// --db PATH --run ID ...`): those of one sweep until none is pending or running (`run FILE`),
/// or those of every sweep that is not cancelled until asked to stop (`daemon`).
///
/// Each round: reap finished workers, reclaim abandoned runs (dead holder or expired lease),
/// stop workers whose sweep was cancelled, claim pending runs for free slots (the claim names
/// this scheduler; the worker takes the lease over), update the progress line. A run whose
/// worker died without recording a result goes back to pending if the worker was killed (it
/// continues from its checkpoint), unless `maxStalls` attempts in a row ended so without a
/// checkpoint; it is marked failed if the worker crashed (another signal). A worker that
/// cannot start, or exits recording nothing, is the environment's fault: the run goes back to
/// pending and claims back off (`environmentGiveUpSeconds`). When the store is unavailable
/// (full disk, I/O error) the scheduler waits and tries again. On a stop
/// request the workers are sent SIGTERM (they checkpoint and give their runs back; SIGKILL
/// after `gracePeriod`).
public final class Scheduler {
    public enum Scope: Equatable, Sendable {
        /// One sweep, until it is settled (`run FILE`).
        case sweep(Int64)
        /// Every sweep that is not cancelled, until a stop request (`daemon`).
        case everything
    }

    public struct Options: Sendable {
        public var dbPath: String
        public var workers: Int
        /// The executable to spawn as `EXECUTABLE worker --db PATH --run ID ...`.
        public var executable: URL
        public var leaseSeconds = Worker.defaultLeaseSeconds
        public var checkpointSeconds = Worker.defaultCheckpointSeconds
        public var pollInterval = 0.2
        public var reclaimInterval = 5.0
        public var gracePeriod = 4.0
        /// Attempts in a row ended by a signal without a new checkpoint before the run is failed.
        public var maxStalls = 3
        /// A run given back because the store is unavailable waits this long before a new claim.
        public var storeRetrySeconds = 30.0
        /// Workers that cannot be started, or exit without recording anything about their run
        /// (the executable missing during a rebuild, no file descriptors or processes left), are
        /// the scheduler's environment, not the run's fault: the run goes back to pending and
        /// claims pause, doubling from 1 s up to 16 s. If no worker has started and worked for
        /// this long, the scheduler stops (`Outcome.cannotStartWorkers`) with the runs pending.
        public var environmentGiveUpSeconds = 60.0
        /// Extra environment for the workers (added to this process's).
        public var workerEnvironment = ["OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"]

        public init(dbPath: String, workers: Int, executable: URL) {
            self.dbPath = dbPath
            self.workers = workers
            self.executable = executable
        }
    }

    public enum Outcome: Equatable, Sendable {
        /// Every run is done.
        case done
        /// Every run is settled and these failed.
        case failed([Int64])
        /// A stop was requested (by this signal); running runs were put back to pending.
        case interrupted(signal: Int32)
        /// The sweep was cancelled (`mcpo-sweep cancel`); its running runs were put back to pending.
        case cancelled
        /// Workers could not be started for `environmentGiveUpSeconds`; every run was left pending.
        case cannotStartWorkers(String)
        /// The store's file was deleted or replaced (`StoreError.storeGone`): the workers were
        /// killed and nothing more was written.
        case storeGone(StoreError)
    }

    struct Child {
        let process: Process
        let run: RunRecord
        var stopping = false
        let started = Monotonic.now
        var worker: WorkerID { WorkerID(host: WorkerID.currentHost, pid: process.processIdentifier) }
    }

    let store: AnyStore
    let scope: Scope
    let options: Options
    let progress: ProgressLine?
    let log: (String) -> Void
    let me = WorkerID.current
    private var children: [Int64: Child] = [:]
    private var storeTrouble: String?
    /// Since when, how often and why workers could not be started (nil once one worked).
    private var environmentTrouble: (since: Double, failures: Int, reason: String)?
    /// No claim before this time (a back-off after an environment failure).
    private var claimsPausedUntil = 0.0

    public init(store: AnyStore, scope: Scope, options: Options, progress: ProgressLine?, log: @escaping (String) -> Void) {
        self.store = store
        self.scope = scope
        self.options = options
        self.progress = progress
        self.log = log
    }

    public convenience init(store: AnyStore, sweepID: Int64, options: Options, progress: ProgressLine?, log: @escaping (String) -> Void) {
        self.init(store: store, scope: .sweep(sweepID), options: options, progress: progress, log: log)
    }

    var sweepID: Int64? {
        if case let .sweep(id) = scope { return id }
        return nil
    }

    public func run(stop: StopSignal) throws -> Outcome {
        var lastHousekeeping = -Double.infinity
        var storeIsGone = false
        defer { if !storeIsGone { try? store.retireScheduler(me) } }
        while true {
            if let signal = stop.requested {
                shutDown()
                progress?.finish(try store.statusCounts(sweepID: sweepID))
                return .interrupted(signal: signal)
            }
            do {
                try store.checkIdentity()
            } catch let error as StoreError where !Store.isUnavailable(error) {
                storeIsGone = true
                killWorkers()
                if case .storeGone(_, true) = error { (store as? Store)?.moveAsideStaleLog() }
                if case .logGone = error { (store as? Store)?.rescueDeletedLog() }
                return .storeGone(error)
            } catch where Store.isUnavailable(error) {
                // A server out of reach for a while: the round's store calls below say so and wait.
            }
            do {
                reap()
                let now = Monotonic.now
                if now - lastHousekeeping >= options.reclaimInterval {
                    try housekeeping()
                    lastHousekeeping = now
                }
                if let id = sweepID, try store.cancelledSweepIDs().contains(id) {
                    shutDown()
                    progress?.finish(try store.statusCounts(sweepID: id))
                    return .cancelled
                }
                try stopCancelledChildren()
                if environmentTrouble != nil, children.values.contains(where: { now - $0.started > 5 }) {
                    environmentWorked()  // a worker has been working for a while
                }
                if let trouble = environmentTrouble, now - trouble.since >= options.environmentGiveUpSeconds {
                    shutDown()
                    progress?.finish(try store.statusCounts(sweepID: sweepID))
                    return .cannotStartWorkers(trouble.reason)
                }
                while children.count < options.workers && !stop.isRequested && Monotonic.now >= claimsPausedUntil,
                      let run = try store.claimNextRun(sweepID: sweepID, worker: me, leaseSeconds: options.leaseSeconds) {
                    try spawn(run)
                }
                if storeTrouble != nil {
                    log("store available again")
                    storeTrouble = nil
                }
                let counts = try store.statusCounts(sweepID: sweepID)
                if let id = sweepID, children.isEmpty, counts.isSettled {
                    progress?.finish(counts)
                    let failed = try store.runs(sweepID: id, status: .failed).map(\.id)
                    return failed.isEmpty ? .done : .failed(failed)
                }
                progress?.update(counts)
            } catch where Store.isUnavailable(error) {
                if storeTrouble == nil { log("store unavailable (\(error)); retrying") }
                storeTrouble = "\(error)"
                Thread.sleep(forTimeInterval: max(1, options.pollInterval))
            }
            Thread.sleep(forTimeInterval: options.pollInterval)
        }
    }

    /// Announces this scheduler and reclaims abandoned runs.
    private func housekeeping() throws {
        try store.announceScheduler(me, kind: sweepID == nil ? .daemon : .run, sweepID: sweepID, workers: options.workers)
        let reclaimed = try store.reclaimAbandonedRuns(sweepID: sweepID)
        if !reclaimed.isEmpty { log("put back to pending (holder gone or lease expired): runs \(ids(reclaimed))") }
    }

    /// SIGTERM to the workers of cancelled sweeps (they checkpoint and give their runs back).
    private func stopCancelledChildren() throws {
        guard !children.isEmpty else { return }
        let cancelled = try store.cancelledSweepIDs()
        guard !cancelled.isEmpty else { return }
        for (id, child) in children where !child.stopping && cancelled.contains(child.run.sweepID) {
            child.process.terminate()
            children[id]?.stopping = true
            log("run \(id) (\(child.run.label)): its sweep was cancelled; stopping its worker")
        }
    }

    private func spawn(_ run: RunRecord) throws {
        let process = Process()
        process.executableURL = options.executable
        process.arguments = ["worker", "--db", options.dbPath, "--run", String(run.id),
                             "--checkpoint-seconds", String(options.checkpointSeconds),
                             "--lease-seconds", String(options.leaseSeconds), "--parent", String(me.pid)]
        process.environment = ProcessInfo.processInfo.environment.merging(options.workerEnvironment) { _, new in new }
        do {
            try process.run()
        } catch {
            try environmentFailure(run, holder: me, "cannot start a worker (\(options.executable.path)): \(Scheduler.describe(error))")
            return
        }
        children[run.id] = Child(process: process, run: run)
        if sweepID == nil { log("run \(run.id) (\(run.label)): started, attempt \(run.attempts)") }
    }

    /// Handles every worker that has exited.
    private func reap() {
        for (runID, child) in children where !child.process.isRunning {
            children[runID] = nil
            do {
                try settle(child)
            } catch {
                // The store is unavailable: the run stays running with a dead holder and is
                // reclaimed by the next housekeeping that can write.
                log("run \(runID): could not record how its worker ended (\(error)); it will be reclaimed")
            }
        }
    }

    /// After a worker exited: if its run is still marked running by it (or by this scheduler, if
    /// it died before taking it over), decide the run's fate from how the worker ended.
    private func settle(_ child: Child) throws {
        guard let run = try store.run(id: child.run.id) else { return }
        guard run.status == .running, let holder = run.worker.flatMap(WorkerID.init),
              holder == child.worker || holder == me else {
            environmentWorked()  // the worker recorded how its run ended
            if sweepID == nil { report(run) }
            return
        }
        let status = child.process.terminationStatus
        if child.process.terminationReason == .uncaughtSignal {
            // This attempt's death counts as a stall (a checkpoint resets them); scheduler deaths do not.
            let stalls = (run.stalls ?? 0) + 1
            if [SIGKILL, SIGTERM, SIGINT, SIGHUP].contains(status) && stalls < options.maxStalls {
                try store.releaseStalledRun(id: run.id, worker: holder, reason: "worker killed by signal \(status)")
                log("run \(run.id) (\(run.label)): worker killed by signal \(status); put back to pending")
            } else if [SIGKILL, SIGTERM, SIGINT, SIGHUP].contains(status) {
                try store.markFailed(runID: run.id, worker: holder,
                                     error: "worker killed by signal \(status) in \(stalls) attempts in a row without a checkpoint")
            } else {
                try store.markFailed(runID: run.id, worker: holder,
                                     error: "worker crashed (signal \(status)) in attempt \(run.attempts)")
            }
        } else if status == Worker.Exit.storeGone.rawValue {
            return  // the next round's identity check stops the scheduler; write nothing
        } else if status == Worker.Exit.storeUnavailable.rawValue {
            try store.releaseRun(id: run.id, worker: holder, retryAfter: options.storeRetrySeconds,
                                 reason: "its worker could not write to the store")
            log("run \(run.id) (\(run.label)): store unavailable; retried in \(Int(options.storeRetrySeconds)) s")
        } else {
            // It recorded nothing about its run (it could not open the store, ran out of file
            // descriptors, …): the environment, not the run.
            try environmentFailure(run, holder: holder, "a worker exited with status \(status) without recording anything")
        }
        if sweepID == nil, let settled = try store.run(id: run.id) { report(settled) }
    }

    /// A worker that could not start or work: the run back to pending, claims paused.
    private func environmentFailure(_ run: RunRecord, holder: WorkerID, _ reason: String) throws {
        let now = Monotonic.now
        var trouble = environmentTrouble ?? (since: now, failures: 0, reason: reason)
        trouble.failures += 1
        trouble.reason = reason
        environmentTrouble = trouble
        let pause = min(16, pow(2, Double(min(trouble.failures - 1, 4))))
        claimsPausedUntil = now + pause
        try store.releaseRun(id: run.id, worker: holder, reason: reason)
        if trouble.failures == 1 {
            log("\(reason); runs stay pending, retrying (giving up after \(Int(options.environmentGiveUpSeconds)) s)")
        }
    }

    /// An error of `Process.run()` as its POSIX reason ("No such file or directory").
    static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }

    /// A worker worked (it recorded its run's result or checkpoint): the environment is fine.
    private func environmentWorked() {
        if environmentTrouble != nil { log("workers start again") }
        environmentTrouble = nil
        claimsPausedUntil = 0
    }

    /// The daemon's line about a run whose worker ended.
    private func report(_ run: RunRecord) {
        switch run.status {
        case .done: log("run \(run.id) (\(run.label)): done")
        case .failed: log("run \(run.id) (\(run.label)): failed: \(run.error ?? "no reason")")
        case .pending: log("run \(run.id) (\(run.label)): back to pending at step \(run.stepsDone)")
        case .running: break
        }
    }

    /// SIGKILL to every worker still running, then waits for all of them.
    private func killRemainingWorkers() {
        for child in children.values where child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) }
        for child in children.values { child.process.waitUntilExit() }
    }

    /// SIGKILL to every worker, nothing written: the store is gone.
    private func killWorkers() {
        killRemainingWorkers()
        children.removeAll()
    }

    /// SIGTERM to every worker, SIGKILL after the grace period, then their runs back to pending.
    private func shutDown() {
        for child in children.values where child.process.isRunning { child.process.terminate() }
        let deadline = Monotonic.now + options.gracePeriod
        while children.values.contains(where: { $0.process.isRunning }) && Monotonic.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        killRemainingWorkers()
        var released: [Int64] = []
        for child in children.values {
            do {
                guard let run = try store.run(id: child.run.id) else { continue }
                if run.status == .pending { released.append(run.id); continue }
                guard run.status == .running, let holder = run.worker.flatMap(WorkerID.init),
                      holder == child.worker || holder == me else { continue }
                try store.releaseRun(id: run.id, worker: holder, reason: "its scheduler stopped")
                released.append(run.id)
            } catch {
                log("run \(child.run.id): could not put it back to pending (\(error)); it will be reclaimed")
            }
        }
        children.removeAll()
        if !released.isEmpty { log("stopped: runs \(ids(released.sorted())) put back to pending") }
    }

    private func ids(_ list: [Int64]) -> String { list.map(String.init).joined(separator: ", ") }
}
