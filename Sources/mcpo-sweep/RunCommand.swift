import ArgumentParser
import CLISupport
import ExperimentStore
import Foundation
import Sweep

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Expand a sweep file into runs (idempotently) and execute every pending run.",
        discussion: """
            Exits 0 when every run of the sweep is done, 1 if some failed, 2 on bad input, 3 if the sweep \
            was cancelled, 4 if workers cannot start, 5 if the store cannot be written, 6 if the store went away, \
            128+signal when interrupted (run it again to resume); see docs/cli.md.
            """)

    @Argument(help: "The sweep file (YAML, see sweeps/README.md).")
    var file: String

    @OptionGroup var storeOptions: StoreOptions
    var db: String { storeOptions.db }

    @OptionGroup var sweepFile: SweepFileOptions
    @OptionGroup var execution: ExecutionOptions

    func run() throws {
        try execution.ensureFileDescriptors()
        let options = execution.schedulerOptions(db: db)
        let stop = StopSignal()
        stop.install()
        let prepared = try sweepFile.store(file: file, db: db)
        let sweepID = prepared.insertion.sweepID
        let name = prepared.spec.name
        noteOtherSchedulers(prepared.store)
        let scheduler = Scheduler(store: prepared.store, scope: .sweep(sweepID), options: options,
                                  progress: ProgressLine(label: name), log: note)
        switch try scheduler.run(stop: stop) {
        case .done:
            return
        case let .failed(ids):
            let runs = try ids.compactMap { try prepared.store.run(id: $0) }
            for run in runs { note("run \(run.id) (\(run.label)) failed: \(run.error ?? "unknown error")") }
            throw failure(ExitStatus.runsFailed, "sweep '\(name)': " + FailedRuns(runs).summary)
        case .cancelled:
            throw failure(ExitStatus.cancelled, "sweep '\(name)': cancelled; its unfinished runs are pending (run or submit the file again to resume)")
        case let .interrupted(signal):
            note("sweep '\(name)': interrupted; run the same command again to resume")
            throw ExitCode(ExitStatus.signal(signal))
        case let .storeGone(error):
            throw failure(ExitStatus.storeGone, "sweep '\(name)': \(error)")
        case let .cannotStartWorkers(reason):
            throw failure(ExitStatus.cannotStartWorkers, "sweep '\(name)': stopped: \(reason), for \(Int(options.environmentGiveUpSeconds)) s; "
                + "its runs are pending (run the same command again once workers can start)")
        }
    }
}

/// What to do about failed runs. A run is a pure function of its config and seed: one that
/// diverged (its metrics went non-finite; `lastGoodStep` is set) diverges again, at the same
/// step, when retried, so only the others (a crash, the environment) are worth a retry.
struct FailedRuns {
    let diverged: [RunRecord]
    let others: [RunRecord]

    init(_ runs: [RunRecord]) {
        diverged = runs.filter { $0.lastGoodStep != nil }
        others = runs.filter { $0.lastGoodStep == nil }
    }

    static let deterministic = "diverged deterministically (a retry gives the same numbers: change its config)"

    /// "2 run(s) failed: run 3 diverged deterministically (…); run 5 failed otherwise (retry it with …)".
    var summary: String {
        var parts: [String] = []
        if !diverged.isEmpty {
            parts.append("\(Self.list(diverged)) \(Self.deterministic)")
        }
        if !others.isEmpty {
            let how = diverged.isEmpty ? "'mcpo-sweep retry --failed'" : others.map { "'mcpo-sweep retry \($0.id)'" }.joined(separator: ", ")
            parts.append("\(Self.list(others)) failed otherwise (retry \(others.count == 1 ? "it" : "them") with \(how))")
        }
        return "\(diverged.count + others.count) run(s) failed: " + parts.joined(separator: "; ")
    }

    static func list(_ runs: [RunRecord]) -> String {
        (runs.count == 1 ? "run " : "runs ") + runs.map { String($0.id) }.joined(separator: ", ")
    }

    /// The note `logs` and `show` print under a failed run's error.
    static func hint(for run: RunRecord) -> String? {
        guard run.status == .failed else { return nil }
        if run.lastGoodStep != nil {
            return "note: diverged deterministically: a run is a pure function of its config and seed, so a retry gives the same numbers; change its config"
        }
        return "note: retry it with 'mcpo-sweep retry \(run.id)'"
    }
}
