import ExperimentStore
import Foundation
import PostgresStore

/// `mcpo-sweep worker --until-empty`: one process that claims a run, trains it, and claims the
/// next, until the sweep (or the store) has nothing left to run: the body of each task of a
/// Slurm job array (`mcpo-sweep slurm`). Any number of such workers on any number of hosts
/// share one store; none trains a run another holds.
///
/// - Before each claim it puts abandoned runs back to pending (`reclaimAbandonedRuns`): those of
///   holders on its own host that are gone (a worker killed), and those of holders elsewhere
///   whose lease expired (a node that failed). A requeued task resumes such a run from its
///   checkpoint like any other worker.
/// - With nothing pending but runs still running elsewhere it waits (`idlePoll`) rather than
///   exit: one of them may yet be abandoned and need a worker. It exits when every run is done
///   or failed, or the sweep is cancelled.
/// - SIGTERM or SIGINT (Slurm's time limit, preemption, scancel) stops the run in progress at a
///   checkpoint, gives it back, and exits with 75.
extension Worker {
    public struct DrainSummary: Sendable, Equatable {
        public var done = 0, failed = 0, givenBack = 0
        public var exit: Exit = .done
    }

    public static func drain(dbPath: String, sweepID: Int64?, stop: StopSignal, options: Options, idlePoll: Double = 2,
                             log: (String) -> Void) -> DrainSummary {
        var summary = DrainSummary()
        let me = WorkerID.current
        let store: AnyStore
        do {
            store = try Stores.openExisting(dbPath)
        } catch {
            log("\(error)")
            summary.exit = Store.isUnavailable(error) ? .storeUnavailable : .usage
            return summary
        }
        var unavailableSince: Double?
        while !stop.isRequested {
            do {
                if let sweepID, try store.cancelledSweepIDs().contains(sweepID) {
                    log("its sweep was cancelled; nothing more to claim")
                    break
                }
                let reclaimed = try store.reclaimAbandonedRuns(sweepID: sweepID)
                if !reclaimed.isEmpty { log("put back to pending (holder gone or lease expired): runs \(reclaimed.map(String.init).joined(separator: ", "))") }
                guard let run = try store.claimNextRun(sweepID: sweepID, worker: me, leaseSeconds: options.leaseSeconds) else {
                    let counts = try store.statusCounts(sweepID: sweepID)
                    if counts.running == 0 && counts.pending == 0 { break }
                    Thread.sleep(forTimeInterval: idlePoll)   // running elsewhere, or backing off: wait
                    continue
                }
                unavailableSince = nil
                try store.recordAttempt(runID: run.id, worker: me, platform: platform)
                log("run \(run.id) (\(run.label)): claimed, attempt \(run.attempts)\(run.stepsDone > 0 ? ", from step \(run.stepsDone)" : "")")
                let exit = train(run, in: store, worker: me, stop: stop, options: options, log: log)
                switch exit {
                case .done: summary.done += 1; log("run \(run.id): done")
                case .failed: summary.failed += 1
                case .released: summary.givenBack += 1
                case .storeGone: summary.exit = .storeGone; return summary
                default: log("run \(run.id): \(exit)")
                }
            } catch where Store.isUnavailable(error) {
                // A server out of reach for a while: keep trying for up to ten minutes.
                let now = Monotonic.now
                if unavailableSince == nil { log("store unavailable (\(error)); retrying"); unavailableSince = now }
                if now - unavailableSince! > 600 { summary.exit = .storeUnavailable; return summary }
                Thread.sleep(forTimeInterval: 5)
            } catch {
                log("\(error)")
                summary.exit = .usage
                return summary
            }
        }
        if stop.isRequested { summary.exit = .released }
        else if summary.failed > 0 { summary.exit = .failed }
        return summary
    }
}
