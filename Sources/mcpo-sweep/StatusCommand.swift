import ArgumentParser
import ExperimentStore
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Count the store's runs per status.")

    @Option(help: "The experiment store.")
    var db = "mcpo.sqlite"

    @Option(help: "Count only the runs of this sweep.")
    var sweep: String?

    @Flag(help: "Print {\"total\": n, \"runs\": {\"pending\": n, \"running\": n, \"done\": n, \"failed\": n}}.")
    var json = false

    func run() throws {
        do {
            let (counts, perSweep) = try Store.inspect(path: db) { db in
                let sweeps = try Store.fetchSweeps(db)
                var sweepID: Int64?
                if let sweep {
                    guard let record = sweeps.first(where: { $0.name == sweep }) else {
                        throw StoreError.noSuchSweep(name: sweep, stored: sweeps.map(\.name))
                    }
                    sweepID = record.id
                }
                let perSweep = try sweeps.filter { sweepID == nil || $0.id == sweepID }
                    .map { ($0.name, try Store.fetchStatusCounts(db, sweepID: $0.id)) }
                return (try Store.fetchStatusCounts(db, sweepID: sweepID), perSweep)
            }
            if json {
                print("{\"total\": \(counts.total), \"runs\": {\"pending\": \(counts.pending), \"running\": \(counts.running), "
                    + "\"done\": \(counts.done), \"failed\": \(counts.failed)}}")
                return
            }
            var rows = perSweep
            if sweep == nil { rows.append(("(all)", counts)) }
            let width = max(5, rows.map(\.0.count).max() ?? 0)
            func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
                let fill = String(repeating: " ", count: max(0, n - s.count))
                return left ? s + fill : fill + s
            }
            print(pad("sweep", width, left: true) + "  " + ["total", "pending", "running", "done", "failed"].map { pad($0, 7) }.joined(separator: " "))
            for (name, c) in rows {
                print(pad(name, width, left: true) + "  " + [c.total, c.pending, c.running, c.done, c.failed].map { pad(String($0), 7) }.joined(separator: " "))
            }
        } catch let error as StoreError {
            if case .noSuchSweep = error { printError("mcpo-sweep: --sweep: \(db): \(error)") } else { printError("\(error)") }
            throw ExitCode(Status.badInput)
        }
    }
}
