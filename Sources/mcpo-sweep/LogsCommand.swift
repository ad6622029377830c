import ArgumentParser
import ExperimentStore
import Foundation

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show what happened to a run: claims, checkpoints resumed, stops, failures, retries.")

    @Argument(help: "The run's id (see 'mcpo-sweep list').")
    var runID: Int64

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    func run() throws {
        let (record, sweep, events, attempts, checkpoint, last) = try StoreLookup.read(db) { store in
            let record = try StoreLookup.run(store, id: runID)
            return (record, try store.sweep(id: record.sweepID)?.displayName ?? "?", try store.events(runID: runID),
                    try store.attempts(runID: runID), try store.checkpointInfos().first { $0.runID == runID },
                    try store.lastMetric(runID: runID, key: Store.scoreKey))
        }
        print("run \(record.id) of sweep '\(sweep)': \(record.label)")
        var state = "\(record.status.rawValue), \(record.stepsDone)/\(record.steps) steps, attempt \(record.attempts)"
        if let worker = record.worker, record.status == .running { state += ", held by \(worker)" }
        print("  status: \(state)")
        if let error = record.error { print("  error: \(error)") }
        if let step = record.lastGoodStep { print("  last good step: \(step)") }
        if let hint = FailedRuns.hint(for: record) { print("  \(hint)") }
        if let checkpoint { print("  checkpoint: step \(checkpoint.step), \(checkpoint.bytes) bytes, \(checkpoint.createdAt)") }
        if let last { print("  score: \(last.value) at step \(last.step)") }
        if !attempts.isEmpty {
            print("attempts:")
            for attempt in attempts {
                print("  \(attempt.attempt)  \(attempt.startedAt)  \(attempt.worker)  BLAS kernel \(attempt.blasKernel)  \(attempt.cpu)")
            }
        }
        print(events.isEmpty ? "  (no events recorded)" : "events:")
        for event in events {
            print("  \(event.at)  \(event.kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) step \(event.step)  \(event.message)")
        }
    }
}
