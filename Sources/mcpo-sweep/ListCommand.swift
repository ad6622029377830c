import ArgumentParser
import ExperimentStore
import Foundation

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the store's runs: id, sweep, status, progress, attempts, checkpoint, error or failure flag.")

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @Option(help: "Only the runs of this sweep.")
    var sweep: String?

    @Option(help: "Only runs of this status: pending, running, done or failed.")
    var status: RunStatus?

    @Flag(help: "One JSON object per line: {\"id\", \"sweep\", \"status\", \"method\", \"env\", \"seed\", \"param\", \"value\", \"label\", \"steps_done\", \"steps\", \"attempts\", \"checkpoint_step\", \"score\", \"error\", \"flag\"}.")
    var json = false

    struct Line {
        var run: RunRecord
        var sweep: String
        var checkpointStep: Int64?
        var cancelled: Bool
        /// A done run whose metrics show the collapse signature (CollapseSignature).
        var flag: String?
        /// The last recorded `score` (JSON only).
        var score: Double?
    }

    func run() throws {
        let wanted = status
        let lines: [Line] = try StoreLookup.read(db) { store in
            let sweeps = try store.sweeps()
            let sweepID = try sweep.map { try StoreLookup.sweep(store, named: $0).id }
            let runs = try store.runs(sweepID: sweepID, status: wanted)
            let steps = Dictionary(uniqueKeysWithValues: try store.checkpointInfos().map { ($0.runID, $0.step) })
            let byID = Dictionary(uniqueKeysWithValues: sweeps.map { ($0.id, $0) })
            return try runs.map { run in
                Line(run: run, sweep: byID[run.sweepID]?.name ?? "?", checkpointStep: steps[run.id],
                     cancelled: byID[run.sweepID]?.cancelledAt != nil,
                     flag: run.status == .done ? try store.collapseSignature(runID: run.id)?.description : nil,
                     score: json ? try store.lastMetric(runID: run.id, key: Store.scoreKey)?.value : nil)
            }
        }
        if json {
            for line in lines {
                var object: [String: Any] = ["id": line.run.id, "sweep": line.sweep, "status": line.run.status.rawValue,
                                             "label": line.run.label, "steps_done": line.run.stepsDone, "steps": line.run.steps,
                                             "attempts": line.run.attempts, "method": line.run.method, "env": line.run.env,
                                             "seed": line.run.seed]
                object["param"] = line.run.param ?? NSNull()
                object["value"] = line.run.value ?? NSNull()
                object["score"] = line.score ?? NSNull()
                object["checkpoint_step"] = line.checkpointStep ?? NSNull()
                object["error"] = line.run.error ?? NSNull()
                object["flag"] = line.flag ?? NSNull()
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        let header = ["id", "sweep", "status", "run", "progress", "attempts", "checkpoint", "note"]
        var rows = [header]
        for line in lines {
            let r = line.run
            let percent = r.steps > 0 ? Double(r.stepsDone) / Double(r.steps) * 100 : 0
            var note = r.error ?? line.flag.map { "⚠ " + $0 } ?? ""
            if line.cancelled && r.status != .done { note = "sweep cancelled" + (note.isEmpty ? "" : "; " + note) }
            if let worker = r.worker, r.status == .running { note = "held by \(worker)" + (note.isEmpty ? "" : "; " + note) }
            rows.append([String(r.id), PrintableName.escaped(line.sweep), r.status.rawValue, r.label,
                         "\(r.stepsDone)/\(r.steps) (\(String(format: "%.0f", percent))%)", String(r.attempts),
                         line.checkpointStep.map { "step \($0)" } ?? "-", note])
        }
        let widths = (0..<header.count - 1).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            var text = ""
            for c in 0..<header.count - 1 { text += row[c] + String(repeating: " ", count: widths[c] - row[c].count + 2) }
            print(text + row[header.count - 1])
        }
        if lines.isEmpty { print("(no runs)") }
    }
}

/// `--status done`: a value among the statuses (another is refused with a did-you-mean, exit 64).
extension RunStatus: ExpressibleByArgument {}
