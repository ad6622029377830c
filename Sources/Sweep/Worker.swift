import Dispatch
import ExperimentStore
import Foundation
import Trainer

/// Executes one run in this process (`mcpo-sweep worker --db PATH --run ID`): takes the run
/// over from the scheduler that claimed it (or claims it if pending), trains it while writing
/// each iteration's metrics to the store and renewing the lease from a heartbeat, then marks it
/// done or failed. On SIGINT/SIGTERM it stops between iterations and gives the run back.
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
        /// Asked to stop: the run was given back (pending).
        case released = 75
    }

    public static let defaultLeaseSeconds = 60.0

    /// Runs the worker and returns its exit status; `log` receives one-line messages.
    public static func execute(dbPath: String, runID: Int64, stop: StopSignal,
                               leaseSeconds: Double = defaultLeaseSeconds,
                               log: (String) -> Void) -> Exit {
        let me = WorkerID.current
        let store: Store
        let run: RunRecord
        do {
            store = try Store.openExisting(path: dbPath)
            guard let current = try store.run(id: runID) else { throw StoreError.noSuchRun(id: runID) }
            switch current.status {
            case .pending:
                run = try store.claimRun(id: runID, worker: me, leaseSeconds: leaseSeconds)
            case .running:
                run = try store.adoptRun(id: runID, from: WorkerID.parent, to: me, leaseSeconds: leaseSeconds)
            case .done, .failed:
                log("run \(runID) is \(current.status.rawValue); nothing to do")
                return .notClaimable
            }
        } catch let error as StoreError {
            switch error {
            case .leaseLost, .runNotClaimable, .noSuchRun:
                log("\(error)")
                return .notClaimable
            default:
                log("\(error)")
                return .usage
            }
        } catch {
            log("\(error)")
            return .usage
        }

        let heartbeat = Heartbeat(store: store, runID: runID, worker: me, leaseSeconds: leaseSeconds, stop: stop)
        heartbeat.start()
        defer { heartbeat.cancel() }
        let started = Date()
        do {
            let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(run.configJSON.utf8))
            let trainer = try Trainer(config: config)
            let sink = StoreMetricSink(store: store, runID: runID, worker: me, leaseSeconds: leaseSeconds)
            try trainer.train(sink: sink, shouldStop: { stop.isRequested })
            heartbeat.cancel()
            if heartbeat.lost { return .leaseLost }
            if !trainer.isFinished {
                try store.releaseRun(id: runID, worker: me)
                return .released
            }
            try store.markDone(runID: runID, worker: me, wallSeconds: Date().timeIntervalSince(started))
            return .done
        } catch let error as StoreError {
            if case .leaseLost = error { return .leaseLost }
            return fail(store: store, runID: runID, worker: me, reason: "\(error)", log: log)
        } catch {
            return fail(store: store, runID: runID, worker: me, reason: "\(error)", log: log)
        }
    }

    private static func fail(store: Store, runID: Int64, worker: WorkerID, reason: String, log: (String) -> Void) -> Exit {
        log("run \(runID) failed: \(reason)")
        do {
            try store.markFailed(runID: runID, worker: worker, error: reason)
        } catch {
            log("run \(runID): could not record the failure: \(error)")
            if case StoreError.leaseLost = error { return .leaseLost }
        }
        return .failed
    }
}

/// Writes each iteration's metrics (and steps_done, and a lease renewal) in one transaction.
final class StoreMetricSink: MetricSink {
    let store: Store
    let runID: Int64
    let worker: WorkerID
    let leaseSeconds: Double

    init(store: Store, runID: Int64, worker: WorkerID, leaseSeconds: Double) {
        self.store = store
        self.runID = runID
        self.worker = worker
        self.leaseSeconds = leaseSeconds
    }

    func record(step: Int, metrics: [String: Double]) throws {
        try store.appendMetrics(runID: runID, worker: worker, step: step, metrics: metrics, leaseSeconds: leaseSeconds)
    }
}

/// Renews the lease every quarter of its length, so a slow iteration does not lose it. When the
/// lease is lost (the run was reclaimed) it asks the worker to stop.
final class Heartbeat: @unchecked Sendable {
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private var isLost = false
    let store: Store, runID: Int64, worker: WorkerID, leaseSeconds: Double, stop: StopSignal

    init(store: Store, runID: Int64, worker: WorkerID, leaseSeconds: Double, stop: StopSignal) {
        self.store = store
        self.runID = runID
        self.worker = worker
        self.leaseSeconds = leaseSeconds
        self.stop = stop
    }

    var lost: Bool { lock.withLock { isLost } }

    func start() {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        let interval = leaseSeconds / 4
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [self] in
            do {
                try store.renewLease(runID: runID, worker: worker, leaseSeconds: leaseSeconds)
            } catch StoreError.leaseLost {
                lock.withLock { isLost = true }
                stop.request(SIGTERM)
            } catch {
                // A busy or briefly unavailable store: the next beat retries.
            }
        }
        lock.withLock { self.timer = timer }
        timer.resume()
    }

    func cancel() {
        lock.withLock {
            timer?.cancel()
            timer = nil
        }
    }
}
