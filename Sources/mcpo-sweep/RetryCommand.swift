import ArgumentParser
import ExperimentStore
import PostgresStore
import Foundation

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put failed runs back to pending (from scratch): one run, or every failed run with --failed.",
        discussion: "A running scheduler (run or daemon) picks them up; otherwise run the sweep again.")

    @Argument(help: "The failed run's id (see 'mcpo-sweep list --status failed').")
    var runID: Int64?

    @Flag(help: "Retry every failed run (of --sweep, or of the store).")
    var failed = false

    @Option(help: "With --failed: only this sweep's runs.")
    var sweep: String?

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    func validate() throws {
        guard (runID == nil) != !failed else {
            throw badInput("expected a run id or --failed (one of them), found \(runID == nil ? "neither" : "both")")
        }
        if sweep != nil && !failed { throw badInput("--sweep goes with --failed; to retry one run give only its id") }
    }

    func run() throws {
        if let id = runID {
            let record = try StoreLookup.read(db) { store in try StoreLookup.run(store, id: id) }
            guard record.status == .failed else {
                throw badInput("\(db): \(StoreError.runNotRetryable(id: id, status: record.status))")
            }
            if record.lastGoodStep != nil {
                note("note: run \(id) \(FailedRuns.deterministic); retried anyway")
            }
            let retried = try Stores.open(db).retry(runID: id)
            print("run \(id) (\(retried.label)) is pending again (it failed: \(record.error ?? "no reason"))")
            return
        }
        let (sweepID, failedCount, diverged) = try StoreLookup.read(db) { store in
            let id = try sweep.map { try StoreLookup.sweep(store, named: $0).id }
            return (id, try store.statusCounts(sweepID: id).failed,
                    try store.runs(sweepID: id, status: .failed).filter { $0.lastGoodStep != nil })
        }
        if !diverged.isEmpty {
            note("note: \(FailedRuns.list(diverged)) \(FailedRuns.deterministic); retried anyway")
        }
        guard failedCount > 0 else {   // nothing to write: the store is not even opened for writing
            print("no failed runs\(sweep.map { " in sweep '\($0)'" } ?? "")")
            return
        }
        let retried = try Stores.open(db).retryFailed(sweepID: sweepID)
        print(retried.isEmpty ? "no failed runs\(sweep.map { " in sweep '\($0)'" } ?? "")"
              : "\(retried.count) failed run(s) pending again: \(retried.map { String($0.id) }.joined(separator: ", "))")
    }
}
