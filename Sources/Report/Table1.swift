/// Table 1 of the paper: rows (method, signature hyperparameter value) × columns (environment),
/// each cell the mean ± sample std of the runs' scores over seeds.
public struct Table1: Equatable, Sendable {
    /// One row of the table: a method with one value of its signature hyperparameter.
    /// Runs that differ in a string option (MCPO's `ablation`, MDPO's `schedule`, ...) are
    /// different rows: `variant` lists the options that differ from their defaults.
    public struct Row: Hashable, Sendable {
        public var method: String
        public var param: String?
        public var value: Double?
        /// "key=value" of the run's non-default options, sorted by key and joined by ", "; nil
        /// when it has none.
        public var variant: String?

        public init(method: String, param: String?, value: Double?, variant: String? = nil) {
            self.method = method
            self.param = param
            self.value = value
            self.variant = variant
        }

        /// The method column: the method, then its variant in parentheses (a row not by method:
        /// its variant alone, or "all runs").
        public var label: String {
            if method.isEmpty { return variant ?? "all runs" }
            return variant.map { "\(method) (\($0))" } ?? method
        }

        /// The variant of a run's options (`config.choices`).
        public static func variant(of choices: [String: String]) -> String? {
            choices.isEmpty ? nil : choices.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ", ")
        }
    }

    public struct Cell: Equatable, Sendable {
        public var row: Row
        public var env: String
        /// The seeds' scores, in seed order (the order the mean is summed in).
        public var scores: [Double]
        /// The seed of each score (same order).
        public var seeds: [Int] = []
        public var summary: Statistics.Summary
        public var mark: Statistics.Mark
        /// The published figure for this cell, when a reference table was given and has it.
        public var reference: ReferenceTable.Entry?
        /// Runs of the cell whose metrics show a failure signature (marked †, named in a footnote).
        public var flagged: [Flag] = []
        /// The distinct step budgets of the cell's runs (ascending; empty when unknown).
        public var budgets: [Int] = []
        /// The table's point statistic of the scores (the mean unless `--stat` says otherwise).
        public var point: Double = .nan
        /// The bootstrap interval of that statistic (`--ci boot95` only).
        public var interval: RobustStatistics.Interval?
        /// Which configuration the cell is (a best-configuration table names it: "clip=0.2").
        public var chosen: String?

        public var mean: Double { summary.mean }
        public var std: Double { summary.std }
        public var n: Int { summary.n }
        public var bold: Bool { mark.bold }
        public var underline: Bool { mark.underline }
    }

    /// A run averaged into a cell although its metrics show a failure (the collapse signature).
    public struct Flag: Equatable, Sendable {
        public var runID: Int64
        public var seed: Int
        public var why: String

        public init(runID: Int64, seed: Int, why: String) {
            self.runID = runID
            self.seed = seed
            self.why = why
        }
    }

    /// One finished run's score (its `score` metric at its last recorded step, or as `rule` says).
    public struct RunScore: Equatable, Sendable {
        public var row: Row
        public var env: String
        public var seed: Int
        /// Tie-breaker among runs of the same cell and seed (the run's config hash).
        public var identity: String
        public var score: Double
        public var runID: Int64
        /// Why the run is marked, if it is.
        public var flag: String?
        /// The run's step budget (`steps` of its config; 0 when unknown).
        public var steps: Int = 0
        /// Its sweep and every config key, for grouping (nil when not read from a store).
        public var facts: RunFacts?

        public init(row: Row, env: String, seed: Int, identity: String = "", score: Double, runID: Int64 = 0,
                    steps: Int = 0, flag: String? = nil, facts: RunFacts? = nil) {
            self.steps = steps
            self.facts = facts
            self.row = row
            self.env = env
            self.seed = seed
            self.identity = identity
            self.score = score
            self.runID = runID
            self.flag = flag
        }
    }

    public var sweep: String
    /// The table's name in its heading ("Table 1", or "Table" for a general grouping).
    public var title = "Table 1"
    /// How rows were chosen, when not all configurations are shown (Table 2's rule).
    public var selection: String?
    /// Rows in display order.
    public var rows: [Row]
    /// Environment columns in display order.
    public var envs: [String]
    /// Cells in display order (row-major: by row, then by environment); missing cells are absent.
    public var cells: [Cell]

    public func cell(_ row: Row, _ env: String) -> Cell? {
        cells.first { $0.row == row && $0.env == env }
    }

    /// How the scores were read; every rendering states it.
    public var rule: ScoreRule = .final
    /// What a cell shows and how the marks are decided; every rendering states it.
    public var statistic = CellStatistic()
    /// The rule every rendering states in its footnote.
    public var scoreRule: String { rule.text }
    public static let stdRule = CellStatistic().cellRule
    public static let markRule = CellStatistic().markRule

    /// Builds the table from individual run scores: groups by (row, env), orders seeds, computes
    /// the statistics and the marks of each column, and attaches reference figures. Rows and
    /// columns are in the paper's order unless `rowOrder` / `columnOrder` give it (a general
    /// table's grouping does).
    public init(sweep: String, scores: [RunScore], reference: ReferenceTable? = nil, rule: ScoreRule = .final,
                statistic: CellStatistic = CellStatistic(), rowOrder: [Row]? = nil, columnOrder: [String]? = nil) {
        self.sweep = sweep
        self.rule = rule
        self.statistic = statistic
        var groups: [Row: [String: [RunScore]]] = [:]
        for s in scores { groups[s.row, default: [:]][s.env, default: []].append(s) }

        rows = rowOrder?.filter { groups[$0] != nil } ?? groups.keys.sorted(by: Ordering.rowPrecedes)
        let columns = Set(scores.map(\.env))
        envs = columnOrder?.filter(columns.contains) ?? columns.sorted(by: Ordering.envPrecedes)

        var built: [Cell] = []
        for row in rows {
            for env in envs {
                guard let runs = groups[row]?[env], !runs.isEmpty else { continue }
                let ordered = runs.sorted { ($0.seed, $0.identity) < ($1.seed, $1.identity) }
                let xs = ordered.map(\.score)
                built.append(Cell(
                    row: row, env: env, scores: xs, seeds: ordered.map(\.seed), summary: Statistics.Summary(xs)!,
                    mark: Statistics.Mark(bold: false, underline: false, d: 0),
                    reference: reference?.entry(for: row, env: env),
                    flagged: ordered.compactMap { s in s.flag.map { Flag(runID: s.runID, seed: s.seed, why: $0) } },
                    budgets: Set(ordered.map(\.steps).filter { $0 > 0 }).sorted(),
                    point: statistic.stat.of(xs) ?? .nan, interval: statistic.interval(xs, seed: UInt64(built.count))))
            }
        }
        for env in envs {
            let indices = built.indices.filter { built[$0].env == env }
            let marks = statistic.marks(indices.map { built[$0] })
            for (i, mark) in zip(indices, marks) { built[i].mark = mark }
        }
        cells = built
    }
}

/// The display order of rows and columns.
public enum Ordering {
    /// The paper's method order; methods not listed come after, alphabetically.
    public static let methods = ["KLAdaptive", "KLFixed", "TRPO", "PPO", "MDPO", "VMPO", "MeanPsi", "MCPO"]
    /// The paper's environment order; others come after, alphabetically.
    public static let envs = ["Pendulum", "LunarLander", "BipedalWalker",
                              "HalfCheetah", "Walker2d", "Hopper", "Ant", "Humanoid", "HumanoidStandup"]

    static func rank(_ name: String, in list: [String]) -> Int {
        list.firstIndex { $0.lowercased() == name.lowercased() } ?? list.count
    }

    public static func methodPrecedes(_ a: String, _ b: String) -> Bool {
        let (ra, rb) = (rank(a, in: methods), rank(b, in: methods))
        if ra != rb { return ra < rb }
        return a < b
    }

    public static func envPrecedes(_ a: String, _ b: String) -> Bool {
        let (ra, rb) = (rank(a, in: envs), rank(b, in: envs))
        if ra != rb { return ra < rb }
        return a < b
    }

    /// By method, then by hyperparameter value (a row without value first), then by its name.
    public static func rowPrecedes(_ a: Table1.Row, _ b: Table1.Row) -> Bool {
        if a.method != b.method { return methodPrecedes(a.method, b.method) }
        switch (a.value, b.value) {
        case let (x?, y?) where x != y: return x < y
        case (nil, _?): return true
        case (_?, nil): return false
        default:
            if a.param != b.param { return (a.param ?? "") < (b.param ?? "") }
            return (a.variant ?? "") < (b.variant ?? "")
        }
    }
}
