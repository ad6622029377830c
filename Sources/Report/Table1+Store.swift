import ExperimentStore
import PostgresStore
import Trainer
import Foundation

/// Reading Table 1 out of the experiment store, through its read-only handle.
extension Table1 {
    /// The metric key holding a run's score (the trainer's `MetricKey.score`).
    public static let scoreKey = Store.scoreKey

    /// Which sweep a report reads, and why.
    public struct SweepChoice: Equatable, Sendable {
        public var id: Int64
        public var name: String
        /// Every sweep in the store, oldest first.
        public var all: [String]
        /// True when the caller named it; false when chosen by default.
        public var explicit: Bool

        /// A line for standard error when the sweep was chosen by default.
        public var notice: String? {
            guard !explicit else { return nil }
            let shown = PrintableName.escaped(name)
            if all.count == 1 { return "using sweep '\(shown)' (the store's only sweep)" }
            return "using sweep '\(shown)', the most recently created of \(all.count) (\(all.map { "'\(PrintableName.escaped($0))'" }.joined(separator: ", "))); pass --sweep NAME to choose"
        }
    }

    /// Opens an existing store read-only (an SQLite file or a `postgres://` database); never
    /// creates, migrates or writes one.
    public static func openStore(path: String) throws -> any ResultsReader {
        if Stores.isPostgres(path) { return try Stores.openReadOnly(path) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ReportError.noStore(path: path)
        }
        return try Store.openReadOnly(path: path)
    }

    /// `name` if given (it must exist); otherwise the store's only sweep, or else the most
    /// recently created one.
    public static func chooseSweep(named name: String?, in store: any ResultsReader) throws -> SweepChoice {
        let sweeps = try store.sweeps().sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }   // oldest first
        let names = sweeps.map(\.name)
        if let name {
            guard let found = sweeps.first(where: { $0.name == name }) else {
                throw ReportError.unknownSweep(name: name, existing: names)
            }
            return SweepChoice(id: found.id, name: found.name, all: names, explicit: true)
        }
        guard let latest = sweeps.last else { throw ReportError.noSweeps(path: store.path) }
        return SweepChoice(id: latest.id, name: latest.name, all: names, explicit: false)
    }

    /// The sweeps `names` asks for, each once in the order given (they must exist); none: the
    /// default choice of `chooseSweep`, with its notice for standard error.
    public static func chooseSweeps(named names: [String], in store: any ResultsReader) throws
        -> (choices: [SweepChoice], notice: String?)
    {
        guard !names.isEmpty else {
            let choice = try chooseSweep(named: nil, in: store)
            return ([choice], choice.notice)
        }
        var choices: [SweepChoice] = []
        for name in names where !choices.contains(where: { $0.name == name }) {
            choices.append(try chooseSweep(named: name, in: store))
        }
        return (choices, nil)
    }

    /// Every finished run of the sweep with its score under `rule` (the `score` metric at the
    /// run's largest step for `final`), flagged when its metrics show the collapse signature.
    /// Runs that are not 'done' are ignored; a 'done' run without the rule's metric is returned
    /// in `unscored` (the caller may warn about it).
    public static func runScores(sweepID: Int64, in store: any ResultsReader, rule: ScoreRule = .final,
                                 metrics preloaded: [Int64: [MetricRecord]]? = nil, sweepName: String = "") throws
        -> (scores: [RunScore], unscored: [Int64], counts: [String: Int])
    {
        var scores: [RunScore] = []
        var unscored: [Int64] = []
        let values = rule.takesBest ? try store.bestValues(sweepID: sweepID, key: rule.key)
                                    : try store.finalValues(sweepID: sweepID, key: rule.key)
        for (run, score) in values {
            guard let score else {
                unscored.append(run.id)
                continue
            }
            scores.append(RunScore(
                row: Table1.Row(method: run.method, param: run.param, value: run.value, variant: Table1.Row.variant(of: MethodCatalog.method(named: run.method)?.distinguishing(run.choices) ?? run.choices)),
                env: run.env, seed: Int(run.seed), identity: run.configHash, score: score, runID: run.id, steps: Int(run.steps),
                flag: try preloaded?[run.id].map { CollapseSignature.find(in: $0)?.description }
                    ?? store.collapseSignature(runID: run.id)?.description,
                facts: RunFacts(run: run, sweep: sweepName)))
        }
        let c = try store.statusCounts(sweepID: sweepID)
        let counts = ["pending": c.pending, "running": c.running, "done": c.done, "failed": c.failed].filter { $0.value > 0 }
        return (scores, unscored, counts)
    }

    /// Loads the table of one sweep. Throws `emptySweep` when no finished run has a score.
    public static func load(
        from store: any ResultsReader, sweep: SweepChoice, reference: ReferenceTable? = nil, rule: ScoreRule = .final,
        metrics: [Int64: [MetricRecord]]? = nil
    ) throws -> (table: Table1, unscored: [Int64]) {
        let loaded = try load(from: store, sweeps: [sweep], reference: reference, rule: rule, metrics: metrics)
        return (loaded.table, loaded.unscored)
    }

    /// Loads a table of one or more sweeps grouped as `grouping` says (Table 1's rows by
    /// default, with any setting the runs differ in). `warnings` name settings a cell pools.
    public static func load(
        from store: any ResultsReader, sweeps: [SweepChoice], grouping: TableGrouping = TableGrouping(),
        reference: ReferenceTable? = nil, rule: ScoreRule = .final, statistic: CellStatistic = CellStatistic(),
        metrics: [Int64: [MetricRecord]]? = nil
    ) throws -> (table: Table1, unscored: [Int64], warnings: [String]) {
        var scores: [RunScore] = []
        var unscored: [Int64] = []
        for sweep in sweeps {
            let (s, u, counts) = try runScores(sweepID: sweep.id, in: store, rule: rule, metrics: metrics, sweepName: sweep.name)
            if s.isEmpty && sweeps.count == 1 { throw ReportError.emptySweep(name: sweep.name, counts: counts) }
            scores += s
            unscored += u
        }
        guard !scores.isEmpty else { throw ReportError.emptySweep(name: sweeps.map(\.name).joined(separator: ", "), counts: [:]) }
        let (table, warnings) = try grouped(sweep: sweeps.map(\.name).joined(separator: ", "), scores: scores, grouping: grouping,
                                            reference: reference, rule: rule, statistic: statistic)
        return (table, unscored, warnings)
    }
}
