import Foundation

/// `mcpo-sweep copy --from A --to B`: sweeps with their finished runs (metrics, events,
/// attempts) from one store into another, of either backend, idempotently.
///
/// - The sweep is stored in the target as `extendSweep` would store its file: created when
///   missing, given the runs it lacks otherwise (a sweep of that name with runs the source does
///   not have is refused: `cannotExtend`).
/// - Each run the source finished (done or failed) replaces the target's run of the same config
///   if that one is pending or failed; a target run that is done (copied before, or run there)
///   or running is left alone. Runs the source has not finished are not copied (they stay
///   pending in the target, which may run them itself).
/// - So copying twice changes nothing the second time, and copying while a sweep runs brings
///   what has finished so far; copy again later for the rest.
public enum StoreCopy {
    public struct Summary: Sendable, Equatable {
        public var sweeps = 0, copied = 0, alreadyThere = 0, notFinished = 0, busy = 0
        public init() {}
    }

    public static func copy(from source: any ResultsReader, to target: AnyStore, sweeps names: [String]? = nil,
                            now: Double = Store.unixNow()) throws -> Summary {
        var summary = Summary()
        let all = try source.sweeps()
        let chosen = try names.map { names in
            try names.map { name in
                guard let sweep = all.first(where: { $0.name == name }) else {
                    throw StoreError.noSuchSweep(name: name, stored: all.map(\.name))
                }
                return sweep
            }
        } ?? all
        for sweep in chosen {
            let runs = try source.runs(sweepID: sweep.id, status: nil)
            let newRuns = runs.map {
                NewRun(configJSON: $0.configJSON, configHash: $0.configHash, method: $0.method, param: $0.param, value: $0.value,
                       env: $0.env, seed: UInt64(bitPattern: $0.seed), steps: Int($0.steps))
            }
            let stored = try target.extendSweep(NewSweep(name: sweep.name, specJSON: sweep.specJSON, specHash: sweep.specHash),
                                                runs: newRuns, now: now)
            summary.sweeps += 1
            let targetRuns = Dictionary(uniqueKeysWithValues: try target.runs(sweepID: stored.sweepID, status: nil).map { ($0.configHash, $0) })
            for run in runs {
                guard run.status == .done || run.status == .failed else { summary.notFinished += 1; continue }
                guard let there = targetRuns[run.configHash] else { continue }
                switch there.status {
                case .done: summary.alreadyThere += 1; continue
                case .running: summary.busy += 1; continue
                case .failed where run.status == .failed && there.finishedAt == run.finishedAt && there.error == run.error:
                    summary.alreadyThere += 1; continue
                default: break
                }
                try target.importFinishedRun(into: there.id, from: run, metrics: try source.metrics(runID: run.id),
                                             events: try source.events(runID: run.id), attempts: try source.attempts(runID: run.id))
                summary.copied += 1
            }
        }
        return summary
    }
}
