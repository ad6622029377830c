import CLISupport
import Environments
import ExperimentStore
import Trainer

/// mcpo-bench's checks of what it is given, each refusal one line with its status (docs/cli.md):
/// a method or environment not in the catalog is a usage error (64, with a did-you-mean, as
/// any value outside an option's choices); a `--param` or a value out of range is bad input (2).
enum BenchInput {
    static let tool = "mcpo-bench"

    /// The method named `name` (case-insensitive).
    static func method(_ name: String) throws -> MethodInfo {
        if let info = MethodCatalog.method(named: name) { return info }
        throw CLIFailure.usage("<method>: expected one of \(MethodCatalog.names.joined(separator: ", ")), found '\(name)'"
            + Suggestion.clause(for: name, among: MethodCatalog.names))
    }

    /// `name` if it is an environment id.
    static func environment(_ name: String) throws -> String {
        if EnvironmentCatalog.names.contains(name) { return name }
        throw CLIFailure.usage("--env: expected one of \(EnvironmentCatalog.names.joined(separator: ", ")), found '\(name)'"
            + Suggestion.clause(for: name, among: EnvironmentCatalog.names))
    }

    /// `--param key=value` items into a config of `info`'s method: a key among its options takes
    /// one of their values, a hyperparameter a number its rule admits; any other key is refused
    /// with the method's parameter and option names.
    static func apply(params: [String], to config: inout TrainingConfig, method info: MethodInfo) throws {
        for item in params {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CLIFailure.badInput("--param: expected key=value (e.g. clip=0.1), found '\(item)'")
            }
            let (key, text) = (parts[0], parts[1])
            if let values = info.choices[key] {
                guard values.contains(text) else {
                    throw CLIFailure.badInput("--param \(key): expected one of \(values.joined(separator: ", ")), found '\(text)'"
                        + Suggestion.clause(for: text, among: values))
                }
                config.choices[key] = text
            } else if info.defaults[key] != nil {
                let rule = info.rule(for: key)
                guard let value = Double(text), rule.admits(value) else {
                    throw CLIFailure.badInput("--param \(key): expected \(rule.expectation), found '\(text)'")
                }
                config.params[key] = value
            } else {
                let parameters = info.defaults.keys.sorted(), options = info.choices.keys.sorted()
                throw CLIFailure.badInput("--param \(key): \(info.name) has no parameter '\(key)' (parameters: "
                    + (parameters.isEmpty ? "none" : parameters.joined(separator: ", "))
                    + (options.isEmpty ? "" : "; options: \(options.joined(separator: ", "))") + ")"
                    + Suggestion.clause(for: key, among: parameters + options))
            }
        }
    }

    /// `body`, its refusals of a file (a sweep or dashboard file that does not parse) as bad input.
    static func file<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error where !(error is CLIFailure) && CLI.status(for: error) == ExitStatus.internalError {
            throw CLIFailure.badInput("\(error)")
        }
    }
}
