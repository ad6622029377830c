import ArgumentParser
import ExperimentStore
import Foundation
import Trainer

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one run: its config with every setting (defaults filled), status, attempts, steps, wall time, steps/s, score, last metrics, events, error.")

    @Argument(help: "The run's id (see 'mcpo-sweep list').")
    var runID: Int64

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @Flag(help: "One JSON object: {\"id\", \"sweep\", \"status\", \"config\", \"steps\", \"steps_done\", \"steps_taken\", \"attempts\", \"wall_seconds\", \"steps_per_s\", \"score\", \"last_metrics\", \"events\", \"error\", \"last_good_step\", \"flag\"}.")
    var json = false

    struct Shown {
        var run: RunRecord
        var sweep: String
        var events: [RunEvent]
        var metrics: [MetricRecord]
        var flag: String?
    }

    func run() throws {
        let shown: Shown = try StoreLookup.read(db) { store in
            let run = try StoreLookup.run(store, id: runID)
            return Shown(run: run, sweep: try store.sweep(id: run.sweepID)?.name ?? "?", events: try store.events(runID: runID),
                         metrics: try store.metrics(runID: runID),
                         flag: run.status == .done ? try store.collapseSignature(runID: runID)?.description : nil)
        }
        let r = shown.run
        let config = try? JSONDecoder().decode(TrainingConfig.self, from: Data(r.configJSON.utf8))
        let (params, choices) = config?.methodSettings(MethodCatalog.method(named: r.method)) ?? ([:], [:])
        var last: [String: MetricRecord] = [:]
        for m in shown.metrics where m.step >= (last[m.key]?.step ?? .min) { last[m.key] = m }
        let score = last[Store.scoreKey]
        let stepsShown = max(r.stepsDone, shown.metrics.map(\.step).max() ?? 0)
        let rate = r.wallSeconds.flatMap { $0 > 0 ? Double(r.stepsDone) / $0 : nil }
        if json {
            var configObject: [String: Any] = [:]
            for (key, value) in config?.everySetting ?? [] { configObject[key] = Self.any(value) }
            configObject["params"] = params
            configObject["choices"] = choices
            var object: [String: Any] = [
                "id": r.id, "sweep": shown.sweep, "status": r.status.rawValue, "config": configObject, "steps": r.steps,
                "steps_done": stepsShown, "steps_taken": config?.stepsTaken ?? NSNull(), "attempts": r.attempts,
                "wall_seconds": r.wallSeconds ?? NSNull(), "steps_per_s": rate ?? NSNull(), "score": score?.value ?? NSNull(),
                "error": r.error ?? NSNull(), "flag": shown.flag ?? NSNull(), "last_good_step": r.lastGoodStep ?? NSNull(),
            ]
            object["last_metrics"] = Dictionary(uniqueKeysWithValues: last.map { ($0.key, ["step": $0.value.step, "value": $0.value.value] as [String: Any]) })
            object["events"] = shown.events.map { e -> [String: Any] in
                ["at": e.at, "kind": e.kind.rawValue, "step": e.step, "attempt": e.attempt, "worker": e.worker ?? NSNull(), "message": e.message]
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("run \(r.id) of sweep '\(PrintableName.escaped(shown.sweep))': \(r.label)")
        var status = "  status: \(r.status.rawValue), attempt \(r.attempts)"
        if let worker = r.worker, r.status == .running { status += ", held by \(worker)" }
        print(status)
        if let error = r.error { print("  error: \(error)") }
        if let hint = FailedRuns.hint(for: r) { print("  \(hint)") }
        if let flag = shown.flag { print("  ⚠ \(flag)") }
        var steps = "  steps: \(stepsShown) of \(r.steps)"
        if let config, config.stepsTaken != config.steps {
            steps += " (a run ends on a whole iteration: \(config.stepsTaken / max(1, config.actors * config.horizon)) iterations × \(config.actors) actors × \(config.horizon) = \(config.stepsTaken) env steps)"
        }
        print(steps)
        if let wall = r.wallSeconds { print("  wall time: \(String(format: "%.1f", wall)) s" + (rate.map { String(format: ", %.0f env steps/s", $0) } ?? "")) }
        if let score { print("  score: \(score.value) at step \(score.step)") }
        print("config (every setting; defaults filled):")
        for (key, value) in config?.everySetting ?? [] { print("  \(key): \(Self.text(value))") }
        for key in params.keys.sorted() { print("  params.\(key): \(Self.text(.number(params[key]!)))") }
        for key in choices.keys.sorted() { print("  choices.\(key): \(choices[key]!)") }
        if config == nil { print("  (unreadable config JSON) \(r.configJSON)") }
        if !last.isEmpty {
            print("last metrics:")
            for key in last.keys.sorted() { print("  \(key): \(last[key]!.value) (step \(last[key]!.step))") }
        }
        print(shown.events.isEmpty ? "events: (none recorded)" : "events:")
        for e in shown.events {
            print("  \(e.at)  \(e.kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) step \(e.step)  \(e.message)")
        }
    }

    static func any(_ v: TrainingConfig.SettingText) -> Any {
        switch v {
        case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? Int64(x) as Any : x
        case .flag(let b): return b
        case .text(let s): return s
        case .none: return NSNull()
        }
    }

    static func text(_ v: TrainingConfig.SettingText) -> String {
        switch v {
        case .number(let x): return formatNumber(x)
        case .flag(let b): return b ? "true" : "false"
        case .text(let s): return PrintableName.escaped(s)
        case .none: return "off"
        }
    }
}
