import ArgumentParser
import ExperimentStore
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Count the store's runs per status; show cancelled sweeps and the schedulers executing the store.")

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @Option(help: "Count only the runs of this sweep.")
    var sweep: String?

    @Flag(help: "Print {\"total\": n, \"runs\": {\"pending\": n, \"running\": n, \"done\": n, \"failed\": n}}.")
    var json = false

    struct Snapshot {
        var counts: StatusCounts
        var perSweep: [(name: String, counts: StatusCounts, cancelled: Bool)]
        var schedulers: [(record: SchedulerRecord, sweep: String?)]
        /// The running runs with their holders (host:pid), in id order.
        var running: [RunRecord]
    }

    func run() throws {
        let snapshot = try StoreLookup.read(db) { store in
            let sweeps = try store.sweeps()
            let sweepID = try sweep.map { try StoreLookup.sweep(store, named: $0).id }
            let perSweep = try sweeps.filter { sweepID == nil || $0.id == sweepID }
                .map { (name: $0.displayName, counts: try store.statusCounts(sweepID: $0.id), cancelled: $0.cancelledAt != nil) }
            let names = Dictionary(uniqueKeysWithValues: sweeps.map { ($0.id, $0.displayName) })
            let schedulers = try store.liveSchedulers(now: Store.unixNow()).map { (record: $0, sweep: $0.sweepID.flatMap { names[$0] }) }
            return Snapshot(counts: try store.statusCounts(sweepID: sweepID), perSweep: perSweep, schedulers: schedulers,
                            running: try store.runs(sweepID: sweepID, status: .running))
        }
        let counts = snapshot.counts
        if json {
            print("{\"total\": \(counts.total), \"runs\": {\"pending\": \(counts.pending), \"running\": \(counts.running), "
                + "\"done\": \(counts.done), \"failed\": \(counts.failed)}}")
            return
        }
        var rows = snapshot.perSweep
        if sweep == nil { rows.append((name: "(all)", counts: counts, cancelled: false)) }
        let width = max(5, rows.map(\.name.count).max() ?? 0)
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return left ? s + fill : fill + s
        }
        print(pad("sweep", width, left: true) + "  " + ["total", "pending", "running", "done", "failed"].map { pad($0, 7) }.joined(separator: " "))
        for (name, c, cancelled) in rows {
            print(pad(name, width, left: true) + "  " + [c.total, c.pending, c.running, c.done, c.failed].map { pad(String($0), 7) }.joined(separator: " ")
                + (cancelled ? "  (cancelled)" : ""))
        }
        for (record, sweepName) in snapshot.schedulers {
            let what = record.kind == .daemon ? "daemon" : "run of '\(sweepName ?? "?")'"
            print("executing: \(what) \(record.worker) with \(record.workers) worker(s), since \(record.startedAt)")
        }
        // Who holds each running run: its host (a Slurm task's node) and process.
        let shown = 20
        for run in snapshot.running.prefix(shown) {
            let host = run.worker.flatMap(WorkerID.init)?.host ?? "?"
            print("running: run \(run.id) (\(run.label)) on \(host), held by \(run.worker ?? "?"), step \(run.stepsDone)/\(run.steps), "
                + "attempt \(run.attempts), since \(run.startedAt ?? "?")")
        }
        if snapshot.running.count > shown { print("running: … and \(snapshot.running.count - shown) more ('mcpo-sweep list --status running')") }
    }
}
