import ArgumentParser
import Foundation

/// `mcpo-sweep`: run sweeps of training runs stored in SQLite (see `sweeps/README.md`).
/// Every failure is one line on standard error and a non-zero exit status.
@main
struct MCPOSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcpo-sweep",
        abstract: "Run RL hyperparameter sweeps stored in an SQLite experiment store.",
        subcommands: [RunCommand.self, DaemonCommand.self, SubmitCommand.self, StatusCommand.self, ListCommand.self,
                      LogsCommand.self, RetryCommand.self, CancelCommand.self, WorkerCommand.self])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }   // --help and friends
            let message = self.message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            printError("mcpo-sweep: \(message) (see 'mcpo-sweep help')")
            Foundation.exit(code.rawValue)
        }
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Exit statuses of mcpo-sweep.
enum Status {
    static let failedRuns: Int32 = 1
    static let badInput: Int32 = 2
    static let cancelled: Int32 = 3
    static let storeUnavailable: Int32 = 5
}
