import Dispatch
import ExperimentStore
import Foundation

/// A worker's background duties while it trains: renew the lease every quarter of its length
/// (so a slow iteration does not lose it), stop when the lease is lost (the run was reclaimed)
/// or the run's sweep was cancelled, and stop when the scheduler that started the worker dies
/// (the worker is re-parented), so that a killed scheduler leaves no orphan training on.
final class Heartbeat: @unchecked Sendable {
    private let lock = NSLock()
    private var timers: [DispatchSourceTimer] = []
    private var isLost = false
    private var isCancelled = false
    private var isOrphaned = false
    let store: AnyStore, runID: Int64, worker: WorkerID, leaseSeconds: Double, stop: StopSignal
    /// The scheduler's pid to watch, if the worker was started by one.
    let parent: Int32?

    init(store: AnyStore, runID: Int64, worker: WorkerID, leaseSeconds: Double, stop: StopSignal, parent: Int32?) {
        self.store = store
        self.runID = runID
        self.worker = worker
        self.leaseSeconds = leaseSeconds
        self.stop = stop
        self.parent = parent
    }

    /// The lease was lost: nothing more may be written about the run.
    var lost: Bool { lock.withLock { isLost } }
    /// The run's sweep was cancelled.
    var cancelled: Bool { lock.withLock { isCancelled } }
    /// The scheduler that started this worker is gone.
    var orphaned: Bool { lock.withLock { isOrphaned } }

    func start() {
        schedule(every: leaseSeconds / 4) { [self] in
            do {
                if try store.renewLease(runID: runID, worker: worker, leaseSeconds: leaseSeconds).sweepCancelled {
                    lock.withLock { isCancelled = true }
                    stop.request(SIGTERM)
                }
            } catch StoreError.leaseLost {
                lock.withLock { isLost = true }
                stop.request(SIGTERM)
            } catch {
                // A busy or briefly unavailable store: the next beat retries.
            }
        }
        schedule(every: 0.25) { [self] in
            if let parent, getppid() != parent {
                lock.withLock { isOrphaned = true }
                stop.request(SIGTERM)
            }
            // A store deleted or replaced under the worker: exit at once, writing nothing more
            // (a new connection by path would reach the other file; a checkpoint would be lost).
            do {
                try store.checkIdentity()
            } catch {
                guard !Store.isUnavailable(error) else { return }  // a server out of reach for a while: not gone
                if parent == nil {  // started by hand; a scheduler says it once for all its workers
                    FileHandle.standardError.write(Data("run \(runID): \(error)\n".utf8))
                    if case StoreError.storeGone(_, true) = error { (store as? Store)?.moveAsideStaleLog() }
                }
                _exit(Worker.Exit.storeGone.rawValue)
            }
        }
    }

    private func schedule(every interval: Double, _ body: @escaping @Sendable () -> Void) {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler(handler: body)
        lock.withLock { timers.append(timer) }
        timer.resume()
    }

    func cancel() {
        lock.withLock {
            for timer in timers { timer.cancel() }
            timers.removeAll()
        }
    }
}
