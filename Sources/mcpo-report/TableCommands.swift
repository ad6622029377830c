import ArgumentParser
import Foundation
import PostgresStore
import Report
#if canImport(Glibc)
import Glibc
#endif

/// The options `table1` and `table` share.
struct TableOptions: ParsableArguments {
    @Option(name: .long, help: "The experiment store (read only; never created).")
    var db: String = Stores.defaultAddress

    @Option(name: .long, help: "A sweep to report (repeatable: their runs go into one table; default: the store's only sweep, else the most recently created).")
    var sweep: [String] = []

    @Option(name: .long, help: "Output format: \(Table1Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Table1Format = .term

    @Flag(name: .long, help: "The same as --format json.")
    var json = false

    @Option(name: .long, help: "How a run's score is read: final (last-100 training mean at the end), best (its largest value during training), eval (deterministic evaluation after the last iteration), best-eval (the best evaluation during training). Default: final; atari: best-eval (the paper's best checkpoint).")
    var score: ScoreRule?

    @Option(name: .long, help: "The cell's statistic over seeds: mean, median or iqm (interquartile mean, rliable's).")
    var stat: RobustStatistics.Stat = .mean

    @Option(name: .long, help: "The cell's spread: std (± sample std; underline = Cohen's d < 0.5), boot95 (95 % percentile bootstrap interval; underline = overlaps the best's) or none.")
    var ci: CellStatistic.Spread = .std

    @Option(name: .long, help: "A CSV of published figures (method,param,value,env,steps,mean,std,n) to show beside each cell.")
    var reference: String?

    @Option(name: .long, help: "LaTeX: decimals of means and stds (0–6).")
    var precision: Int = 2

    @Option(name: .long, help: "LaTeX: a caption (the table then goes into a table float).")
    var caption: String?

    @Option(name: .long, help: "LaTeX: a \\label key (letters, digits and : - _ . only).")
    var label: String?

    @Flag(name: .customLong("no-n"), help: "LaTeX: leave out \"(n=k)\" after each cell.")
    var noN = false

    /// Checks the options, reads the store and prints the table grouped by `grouping`.
    func run(grouping: TableGrouping, title: String) {
        Output.reporting { write(try load(grouping: grouping, title: title)) }
    }

    /// Prints `table` in the chosen format (ANSI marks on a terminal unless NO_COLOR is set).
    func write(_ table: Table1) {
        let format = json ? .json : self.format
        let ansi = format == .term && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let text = format == .latex
            ? table.renderLatex(referenceName: reference, options: LatexOptions(precision: precision, caption: caption, label: label, showN: !noN))
            : table.render(format, ansi: ansi, referenceName: reference)
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The table the options ask for (its warnings already on standard error).
    func load(grouping: TableGrouping, title: String, defaultScore: ScoreRule = .final) throws -> Table1 {
        let score = self.score ?? defaultScore
        guard (0...6).contains(precision) else { throw ReportError.badOption("--precision: expected a whole number from 0 to 6, found \(precision)") }
        if let label, label.isEmpty || !label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ":-_.".contains($0)) }) {
            throw ReportError.badOption("--label: expected letters, digits and : - _ . only, found '\(label)'")
        }
        // Read the reference first: a bad file is reported before touching the store.
        let referenceTable = try reference.map { try ReferenceTable(contentsOf: $0) }
        if db.isEmpty { throw ReportError.badOption("--db: expected the path of the store, found an empty path") }
        let store = try Table1.openStore(path: db)
        let (choices, notice) = try Table1.chooseSweeps(named: sweep, in: store)
        if let notice { Output.warn(notice) }
        var (table, unscored, warnings) = try Table1.load(
            from: store, sweeps: choices, grouping: grouping, reference: referenceTable, rule: score,
            statistic: CellStatistic(stat: stat, ci: ci))
        table.title = title
        if !unscored.isEmpty {
            Output.warn("ignoring \(unscored.count) finished run(s) without a '\(score.key)' metric (run id \(unscored.map(String.init).joined(separator: ", ")))")
        }
        for line in warnings + table.referenceBudgetWarnings { Output.warn(line) }
        return table
    }
}

/// "method,lr" → ["method", "lr"]; an empty key is refused.
func groupingKeys(_ text: String, option: String) throws -> [String] {
    let list = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    if list.isEmpty || list.contains(where: \.isEmpty) {
        throw ReportError.badOption("--\(option): expected comma-separated keys such as method,lr, found '\(text)'")
    }
    return list
}

struct Table1Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table1",
        abstract: "Rows (method, hyperparameter value, and any setting the runs differ in) × columns (environment): mean ± std over seeds, n, best mean bold, Cohen's d < 0.5 against it underlined.")

    @OptionGroup var options: TableOptions

    func run() { options.run(grouping: TableGrouping(), title: "Table 1") }
}

struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "A table over any grouping: --rows and --columns name the keys (method, value = the signature hyperparameter, env, sweep, seed, or any config key: lr, epochs, clip, N, ablation, …).",
        discussion: """
            Examples:
              mcpo-report table --sweep lr-study --rows method,lr
              mcpo-report table --sweep ablation --rows ablation
              mcpo-report table --sweep a --sweep b --rows sweep,method --stat iqm --ci boot95
            Without --rows, the rows are Table 1's plus every setting the runs of such a row differ in.
            """)

    @OptionGroup var options: TableOptions

    @Option(name: .long, help: "Row keys, comma-separated, in order (default: Table 1's rows plus the settings that differ).")
    var rows: String?

    @Option(name: .long, help: "Column keys, comma-separated (default: env).")
    var columns: String = "env"

    func run() {
        Output.reporting {
            let grouping = TableGrouping(rows: try rows.map { try groupingKeys($0, option: "rows") },
                                         columns: try groupingKeys(columns, option: "columns"))
            options.run(grouping: grouping, title: "Table")
        }
    }
}
