import CLISupport
import Figures
import Foundation
import Report

/// The report's one-line messages on standard error, and its exit on a refused input: every
/// error is `mcpo-report: error: …` with a status of the tools' table (docs/cli.md).
enum Output {
    static let tool = "mcpo-report"

    /// `mcpo-report 0.14.0 (store schema 4)`, for `--version`.
    static let version = ProjectVersion.line(tool: tool)

    /// `mcpo-report: LINE`: a notice or warning, not an error.
    static func warn(_ line: String) {
        CLI.notice(tool: tool, line)
    }

    /// `mcpo-report: error: LINE`, then exit `code` (bad input, 2, unless said otherwise).
    static func fail(_ line: String, code: Int32 = ExitStatus.badInput) -> Never {
        CLI.fail(tool: tool, code: code, message: line)
    }

    /// An error as one line with its status: the report's own refusals (no such store, sweep,
    /// option value, reference file, dashboard file, figure path) are bad input, 2; a store that
    /// cannot be read now (locked, busy, I/O) 5; anything unexpected 70.
    static func fail(_ error: Error) -> Never {
        switch error {
        case let error as ReportError: fail(error.description, code: status(for: error))
        case let error as DashboardError: fail(error.description)
        case let error as FigureError: fail(error.description)
        default: fail(CLI.message(for: error), code: CLI.status(for: error))
        }
    }

    /// Every `ReportError` is bad input: a store path that does not exist (`noStore`), a sweep
    /// not in it (`unknownSweep`), a store with no sweeps or a sweep with nothing to report yet
    /// (`noSweeps`, `emptySweep`, `noCurves`: the name or path given has nothing to show), a
    /// reference table that cannot be read or parsed, an option's value.
    /// (A case added later is bad input too unless this says otherwise.)
    static func status(for error: ReportError) -> Int32 { ExitStatus.badInput }

    /// Runs `body`; any error it throws becomes one `error:` line and its exit status.
    static func reporting(_ body: () throws -> Void) {
        do {
            try body()
        } catch {
            fail(error)
        }
    }
}

extension MCPOReport {
    /// Parses and runs the command; every refusal is one line and a status of the table
    /// (ArgumentParser's refusals rewritten, with did-you-mean for values and commands).
    static func main() async {
        await CLI.main(MCPOReport.self, tool: Output.tool)
    }
}
