import ArgumentParser
import ExperimentStore
import Foundation
import GRDB

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show what happened to a run: claims, checkpoints resumed, stops, failures, retries.")

    @Argument(help: "The run's id (see 'mcpo-sweep list').")
    var runID: Int64

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    func run() throws {
        let (record, sweep, events, attempts, checkpoint, last) = try StoreLookup.read(db, command: "logs") { database in
            let record = try StoreLookup.run(database, id: runID)
            let sweep = try String.fetchOne(database, sql: "SELECT name FROM sweeps WHERE id = ?", arguments: [record.sweepID]) ?? "?"
            let events = try Store.fetchEvents(database, runID: runID)
            let attempts = try Store.fetchAttempts(database, runID: runID)
            var checkpoint: Row?
            if try database.tableExists("checkpoints") {
                checkpoint = try Row.fetchOne(database, sql: "SELECT step, length(state), created_at FROM checkpoints WHERE run_id = ?",
                                              arguments: [runID])
            }
            let last = try Row.fetchOne(database, sql: """
                SELECT step, value FROM metrics WHERE run_id = ? AND key = 'score' ORDER BY step DESC LIMIT 1
                """, arguments: [runID])
            return (record, sweep, events, attempts, checkpoint, last)
        }
        print("run \(record.id) of sweep '\(sweep)': \(record.label)")
        var state = "\(record.status.rawValue), \(record.stepsDone)/\(record.steps) steps, attempt \(record.attempts)"
        if let worker = record.worker, record.status == .running { state += ", held by \(worker)" }
        print("  status: \(state)")
        if let error = record.error { print("  error: \(error)") }
        if let step = record.lastGoodStep { print("  last good step: \(step)") }
        if let checkpoint { print("  checkpoint: step \(checkpoint[0] as Int64), \(checkpoint[1] as Int64) bytes, \(checkpoint[2] as String)") }
        if let last { print("  score: \(last[1] as Double) at step \(last[0] as Int64)") }
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
