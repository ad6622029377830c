import ArgumentParser
import Foundation
import Report
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct MCPOReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcpo-report",
        abstract: "Tables and figures from an mcpo experiment store.",
        subcommands: [Table1Command.self, CurvesCommand.self, DashboardCommand.self, ServeCommand.self, ExportCommand.self])
}

extension Table1Format: ExpressibleByArgument {}
extension ScoreRule: ExpressibleByArgument {}

struct Table1Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table1",
        abstract: "Rows (method, hyperparameter value) × columns (environment): mean ± std over seeds, n, best mean bold, Cohen's d < 0.5 against it underlined.")

    @Option(name: .long, help: "The experiment store (read only; never created).")
    var db: String = "mcpo.sqlite"

    @Option(name: .long, help: "The sweep to report (default: the store's only sweep, else the most recently created).")
    var sweep: String?

    @Option(name: .long, help: "Output format: \(Table1Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Table1Format = .term

    @Option(name: .long, help: "How a run's score is read: final (last-100 training mean at the end), best (its largest value during training), eval (deterministic evaluation after the last iteration), best-eval (the best evaluation during training).")
    var score: ScoreRule = .final

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

    func run() throws {
        do {
            guard (0...6).contains(precision) else { fail("--precision: expected a whole number from 0 to 6, found \(precision)") }
            if let label, label.isEmpty || !label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ":-_.".contains($0)) }) {
                fail("--label: expected letters, digits and : - _ . only, found '\(label)'")
            }
            let table = try makeTable()
            for line in table.referenceBudgetWarnings { warn(line) }
            let ansi = format == .term && isatty(STDOUT_FILENO) == 1
                && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            let text = format == .latex
                ? table.renderLatex(referenceName: reference, options: LatexOptions(precision: precision, caption: caption, label: label, showN: !noN))
                : table.render(format, ansi: ansi, referenceName: reference)
            FileHandle.standardOutput.write(Data(text.utf8))
        } catch let error as ReportError {
            fail(error.description)
        } catch {
            fail("\(error)")
        }
    }

    func makeTable() throws -> Table1 {
        // Read the reference first: a bad file is reported before touching the store.
        let referenceTable = try reference.map { try ReferenceTable(contentsOf: $0) }
        if db.isEmpty { fail("--db: expected the path of the store, found an empty path") }
        let store = try Table1.openStore(path: db)
        let choice = try Table1.chooseSweep(named: sweep, in: store)
        if let notice = choice.notice { warn(notice) }
        let (table, unscored) = try Table1.load(from: store, sweep: choice, reference: referenceTable, rule: score)
        if !unscored.isEmpty {
            warn("ignoring \(unscored.count) finished run(s) without a '\(score.key)' metric (run id \(unscored.map(String.init).joined(separator: ", ")))")
        }
        return table
    }

    func warn(_ line: String) { Output.warn(line) }

    func fail(_ line: String) -> Never { Output.fail(line) }
}
