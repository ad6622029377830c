import ArgumentParser
import CLISupport
import ExperimentStore
import PostgresStore
import Foundation
import LinearAlgebra
import Sweep

/// `mcpo-sweep`: run sweeps of training runs stored in SQLite (see `sweeps/README.md`).
/// Every failure is one line `mcpo-sweep: error: …` on standard error and a status of
/// `ExitStatus` (docs/cli.md).
@main
struct MCPOSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcpo-sweep",
        abstract: "Run RL hyperparameter sweeps stored in an SQLite experiment store.",
        version: ProjectVersion.line(tool: tool),
        subcommands: [RunCommand.self, DaemonCommand.self, SubmitCommand.self, StatusCommand.self, ListCommand.self, ShowCommand.self,
                      LogsCommand.self, RetryCommand.self, CancelCommand.self, SlurmCommand.self, CopyCommand.self, WorkerCommand.self])

    static let tool = "mcpo-sweep"

    static func main() {
        NumericPlatform.useBestKernel()  // may replace the process (OpenBLAS's kernel is chosen at load)
        CLI.main(MCPOSweep.self, tool: tool)
    }
}

/// `--db PATH|URL`, shared by every command (default: `MCPO_DB`, else mcpo.sqlite).
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The experiment store: an SQLite file (created by run, submit and daemon when missing) or a PostgreSQL database, postgres://USER@HOST[:PORT]/DATABASE (its schema created when missing). Default: $MCPO_DB, else mcpo.sqlite.", valueName: "path|url"))
    var db = Stores.defaultAddress

    func validate() throws {
        if db.isEmpty { throw badInput("--db: expected the path of the store, found an empty path") }
        if Stores.isPostgres(db) {
            do { _ = try PostgresURL(db) } catch { throw badInput("--db: \(error)") }
        }
    }
}

/// Bad input found by a `validate()` or a command: prints "mcpo-sweep: error: LINE" and returns
/// exit status 2 to throw.
func badInput(_ line: String) -> ExitCode {
    CLI.refusal(tool: MCPOSweep.tool, code: ExitStatus.badInput, message: line)
}

/// Prints "mcpo-sweep: error: LINE" and returns `code` to throw.
func failure(_ code: Int32, _ line: String) -> ExitCode {
    CLI.refusal(tool: MCPOSweep.tool, code: code, message: line)
}

/// Writes "mcpo-sweep: LINE" to standard error: a notice, not an error.
func note(_ line: String) {
    CLI.notice(tool: MCPOSweep.tool, line)
}
