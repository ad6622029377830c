import ArgumentParser
import ExperimentStore
import Foundation
import LinearAlgebra
import Sweep

/// `mcpo-sweep`: run sweeps of training runs stored in SQLite (see `sweeps/README.md`).
/// Every failure is one line on standard error and a non-zero exit status.
@main
struct MCPOSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcpo-sweep",
        abstract: "Run RL hyperparameter sweeps stored in an SQLite experiment store.",
        subcommands: [RunCommand.self, DaemonCommand.self, SubmitCommand.self, StatusCommand.self, ListCommand.self, ShowCommand.self,
                      LogsCommand.self, RetryCommand.self, CancelCommand.self, WorkerCommand.self])

    static func main() {
        NumericPlatform.useBestKernel()  // may replace the process (OpenBLAS's kernel is chosen at load)
        refuseUnknownCommand()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as StoreError {
            printError("\(error)")   // names the store's path
            if case .notWritable = error { Foundation.exit(Status.storeUnavailable) }
            Foundation.exit(Status.badInput)
        } catch let error where Store.isDatabaseError(error) {
            let unavailable = Store.isUnavailable(error)
            printError("mcpo-sweep: the store cannot be \(unavailable ? "written now" : "used") (\(Store.reason(error)))"
                + (unavailable ? "; nothing was changed, try again later" : ""))
            Foundation.exit(unavailable ? Status.storeUnavailable : Status.badInput)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }   // --help and friends
            let message = self.message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            // An ExitCode thrown by a validate() arrives wrapped, its line already printed.
            if !message.isEmpty { printError("mcpo-sweep: \(message) (see 'mcpo-sweep help')") }
            Foundation.exit(code.rawValue)
        }
    }
}

extension MCPOSweep {
    /// `mcpo-sweep rn FILE`: one line naming the commands, with a did-you-mean, exit 64.
    static func refuseUnknownCommand() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let first = arguments.first, !first.hasPrefix("-") else { return }
        let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        guard !names.contains(first) else { return }
        let shown = configuration.subcommands.filter { $0.configuration.shouldDisplay }.compactMap { $0.configuration.commandName }
        var line = "mcpo-sweep: unknown command '\(first)' (commands: \(shown.joined(separator: ", ")))"
        if let guess = SweepParser.suggestion(for: first, among: shown) { line += "; did you mean '\(guess)'?" }
        printError(line)
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }
}

/// `--db PATH`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(help: "The experiment store, an SQLite file (created by run, submit and daemon when missing).")
    var db = "mcpo.sqlite"

    func validate() throws {
        if db.isEmpty { throw badInput("--db: expected the path of the store, found an empty path") }
    }
}

/// Bad input found by a `validate()`: prints "mcpo-sweep COMMAND: LINE" and returns exit status 2
/// to throw. COMMAND is the subcommand as typed (an option group does not know its command).
func badInput(_ line: String) -> ExitCode {
    let command = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") }
    printError("mcpo-sweep\(command.map { " \($0)" } ?? ""): \(line)")
    return ExitCode(Status.badInput)
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
    static let cannotStartWorkers: Int32 = 4
    static let storeUnavailable: Int32 = 5
    static let storeGone: Int32 = 6
}
