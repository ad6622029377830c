import Environments
import ExperimentStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Trainer
import Yams

/// Reads a sweep file (format: `sweeps/README.md`) into a validated `SweepSpec`. Every problem
/// is a `SweepFileError` naming the file, line and column (from Yams' node marks), the key, what
/// was expected and what was found. Nothing here touches a store.
public enum SweepParser {
    public static let topLevelKeys = ["name", "seeds", "defaults", "envs", "methods"]
    /// The largest sweep file read (1 MiB; the paper's whole grid is under 1 KB).
    public static let maxFileBytes = 1 << 20

    /// Parses the file at `path`.
    public static func parse(contentsOf path: String, environments: [String] = EnvironmentCatalog.names,
                             machineMemory: Int = TrainingLimits.machineMemory) throws -> SweepSpec {
        var info = stat()
        guard stat(path, &info) == 0 else {  // follows symbolic links
            let dangling = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
            throw SweepFileError(file: path, line: nil, column: nil,
                                 message: dangling ? "is a symbolic link to nothing, not a sweep file" : "no such sweep file")
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            let what = kind == S_IFDIR ? "a directory" : kind == S_IFCHR ? "a character device"
                : kind == S_IFBLK ? "a block device" : kind == S_IFSOCK ? "a socket" : kind == S_IFIFO ? "a pipe" : "a special file"
            throw SweepFileError(file: path, line: nil, column: nil, message: "is \(what), not a sweep file (expected a regular file)")
        }
        if Int(info.st_size) > maxFileBytes {
            throw SweepFileError(file: path, line: nil, column: nil,
                                 message: "the sweep file has \(info.st_size) bytes; expected at most \(maxFileBytes)")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw SweepFileError(file: path, line: nil, column: nil, message: "cannot read the sweep file (permission denied)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SweepFileError(file: path, line: nil, column: nil, message: "cannot read the sweep file")
        }
        guard data.count <= maxFileBytes else {  // it grew while being read
            throw SweepFileError(file: path, line: nil, column: nil,
                                 message: "the sweep file has \(data.count) bytes; expected at most \(maxFileBytes)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SweepFileError(file: path, line: nil, column: nil, message: "the sweep file is not UTF-8 text")
        }
        return try parse(yaml: text, file: path, environments: environments, machineMemory: machineMemory)
    }

    /// Parses sweep YAML; `file` names it in errors. `environments` are the valid names (the
    /// catalog's by default); methods are `MethodCatalog`'s, each value checked by the method's
    /// own initialiser. Every run must fit in `machineMemory` bytes (its estimate).
    public static func parse(yaml: String, file: String = "<sweep>", environments: [String] = EnvironmentCatalog.names,
                             machineMemory: Int = TrainingLimits.machineMemory) throws -> SweepSpec {
        let reader = Reader(file: file, environments: environments, machineMemory: machineMemory)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw reader.yamlError(error, yaml: yaml)
        }
        guard let root else {
            throw SweepFileError(file: file, line: 1, column: 1, message:
                "expected a mapping with keys \(topLevelKeys.joined(separator: ", ")), found an empty document")
        }
        return try reader.spec(root)
    }

    /// A close match for a misspelt `input` among `candidates`, if any (`Suggestion.closest`).
    public static func suggestion(for input: String, among candidates: [String]) -> String? {
        Suggestion.closest(to: input, among: candidates)
    }
}

/// The parser's state: where errors point and what is valid.
private struct Reader {
    let file: String
    let environments: [String]
    let machineMemory: Int
    var methods: [MethodInfo] { MethodCatalog.all }

    // MARK: errors

    func error(at node: Node?, _ message: String) -> SweepFileError {
        let mark = node?.mark
        return SweepFileError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
    }

    func expected(_ node: Node?, key: String, _ expected: String, found: String? = nil) -> SweepFileError {
        error(at: node, "key '\(key)': expected \(expected), found \(found ?? node.map(describe) ?? "nothing")")
    }

    func unknownKey(_ keyNode: Node, key: String, path: String, valid: [String], what: String) -> SweepFileError {
        var message = "key '\(path)': expected \(what) (\(valid.joined(separator: ", "))), found '\(key)'"
        message += Suggestion.clause(for: key, among: valid)
        return error(at: keyNode, message)
    }

    func yamlError(_ error: Error, yaml: String) -> SweepFileError {
        func located(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> SweepFileError {
            var message = "malformed YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return SweepFileError(file: file, line: mark.line, column: mark.column, message: message)
        }
        guard let yamlError = error as? YamlError else {
            return SweepFileError(file: file, line: 1, column: 1, message: "malformed YAML: \(error)")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return located(mark, problem, context)
        case let .reader(problem, offset, _, text):
            var line = 1, column = 1
            for ch in text.prefix(offset ?? 0) {
                if ch.isNewline { line += 1; column = 1 } else { column += 1 }
            }
            return SweepFileError(file: file, line: line, column: column, message: "malformed YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let first = context.mark
            let (line, column) = Reader.nextOccurrence(of: key, after: first, in: yaml) ?? (first.line, first.column)
            return SweepFileError(file: file, line: line, column: column, message:
                "key '\(key)': expected each key once in a mapping, found it again (first at line \(first.line), column \(first.column))")
        default:
            return SweepFileError(file: file, line: 1, column: 1, message: "malformed YAML: \(yamlError)")
        }
    }

    /// Where `key` appears as a mapping key again after `mark` (1-based line and column), if it does.
    static func nextOccurrence(of key: String, after mark: Mark, in yaml: String) -> (Int, Int)? {
        let lines = yaml.components(separatedBy: "\n")
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let pattern = "(^|[\\s{,])(" + NSRegularExpression.escapedPattern(for: key) + ")\\s*:"
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        for index in (mark.line - 1)..<lines.count {
            let text = lines[index]
            // Skip the first occurrence itself (on its line, search after its column).
            let skip = index == mark.line - 1 ? mark.column : 0
            let scalars = Array(text.unicodeScalars)
            guard skip <= scalars.count else { continue }
            let rest = String(String.UnicodeScalarView(scalars[skip...]))
            let range = NSRange(rest.startIndex..., in: rest)
            if let match = regex.firstMatch(in: rest, range: range), let keyRange = Range(match.range(at: 2), in: rest) {
                return (index + 1, skip + rest.unicodeScalars.distance(from: rest.unicodeScalars.startIndex,
                                                                      to: keyRange.lowerBound) + 1)
            }
        }
        return nil
    }

    /// How an error names what it found.
    func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar):
            switch node.tag.description {
            case Tag.Name.null.rawValue: return "nothing (null)"
            case Tag.Name.str.rawValue: return scalar.string.isEmpty ? "an empty string" : "the string '\(scalar.string)'"
            default: return scalar.string
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    // MARK: typed values

    func isNull(_ node: Node) -> Bool {
        if case .scalar = node { return node.tag.description == Tag.Name.null.rawValue }
        return false
    }

    /// The (key text, key node, value node) pairs of a mapping, or an error naming `expected`.
    func pairs(_ node: Node, key: String, _ expected: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case let .mapping(mapping) = node else { throw self.expected(node, key: key, expected) }
        return mapping.map { (key: $0.key.scalar?.string ?? describe($0.key), keyNode: $0.key, value: $0.value) }
    }

    /// A finite number (integer or real), or nil when the node is not one.
    func number(_ node: Node) -> Double? {
        guard case .scalar = node else { return nil }
        let tag = node.tag.description
        guard tag == Tag.Name.int.rawValue || tag == Tag.Name.float.rawValue else { return nil }
        if tag == Tag.Name.int.rawValue, let i = node.int { return Double(i) }
        return node.float
    }

    /// An integer in [`minimum`, `maximum`] (an integral real such as 1e6 counts).
    func integer(_ node: Node, key: String, minimum: Int, maximum: Int = Int.max, _ expected: String) throws -> Int {
        if case .scalar = node, node.tag.description == Tag.Name.int.rawValue, let i = node.int {
            guard i >= minimum, i <= maximum else { throw self.expected(node, key: key, expected) }
            return i
        }
        guard let x = number(node), x.isFinite, x == x.rounded(), abs(x) < 0x1p53 else {
            throw self.expected(node, key: key, expected)
        }
        guard Int(x) >= minimum, Int(x) <= maximum else { throw self.expected(node, key: key, expected) }
        return Int(x)
    }

    func setting(_ node: Node, field: ConfigField, key: String) throws -> SettingValue {
        switch field.kind {
        case let .count(max):
            let least = TrainingLimits.minimum(field.key)
            return .integer(try integer(node, key: key, minimum: least, maximum: max, "an integer in [\(least), \(max)]"))
        case let .real(expected, valid):
            guard let x = number(node), x.isFinite, valid(x) else { throw self.expected(node, key: key, expected) }
            return .real(x)
        case .flag:
            guard case .scalar = node, node.tag.description == Tag.Name.bool.rawValue, let b = node.bool else {
                throw self.expected(node, key: key, "true or false")
            }
            return .flag(b)
        case let .choice(words):
            guard case let .scalar(scalar) = node, words.contains(scalar.string) else {
                throw self.expected(node, key: key, "one of \(words.joined(separator: ", "))")
            }
            return .text(scalar.string)
        }
    }

    /// A mapping of `ConfigField` settings (defaults, or an environment's or a method's
    /// overrides): each a value or a non-empty list of distinct values (a grid axis).
    func settings(_ node: Node, key: String, what: String) throws -> [String: SettingValues] {
        if isNull(node) { return [:] }
        var out: [String: SettingValues] = [:]
        for (k, keyNode, value) in try pairs(node, key: key, "a mapping of \(what)") {
            guard let field = ConfigField.named(k) else {
                throw unknownKey(keyNode, key: k, path: "\(key).\(k)", valid: ConfigField.keys, what: "one of the settings")
            }
            out[k] = try settingValues(value, field: field, key: "\(key).\(k)")
        }
        return out
    }

    /// One setting's value or its non-empty list of distinct values.
    func settingValues(_ node: Node, field: ConfigField, key: String) throws -> SettingValues {
        guard case .sequence(let list) = node else { return SettingValues(try setting(node, field: field, key: key)) }
        guard !list.isEmpty else {
            throw expected(node, key: key, "a value or a non-empty list of values (a grid axis)", found: "an empty list")
        }
        var values: [SettingValue] = []
        for item in list {
            if case .sequence = item { throw expected(item, key: key, "a single value in the list", found: "a list") }
            let value = try setting(item, field: field, key: key)
            guard !values.contains(value) else { throw expected(item, key: key, "distinct values", found: "\(describe(item)) twice") }
            values.append(value)
        }
        return SettingValues(values)
    }

    // MARK: sections

    func spec(_ root: Node) throws -> SweepSpec {
        guard case .mapping = root else {
            throw error(at: root, "expected a mapping with keys \(SweepParser.topLevelKeys.joined(separator: ", ")), found \(describe(root))")
        }
        let rootPairs = try pairs(root, key: "(top level)", "a mapping")
        var name: String?
        var seeds: [UInt64]?
        var defaults: [String: SettingValues] = [:]
        var envs: [(entry: SweepSpec.EnvEntry, keyNode: Node)]?
        var methodEntries: [SweepSpec.MethodEntry]?
        for (key, keyNode, value) in rootPairs {
            switch key {
            case "name": name = try sweepName(value)
            case "seeds": seeds = try seedList(value)
            case "defaults": defaults = try settings(value, key: "defaults", what: "training settings")
            case "envs": envs = try envList(value)
            case "methods": methodEntries = try methodList(value)
            default:
                throw unknownKey(keyNode, key: key, path: key, valid: SweepParser.topLevelKeys, what: "a top-level key")
            }
        }
        guard let name else { throw expected(root, key: "name", "the sweep's name", found: "nothing") }
        guard let seeds else {
            throw expected(root, key: "seeds", "a number of seeds or a list of seeds", found: "nothing")
        }
        guard let envs else { throw expected(root, key: "envs", "a mapping of environments", found: "nothing") }
        guard let methodEntries else { throw expected(root, key: "methods", "a mapping of methods", found: "nothing") }
        for (entry, keyNode) in envs {
            for method in methodEntries {
                if let key = method.settings.keys.sorted().first(where: { entry.settings[$0] != nil }) {
                    throw expected(keyNode, key: "envs.\(entry.name).\(key)",
                                   "each setting either under a method or under an environment",
                                   found: "it under methods.\(method.name) too; set it in one place")
                }
                if entry.settings["steps"] == nil && defaults["steps"] == nil && method.settings["steps"] == nil {
                    throw expected(keyNode, key: "envs.\(entry.name).steps",
                                   "a positive integer step budget (here, under defaults or under the method)", found: "nothing")
                }
            }
        }
        let spec = SweepSpec(name: name, seeds: seeds, defaults: defaults, envs: envs.map(\.entry), methods: methodEntries)
        try checkSize(spec, root: root, envNodes: Dictionary(uniqueKeysWithValues: envs.map { ($0.entry.name, $0.keyNode) }))
        return spec
    }

    /// The grid's size (overflow-checked, before anything is expanded) and every run's limits and
    /// estimated memory (`TrainingConfig.checkLimits`, `estimatedMemory`), each reported at its
    /// environment's key.
    func checkSize(_ spec: SweepSpec, root: Node, envNodes: [String: Node]) throws {
        // Saturating: a product past Int.max only has to be "too many".
        func times(_ a: Int, _ b: Int) -> Int { let (p, o) = a.multipliedReportingOverflow(by: b); return o ? .max : p }
        func plus(_ a: Int, _ b: Int) -> Int { let (p, o) = a.addingReportingOverflow(b); return o ? .max : p }
        let combinations = spec.methods.reduce(0) { sum, method in
            let params = method.params.values.reduce(1) { times($0, $1.count) }
            return spec.envs.reduce(sum) { sum, env in
                plus(sum, times(params, spec.settings(method: method, env: env).values.reduce(1) { times($0, $1.values.count) }))
            }
        }
        let runs = times(combinations, spec.seeds.count)
        guard runs <= SweepLimits.runs else {
            throw error(at: root, "the sweep expands to \(spec.seeds.count) seeds × "
                + "\(combinations == .max ? "more than \(Int.max)" : "\(combinations)") combinations of method, environment and settings"
                + "\(runs == .max ? "" : " = \(runs)") runs; expected at most \(SweepLimits.runs) (split it into several sweeps)")
        }
        var checked = Set<TrainingConfig>()
        var hashes = Set<String>()
        for run in spec.expand() {
            guard hashes.insert(run.configHash).inserted else {
                throw error(at: envNodes[run.config.env], "key 'envs.\(run.config.env)': expected every grid point to be a "
                    + "different run, found two with the same config (\(run.config.method), seed \(run.config.seed))")
            }
            var config = run.config
            config.seed = 0  // the seed changes no size
            guard checked.insert(config).inserted else { continue }
            let node = envNodes[config.env]
            let bytes: Int
            do {
                bytes = try config.estimatedMemory()
            } catch let error as TrainerError {
                throw self.error(at: node, "key 'envs.\(config.env)': \(run.config.method): \(error.reason)")
            }
            guard bytes <= machineMemory else {
                throw self.error(at: node, "key 'envs.\(config.env)': a \(run.config.method) run needs an estimated "
                    + "\(Reader.gigabytes(bytes)), more than this machine's \(Reader.gigabytes(machineMemory)) of memory")
            }
        }
    }

    static func gigabytes(_ bytes: Int) -> String { String(format: "%.1f GB", Double(bytes) / 1e9) }

    func sweepName(_ node: Node) throws -> String {
        guard case let .scalar(scalar) = node, !isNull(node) else {
            throw expected(node, key: "name", "a non-empty one-line name")
        }
        if let (expectation, found) = SweepName.problem(scalar.string) {
            throw expected(node, key: "name", expectation, found: found)
        }
        return scalar.string
    }

    func seedList(_ node: Node) throws -> [UInt64] {
        let expectation = "a positive number of seeds or a list of distinct non-negative integers"
        if case .sequence(let list) = node {
            guard !list.isEmpty else { throw expected(node, key: "seeds", expectation, found: "an empty list") }
            guard list.count <= SweepLimits.runs else {
                throw expected(node, key: "seeds", "at most \(SweepLimits.runs) seeds", found: "\(list.count)")
            }
            var seen = Set<Int>()
            return try list.map { item in
                let seed = try integer(item, key: "seeds", minimum: 0, "a non-negative integer seed")
                guard seen.insert(seed).inserted else {
                    throw expected(item, key: "seeds", "distinct seeds", found: "\(seed) twice")
                }
                return UInt64(seed)
            }
        }
        let n = try integer(node, key: "seeds", minimum: 1, maximum: SweepLimits.runs,
                            "a number of seeds in [1, \(SweepLimits.runs)] or a list of distinct non-negative integers")
        return (0..<n).map(UInt64.init)
    }

    func envList(_ node: Node) throws -> [(entry: SweepSpec.EnvEntry, keyNode: Node)] {
        let items = try pairs(node, key: "envs", "a mapping of environments to their settings")
        guard !items.isEmpty else { throw expected(node, key: "envs", "at least one environment", found: "none") }
        return try items.map { key, keyNode, value in
            guard environments.contains(key) else {
                throw unknownKey(keyNode, key: key, path: "envs.\(key)", valid: environments, what: "an environment")
            }
            return (SweepSpec.EnvEntry(name: key, settings: try settings(value, key: "envs.\(key)", what: "settings")), keyNode)
        }
    }

    func methodList(_ node: Node) throws -> [SweepSpec.MethodEntry] {
        let items = try pairs(node, key: "methods", "a mapping of methods to their hyperparameters")
        guard !items.isEmpty else { throw expected(node, key: "methods", "at least one method", found: "none") }
        var seen: [String: String] = [:]
        return try items.flatMap { key, keyNode, value -> [SweepSpec.MethodEntry] in
            guard let info = methods.first(where: { $0.name.lowercased() == key.lowercased() }) else {
                throw unknownKey(keyNode, key: key, path: "methods.\(key)", valid: methods.map(\.name), what: "a method")
            }
            if let earlier = seen[info.name] {
                throw expected(keyNode, key: "methods.\(key)", "each method once", found: "\(info.name) again (as '\(earlier)' before)")
            }
            seen[info.name] = key
            // A list of blocks: the method's runs are the union of their grids.
            if case .sequence(let blocks) = value {
                guard !blocks.isEmpty else {
                    throw expected(value, key: "methods.\(key)", "a mapping of \(info.name)'s hyperparameters or a non-empty list of them", found: "an empty list")
                }
                return try blocks.enumerated().map { i, block in
                    guard case .mapping = block else {
                        throw expected(block, key: "methods.\(key)[\(i)]", "a mapping of \(info.name)'s hyperparameters")
                    }
                    let (params, settings) = try methodParams(block, info: info, key: "methods.\(key)[\(i)]")
                    return SweepSpec.MethodEntry(name: info.name, params: params, settings: settings)
                }
            }
            let (params, settings) = try methodParams(value, info: info, key: "methods.\(key)")
            return [SweepSpec.MethodEntry(name: info.name, params: params, settings: settings)]
        }
    }

    /// A method's block: each hyperparameter a value or a non-empty list of distinct values (a
    /// grid axis). Every number and option is checked by building the method from it
    /// (`MethodCatalog.validate`, the method's initialiser, as the trainer builds it); the
    /// catalog entry only supplies the keys and the wording of the expectation.
    /// Training settings (`ConfigField` keys) may be given here too, for this method's runs only.
    func methodParams(_ node: Node, info: MethodInfo, key: String) throws -> ([String: [AxisValue]], [String: SettingValues]) {
        if isNull(node) { return ([:], [:]) }
        let valid = info.defaults.keys.sorted { ($0 == info.signature ? "" : $0) < ($1 == info.signature ? "" : $1) }
            + info.choices.keys.sorted()
        var params: [String: [AxisValue]] = [:]
        var settings: [String: SettingValues] = [:]
        for (k, keyNode, value) in try pairs(node, key: key, "a mapping of \(info.name)'s hyperparameters") {
            let path = "\(key).\(k)"
            if let field = ConfigField.named(k) {
                settings[k] = try settingValues(value, field: field, key: path)
                continue
            }
            let item: (Node) throws -> AxisValue
            let expectation: String
            if info.defaults[k] != nil {
                expectation = info.rule(for: k).expectation + " or a non-empty list of them"
                item = { node in
                    guard let x = self.number(node) else { throw self.expected(node, key: path, expectation) }
                    do {
                        try MethodCatalog.validate(method: info.name, MethodParameters([k: x]))
                    } catch let TrainerError.invalidParameter(_, _, expected, _) {
                        throw self.expected(node, key: path, expected + " or a non-empty list of them")
                    } catch {
                        throw self.error(at: node, "key '\(path)': \(error)")
                    }
                    return .number(x)
                }
            } else if let choices = info.choices[k] {
                expectation = "one of \(choices.joined(separator: ", ")) or a non-empty list of them"
                item = { node in
                    guard case let .scalar(scalar) = node,
                          (try? MethodCatalog.validate(method: info.name, MethodParameters(choices: [k: scalar.string]))) != nil
                    else {
                        var found = self.describe(node)
                        if case let .scalar(scalar) = node {
                            found = "'\(scalar.string)'"
                            if let guess = SweepParser.suggestion(for: scalar.string, among: choices) {
                                found += "; did you mean '\(guess)'?"
                            }
                        }
                        throw self.expected(node, key: path, expectation, found: found)
                    }
                    return .choice(scalar.string)
                }
            } else {
                var message = "key '\(path)': expected a hyperparameter of \(info.name) (\(valid.joined(separator: ", "))) "
                    + "or a training setting (sweeps/README.md), found '\(k)'"
                message += Suggestion.clause(for: k, among: valid + ConfigField.keys)
                throw error(at: keyNode, message)
            }
            if case .sequence(let list) = value {
                guard !list.isEmpty else { throw expected(value, key: path, expectation, found: "an empty list") }
                var values: [AxisValue] = []
                for node in list {
                    let x = try item(node)
                    guard !values.contains(x) else {
                        throw expected(node, key: path, "distinct values", found: "\(describe(node)) twice")
                    }
                    values.append(x)
                }
                params[k] = values
            } else {
                params[k] = [try item(value)]
            }
        }
        return (params, settings)
    }
}
