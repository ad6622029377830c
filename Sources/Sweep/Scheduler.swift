import ExperimentStore
import Foundation

/// Executes the pending runs of one sweep in up to `workers` worker processes (the same
/// executable, `worker --db PATH --run ID`) until none is pending or running.
///
/// Each round: reap finished workers, reclaim abandoned runs (dead holder or expired lease),
/// claim pending runs for free slots (the claim names this scheduler; the worker takes the
/// lease over), update the progress line. A run whose worker died without recording a result
/// goes back to pending if the worker was killed (up to `maxAttempts`), and is marked failed if
/// it crashed or exited with an error. On a stop request the workers are sent SIGTERM (then
/// SIGKILL after `gracePeriod`), and their runs go back to pending.
public final class Scheduler {
    public struct Options: Sendable {
        public var dbPath: String
        public var workers: Int
        /// The executable to spawn as `EXECUTABLE worker --db PATH --run ID`.
        public var executable: URL
        public var leaseSeconds = Worker.defaultLeaseSeconds
        public var pollInterval = 0.2
        public var reclaimInterval = 5.0
        public var gracePeriod = 4.0
        public var maxAttempts = 3
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
    }

    struct Child {
        let process: Process
        let run: RunRecord
        var worker: WorkerID { WorkerID(host: WorkerID.currentHost, pid: process.processIdentifier) }
    }

    let store: Store
    let sweepID: Int64
    let options: Options
    let progress: ProgressLine?
    let log: (String) -> Void
    let me = WorkerID.current
    private var children: [Int64: Child] = [:]

    public init(store: Store, sweepID: Int64, options: Options, progress: ProgressLine?, log: @escaping (String) -> Void) {
        self.store = store
        self.sweepID = sweepID
        self.options = options
        self.progress = progress
        self.log = log
    }

    public func run(stop: StopSignal) throws -> Outcome {
        var lastReclaim = -Double.infinity
        while true {
            if let signal = stop.requested {
                try shutDown()
                progress?.finish(try store.statusCounts(sweepID: sweepID))
                return .interrupted(signal: signal)
            }
            try reap()
            let now = Date().timeIntervalSince1970
            if now - lastReclaim >= options.reclaimInterval {
                let reclaimed = try store.reclaimAbandonedRuns(sweepID: sweepID)
                if !reclaimed.isEmpty { log("put back to pending (holder gone or lease expired): runs \(ids(reclaimed))") }
                lastReclaim = now
            }
            while children.count < options.workers && !stop.isRequested,
                  let run = try store.claimNextRun(sweepID: sweepID, worker: me, leaseSeconds: options.leaseSeconds) {
                try spawn(run)
            }
            let counts = try store.statusCounts(sweepID: sweepID)
            if children.isEmpty && counts.isSettled {
                progress?.finish(counts)
                let failed = try store.runs(sweepID: sweepID, status: .failed).map(\.id)
                return failed.isEmpty ? .done : .failed(failed)
            }
            progress?.update(counts)
            Thread.sleep(forTimeInterval: options.pollInterval)
        }
    }

    private func spawn(_ run: RunRecord) throws {
        let process = Process()
        process.executableURL = options.executable
        process.arguments = ["worker", "--db", options.dbPath, "--run", String(run.id)]
        process.environment = ProcessInfo.processInfo.environment.merging(options.workerEnvironment) { _, new in new }
        do {
            try process.run()
        } catch {
            try store.markFailed(runID: run.id, worker: me, error: "cannot start a worker: \(error)")
            return
        }
        children[run.id] = Child(process: process, run: run)
    }

    /// Handles every worker that has exited.
    private func reap() throws {
        for (runID, child) in children where !child.process.isRunning {
            children[runID] = nil
            try settle(child)
        }
    }

    /// After a worker exited: if its run is still marked running by it (or by this scheduler, if
    /// it died before taking it over), decide the run's fate from how the worker ended.
    private func settle(_ child: Child) throws {
        guard let run = try store.run(id: child.run.id), run.status == .running,
              let holder = run.worker.flatMap(WorkerID.init), holder == child.worker || holder == me else { return }
        let status = child.process.terminationStatus
        if child.process.terminationReason == .uncaughtSignal {
            if [SIGKILL, SIGTERM, SIGINT, SIGHUP].contains(status) && run.attempts < options.maxAttempts {
                try? store.releaseRun(id: run.id, worker: holder)
                log("run \(run.id) (\(run.label)): worker killed by signal \(status); put back to pending")
            } else {
                try? store.markFailed(runID: run.id, worker: holder,
                                      error: "worker ended by signal \(status) (attempt \(run.attempts))")
            }
        } else {
            try? store.markFailed(runID: run.id, worker: holder,
                                  error: "worker exited with status \(status) without recording a result")
        }
    }

    /// SIGTERM to every worker, SIGKILL after the grace period, then their runs back to pending.
    private func shutDown() throws {
        for child in children.values where child.process.isRunning { child.process.terminate() }
        let deadline = Date().addingTimeInterval(options.gracePeriod)
        while children.values.contains(where: { $0.process.isRunning }) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        for child in children.values where child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) }
        for child in children.values { child.process.waitUntilExit() }
        var released: [Int64] = []
        for child in children.values {
            guard let run = try store.run(id: child.run.id), run.status == .running,
                  let holder = run.worker.flatMap(WorkerID.init), holder == child.worker || holder == me else {
                if (try store.run(id: child.run.id))?.status == .pending { released.append(child.run.id) }
                continue
            }
            try store.releaseRun(id: run.id, worker: holder)
            released.append(run.id)
        }
        children.removeAll()
        if !released.isEmpty { log("stopped: runs \(ids(released.sorted())) put back to pending") }
    }

    private func ids(_ list: [Int64]) -> String { list.map(String.init).joined(separator: ", ") }
}
