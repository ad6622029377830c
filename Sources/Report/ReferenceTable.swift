import Foundation

/// Published figures to show beside the measured cells (`--reference FILE.csv`).
///
/// Format (documented in `reference/README.md`): UTF-8 CSV, a header line naming at least the
/// columns `method,param,value,env,steps,mean,std,n` (any order, extra columns ignored), then
/// one line per cell. No quoting; blank lines are ignored. `value`, `mean`, `std` are decimal
/// numbers, `steps` and `n` integers. A (method, param, value, env) may appear once.
/// Matching with the store: method case-insensitive, param and env exactly, value numerically.
public struct ReferenceTable: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var method: String
        /// nil in a table without `param`/`value` columns (one figure per method, as Table 2).
        public var param: String?
        public var value: Double?
        public var env: String
        public var steps: Int
        public var mean: Double
        public var std: Double
        public var n: Int
    }

    public static let requiredColumns = ["method", "param", "value", "env", "steps", "mean", "std", "n"]
    /// Columns a table of one figure per method (Table 2) may leave out, both together.
    static let optionalColumns = ["param", "value"]

    public var source: String
    public var entries: [Entry]

    /// Reads and parses `path`; errors name the file and the line.
    public init(contentsOf path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReportError.cannotReadReference(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw ReportError.cannotReadReference(path: path, reason: "is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError.cannotReadReference(path: path, reason: "cannot be read (permissions?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReportError.badReference(path: path, line: 1, message: "not UTF-8 text")
        }
        try self.init(csv: text, source: path)
    }

    public init(csv text: String, source: String) throws {
        self.source = source
        func fail(_ line: Int, _ message: String) -> ReportError {
            .badReference(path: source, line: line, message: message)
        }
        // "\r\n" is one Character in Swift: split on both forms of line end.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        var lineNumber = 0
        var header: [String: Int]? = nil
        var width = 0
        var seen: [String: Int] = [:]
        var entries: [Entry] = []
        for raw in lines {
            lineNumber += 1
            var line = Substring(raw)
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard let columns = header else {
                var index: [String: Int] = [:]
                for (i, name) in fields.enumerated() where index[name] == nil { index[name] = i }
                var missing = Self.requiredColumns.filter { index[$0] == nil }
                if missing == Self.optionalColumns { missing = [] }
                guard missing.isEmpty else {
                    throw fail(lineNumber, "header lacks column(s) \(missing.joined(separator: ", ")); expected \(Self.requiredColumns.joined(separator: ","))")
                }
                header = index
                width = fields.count
                continue
            }
            guard fields.count == width else {
                throw fail(lineNumber, "expected \(width) fields, found \(fields.count)")
            }
            func text(_ name: String) throws -> String {
                let v = fields[columns[name]!]
                guard !v.isEmpty else { throw fail(lineNumber, "column '\(name)' is empty") }
                return v
            }
            func number(_ name: String) throws -> Double {
                let v = try text(name)
                guard let x = Double(v), x.isFinite else {
                    throw fail(lineNumber, "column '\(name)': expected a number, found '\(v)'")
                }
                return x
            }
            func integer(_ name: String) throws -> Int {
                let v = try text(name)
                guard let x = Int(v) else {
                    throw fail(lineNumber, "column '\(name)': expected an integer, found '\(v)'")
                }
                return x
            }
            let perMethod = columns["param"] == nil
            let entry = Entry(
                method: try text("method"), param: perMethod ? nil : try text("param"), value: perMethod ? nil : try number("value"),
                env: try text("env"), steps: try integer("steps"), mean: try number("mean"),
                std: try number("std"), n: try integer("n"))
            let key = "\(entry.method.lowercased())|\(entry.param ?? "")|\(entry.value.map { "\($0)" } ?? "")|\(entry.env)"
            if let first = seen[key] {
                let setting = entry.param.map { " \($0)=\(Format.value(entry.value))" } ?? ""
                throw fail(lineNumber, "duplicate of line \(first) (\(entry.method)\(setting) \(entry.env))")
            }
            seen[key] = lineNumber
            entries.append(entry)
        }
        guard header != nil else { throw fail(max(lineNumber, 1), "empty file: expected a header line") }
        self.entries = entries
    }

    /// The published figure for a table cell, if any.
    public func entry(for row: Table1.Row, env: String) -> Entry? {
        guard row.variant == nil else { return nil }
        guard let value = row.value, let param = row.param else {
            // A row of one figure per method (Table 2's best configuration).
            return entries.first { $0.param == nil && $0.method.lowercased() == row.method.lowercased() && $0.env == env }
        }
        return entries.first {
            $0.method.lowercased() == row.method.lowercased() && $0.param == param && $0.env == env
                && $0.value.map { Self.sameValue($0, value) } == true
        }
    }

    static func sameValue(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }
}
