import ArgumentParser
import ExperimentStore
import Foundation

/// `TOOL: error: MESSAGE`, on one line (a message of several lines is joined with spaces): the
/// one form of every error of mcpo-sweep, mcpo-report and mcpo-bench (docs/cli.md).
public func errorLine(tool: String, message: String) -> String {
    "\(tool): error: \(CLI.oneLine(message))"
}

/// `TOOL: MESSAGE`: a notice or warning that is not an error.
public func noticeLine(tool: String, message: String) -> String {
    "\(tool): \(CLI.oneLine(message))"
}

/// A refusal with its exit status, thrown from a command's `run()`; `CLI.main` prints it as one
/// error line and exits with `code`.
public struct CLIFailure: Error, CustomStringConvertible, Equatable {
    public var code: Int32
    public var message: String

    public init(_ code: Int32, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Exit 2: a file, an option's value, a name not in the store.
    public static func badInput(_ message: String) -> CLIFailure { CLIFailure(ExitStatus.badInput, message) }

    /// Exit 64: the command line itself (what ArgumentParser would refuse).
    public static func usage(_ message: String) -> CLIFailure { CLIFailure(ExitStatus.usage, message) }

    public var description: String { message }
}

/// The command-line contract of the three tools: one error line, one exit-status table, the
/// version line, did-you-mean for values and commands.
public enum CLI {
    /// `text` on one line: its lines trimmed and joined with spaces.
    public static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Writes `line` and a newline to standard error.
    public static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints `TOOL: error: MESSAGE`.
    public static func error(tool: String, _ message: String) {
        printError(errorLine(tool: tool, message: message))
    }

    /// Prints `TOOL: MESSAGE` (not an error).
    public static func notice(tool: String, _ message: String) {
        printError(noticeLine(tool: tool, message: message))
    }

    /// Prints `TOOL: error: MESSAGE` and exits with `code`.
    public static func fail(tool: String, code: Int32, message: String) -> Never {
        error(tool: tool, message)
        Foundation.exit(code)
    }

    /// Prints `TOOL: error: MESSAGE` and returns the `ExitCode` to throw, for a `validate()`
    /// (ArgumentParser wraps what a validate() throws; an ExitCode passes through it).
    public static func refusal(tool: String, code: Int32, message: String) -> ExitCode {
        error(tool: tool, message)
        return ExitCode(code)
    }

    // MARK: - Errors to exit statuses

    /// The exit status of an error that reached the top of a command.
    public static func status(for error: Error) -> Int32 {
        switch error {
        case let failure as CLIFailure: return failure.code
        case let code as ExitCode: return code.rawValue
        case let store as StoreError: return status(for: store)
        case _ where Store.isDatabaseError(error): return Store.isUnavailable(error) ? ExitStatus.storeUnavailable : ExitStatus.badInput
        case is CocoaError: return ExitStatus.badInput   // a file that cannot be read or written
        default: return ExitStatus.internalError
        }
    }

    /// The exit status of a store error: 5 when it cannot be written here, 6 when it went away
    /// while in use, 70 for a lease lost at the top (a bug), 2 for the rest (no such store, run or
    /// sweep; not an mcpo store; a newer schema; a damaged store; a changed sweep file).
    public static func status(for error: StoreError) -> Int32 {
        switch error {
        case .notWritable, .unavailable: return ExitStatus.storeUnavailable
        case .storeGone, .logGone: return ExitStatus.storeGone
        case .leaseLost, .runNotClaimable: return ExitStatus.internalError
        default: return ExitStatus.badInput
        }
    }

    /// The one-line message of an error that reached the top of a command.
    public static func message(for error: Error) -> String {
        switch error {
        case let failure as CLIFailure: return failure.message
        case let store as StoreError: return "\(store)"
        case _ where Store.isDatabaseError(error):
            return Store.isUnavailable(error)
                ? "the store cannot be used now (\(Store.reason(error))); nothing was changed, try again later"
                : "the store cannot be used (\(Store.reason(error)))"
        case let cocoa as CocoaError: return (cocoa as NSError).localizedDescription
        default: return "internal error: \(error) (a bug: please report it with the command line)"
        }
    }

    // MARK: - Running a tool

    /// Parses the command line of `Root`, runs the command and exits: 0, or one error line and
    /// the status of the table. Help, `--version` and completion scripts print as ArgumentParser
    /// prints them (exit 0).
    public static func main<Root: ParsableCommand>(_ root: Root.Type, tool: String, arguments: [String]? = nil,
                                                 accepting: (String) -> Bool = { _ in false },
                                                 otherNames: (label: String, names: [String])? = nil) -> Never {
        let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
        var command = parse(root, tool: tool, arguments: arguments, accepting: accepting, otherNames: otherNames)
        do {
            try injectedFault()
            try command.run()
        } catch {
            exitForRunError(error, root: root, tool: tool, arguments: arguments)
        }
        Foundation.exit(ExitStatus.success)
    }

    /// The parsed command, or one error line and the exit (an unknown command, a refused option).
    static func parse<Root: ParsableCommand>(_ root: Root.Type, tool: String, arguments: [String], accepting: (String) -> Bool,
                                           otherNames: (label: String, names: [String])?) -> ParsableCommand {
        refuseUnknownCommand(root, tool: tool, arguments: arguments, accepting: accepting, otherNames: otherNames)
        do {
            return try root.parseAsRoot(arguments)
        } catch {
            exitForParseError(error, root: root, tool: tool, arguments: arguments)
        }
    }

    /// `main` for a root whose commands may be asynchronous.
    public static func main<Root: AsyncParsableCommand>(_ root: Root.Type, tool: String, arguments: [String]? = nil,
                                                      accepting: (String) -> Bool = { _ in false }) async -> Never {
        let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
        var command = parse(root, tool: tool, arguments: arguments, accepting: accepting, otherNames: nil)
        do {
            try injectedFault()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exitForRunError(error, root: root, tool: tool, arguments: arguments)
        }
        Foundation.exit(ExitStatus.success)
    }

    /// Fault injection for the contract's tests: with `MCPO_FAULT_UNEXPECTED_ERROR` set, a parsed
    /// command throws an error no tool expects instead of running (exit 70, one line).
    static func injectedFault() throws {
        if ProcessInfo.processInfo.environment["MCPO_FAULT_UNEXPECTED_ERROR"] != nil { throw InjectedFault() }
    }

    struct InjectedFault: Error, CustomStringConvertible {
        var description: String { "a fault injected by MCPO_FAULT_UNEXPECTED_ERROR" }
    }

    /// A failure while parsing (including what a `validate()` threw).
    static func exitForParseError<Root: ParsableCommand>(_ error: Error, root: Root.Type, tool: String, arguments: [String]) -> Never {
        let code = root.exitCode(for: error)
        if code == .success { root.exit(withError: error) }   // --help, --version, completion scripts
        let message = root.message(for: error)
        // An ExitCode thrown by a validate() arrives wrapped, its line already printed.
        if message.isEmpty { Foundation.exit(code.rawValue) }
        if code == .validationFailure {
            fail(tool: tool, code: ExitStatus.usage, message: usageMessage(message, root: root, arguments: arguments))
        }
        // Anything else a validate() threw: ArgumentParser only has its text.
        fail(tool: tool, code: ExitStatus.internalError, message: "internal error: \(message)")
    }

    /// A failure of a command's `run()`.
    static func exitForRunError<Root: ParsableCommand>(_ error: Error, root: Root.Type, tool: String, arguments: [String]) -> Never {
        switch error {
        case let code as ExitCode:
            Foundation.exit(code.rawValue)   // its line already printed
        case is CleanExit:
            root.exit(withError: error)
        case let validation as ValidationError:
            fail(tool: tool, code: ExitStatus.usage, message: usageMessage(validation.message, root: root, arguments: arguments))
        default:
            let code = status(for: error)
            if code == ExitStatus.internalError {
                // ArgumentParser's own: `--help` and `help COMMAND` run a command that throws the help.
                let parsed = root.exitCode(for: error)
                if parsed == .success { root.exit(withError: error) }
                if parsed == .validationFailure {
                    fail(tool: tool, code: ExitStatus.usage, message: usageMessage(root.message(for: error), root: root, arguments: arguments))
                }
            }
            fail(tool: tool, code: code, message: message(for: error))
        }
    }

    // MARK: - Unknown commands

    /// `TOOL rn …` when `rn` is no command: one line naming the commands, with a did-you-mean,
    /// exit 64. `accepting` admits other first arguments (mcpo-bench's method names, which
    /// select its default command); `otherNames` lists them in the line.
    public static func refuseUnknownCommand<Root: ParsableCommand>(_ root: Root.Type, tool: String, arguments: [String],
                                                                 accepting: (String) -> Bool = { _ in false },
                                                                 otherNames: (label: String, names: [String])? = nil) {
        let subcommands = root.configuration.subcommands
        guard !subcommands.isEmpty, let first = arguments.first, !first.hasPrefix("-") else { return }
        let names = subcommands.map(commandName) + ["help"]
        guard !names.contains(first), !accepting(first) else { return }
        let shown = subcommands.filter { $0.configuration.shouldDisplay }.map(commandName)
        var line = "unknown command '\(first)' (commands: \(shown.joined(separator: ", "))"
        if let otherNames { line += "; \(otherNames.label): \(otherNames.names.joined(separator: ", "))" }
        line += ")" + Suggestion.clause(for: first, among: shown + (otherNames?.names ?? []))
        fail(tool: tool, code: ExitStatus.usage, message: line)
    }

    static func commandName(_ type: ParsableCommand.Type) -> String {
        type.configuration.commandName ?? kebab(String(describing: type))
    }

    // MARK: - Usage messages

    /// ArgumentParser's message for a command line it refused, in the tools' words: a value not
    /// among an option's choices becomes `--format: expected one of term, md, latex, csv, json,
    /// found 'jsn'; did you mean 'json'?`; a value of the wrong type `--workers: expected an
    /// integer, found 'zero'`; the rest is its message, with where to find help.
    public static func usageMessage(_ message: String, root: ParsableCommand.Type, arguments: [String]) -> String {
        let stack = commandStack(root, arguments)
        if let value = invalidValueMessage(message, command: stack.last ?? root) { return value }
        var text = oneLine(message)
        if text.hasSuffix(".") { text.removeLast() }
        text = text.replacingOccurrences(of: ". Did you mean", with: "; did you mean")
        if let first = text.first, first.isUppercase, !text.hasPrefix("--") {
            text = first.lowercased() + text.dropFirst()
        }
        let names = stack.map(commandName)
        return text + " (see '\(names.joined(separator: " ")) --help')"
    }

    /// The commands `arguments` select, root first (the default subcommand when none is named).
    public static func commandStack(_ root: ParsableCommand.Type, _ arguments: [String]) -> [ParsableCommand.Type] {
        var stack: [ParsableCommand.Type] = [root]
        for argument in arguments where !argument.hasPrefix("-") {
            guard let next = stack.last!.configuration.subcommands.first(where: { commandName($0) == argument }) else { break }
            stack.append(next)
        }
        if stack.count == 1, let fallback = root.configuration.defaultSubcommand { stack.append(fallback) }
        return stack
    }

    /// The rewrite of ArgumentParser's "The value 'v' is invalid for '--opt <name>'…"; nil for
    /// another message.
    static func invalidValueMessage(_ message: String, command: ParsableCommand.Type) -> String? {
        let opening = "The value '", middle = "' is invalid for '"
        guard message.hasPrefix(opening), let split = message.range(of: middle, options: .backwards) else { return nil }
        let value = String(message[message.index(message.startIndex, offsetBy: opening.count)..<split.lowerBound])
        let tail = message[split.upperBound...]
        guard let close = tail.firstIndex(of: "'") else { return nil }
        let argument = String(tail[..<close])   // "--format <format>" or "<run-id>"
        let rest = String(tail[tail.index(after: close)...])
        let shown = argument.split(separator: " ").first.map(String.init) ?? argument
        let valueName = argument.split(separator: "<").last.map { String($0.dropLast($0.hasSuffix(">") ? 1 : 0)) } ?? ""
        let candidates = choices(in: rest)
        if !candidates.isEmpty {
            return "\(shown): expected one of \(candidates.joined(separator: ", ")), found '\(value)'"
                + Suggestion.clause(for: value, among: candidates)
        }
        if rest.hasPrefix(": ") {
            return "\(shown): \(oneLine(String(rest.dropFirst(2)))) (found '\(value)')"
        }
        if let kind = expectedKind(valueName: valueName, in: command) {
            return "\(shown): expected \(kind), found '\(value)'"
        }
        return "\(shown): invalid value '\(value)'"
    }

    /// The values listed after "Please provide one of" (quoted, or one per "  - " line).
    static func choices(in rest: String) -> [String] {
        if rest.contains("Please provide one of the following:") {
            return rest.split(separator: "\n").compactMap { line in
                let t = line.trimmingCharacters(in: .whitespaces)
                return t.hasPrefix("- ") ? String(t.dropFirst(2)) : nil
            }
        }
        guard let range = rest.range(of: "Please provide one of ") else { return [] }
        let parts = rest[range.upperBound...].split(separator: "'", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count, by: 2).map { String(parts[$0]) }
    }

    /// "an integer", "a number" … for the option or argument whose value name is `valueName`
    /// (its property's name in kebab case, as ArgumentParser derives it), found by reflection.
    static func expectedKind(valueName: String, in command: ParsableArguments.Type) -> String? {
        guard let typeName = valueTypeName(valueName: valueName, in: command) else { return nil }
        var name = typeName
        for wrapper in ["Optional<", "Array<"] where name.hasPrefix(wrapper) && name.hasSuffix(">") {
            name = String(name.dropFirst(wrapper.count).dropLast())
        }
        switch name {
        case "Int", "Int8", "Int16", "Int32", "Int64": return "an integer"
        case "UInt", "UInt8", "UInt16", "UInt32", "UInt64": return "a whole number ≥ 0"
        case "Double", "Float": return "a number"
        case "Bool": return "true or false"
        default: return nil
        }
    }

    static func valueTypeName(valueName: String, in container: ParsableArguments.Type) -> String? {
        for child in Mirror(reflecting: container.init()).children {
            guard let label = child.label else { continue }
            let property = label.hasPrefix("_") ? String(label.dropFirst()) : label
            if let group = child.value as? any GroupWrapper {
                if let found = valueTypeName(valueName: valueName, in: type(of: group).groupType) { return found }
            } else if let typed = child.value as? any TypedWrapper, kebab(property) == valueName {
                return type(of: typed).valueTypeName
            }
        }
        return nil
    }

    /// "checkpointSeconds" → "checkpoint-seconds", "runID" → "run-id" (ArgumentParser's rule).
    static func kebab(_ name: String) -> String {
        let characters = Array(name)
        var out = ""
        for (i, c) in characters.enumerated() {
            if c.isUppercase, i > 0 {
                let previous = characters[i - 1]
                let nextIsLower = i + 1 < characters.count && characters[i + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { out += "-" }
            }
            out += c.lowercased()
        }
        return out
    }
}

/// An `@Option` or `@Argument`, for the type of its value.
protocol TypedWrapper { static var valueTypeName: String { get } }
extension Option: TypedWrapper { static var valueTypeName: String { String(describing: Value.self) } }
extension Argument: TypedWrapper { static var valueTypeName: String { String(describing: Value.self) } }

/// An `@OptionGroup`, for its options.
protocol GroupWrapper { static var groupType: ParsableArguments.Type { get } }
extension OptionGroup: GroupWrapper { static var groupType: ParsableArguments.Type { Value.self } }
