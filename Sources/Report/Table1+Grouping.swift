import ExperimentStore
import Trainer

/// Which keys a table's rows and columns are made of (`mcpo-report table --rows … --columns …`).
public struct TableGrouping: Equatable, Sendable {
    /// Row keys in order; nil: Table 1's rows (method, its signature value, its non-default
    /// options) plus every setting that differs among the runs such a row would pool.
    public var rows: [String]?
    /// Column keys in order (the environment by default).
    public var columns: [String]

    public init(rows: [String]? = nil, columns: [String] = ["env"]) {
        self.rows = rows
        self.columns = columns
    }

    /// `value` names each run's signature hyperparameter (clip for PPO, N for MCPO, …).
    public static let signatureKey = "value"
}

extension Table1 {
    /// Groups scored runs (each with its `facts`) into a table and says, in `warnings`, when a
    /// cell pools runs that differ in a setting the grouping leaves out.
    public static func grouped(
        sweep: String, scores: [RunScore], grouping: TableGrouping = TableGrouping(), reference: ReferenceTable? = nil,
        rule: ScoreRule = .final, statistic: CellStatistic = CellStatistic()
    ) throws -> (table: Table1, warnings: [String]) {
        let known = Set(scores.flatMap { $0.facts?.values.keys.map { $0 } ?? [] }).union([TableGrouping.signatureKey])
        for key in (grouping.rows ?? []) + grouping.columns where !known.contains(key) {
            var message = "no run has a setting '\(key)' to group by (known: \(known.sorted().joined(separator: ", ")))"
            message += Suggestion.clause(for: key, among: known.sorted())
            throw ReportError.badOption(message)
        }
        let columnKeys = grouping.columns
        func column(_ s: RunScore) -> String {
            columnKeys == ["env"] ? s.env : columnKeys.map { "\($0)=\(s.facts?[$0]?.description ?? "–")" }.joined(separator: ", ")
        }
        func columnValues(_ s: RunScore) -> [RunFacts.Value] { columnKeys.map { s.facts?[$0] ?? .text("") } }

        // Rows: Table 1's row plus the extra keys; each row with its ordering values.
        let extrasByMethod = grouping.rows == nil ? differingKeys(scores, columns: columnKeys) : [:]
        let extras = Set(extrasByMethod.values.flatMap { $0 }).sorted()
        var regrouped: [RunScore] = []
        var rowOrderValues: [Row: (base: Row?, values: [RunFacts.Value])] = [:]
        var columnOrderValues: [String: [RunFacts.Value]] = [:]
        for var s in scores {
            let facts = s.facts ?? RunFacts(values: [:])
            let row: Row
            if let keys = grouping.rows {
                let signature = s.row.param
                let takesSignature = keys.contains(TableGrouping.signatureKey) || signature.map(keys.contains) == true
                let parts = keys.filter { $0 != "method" && $0 != TableGrouping.signatureKey && $0 != signature }
                    .compactMap { key in facts[key].map { "\(key)=\($0)" } }
                row = Row(method: keys.contains("method") ? s.row.method : "",
                          param: takesSignature ? s.row.param : nil, value: takesSignature ? s.row.value : nil,
                          variant: parts.isEmpty ? nil : parts.joined(separator: ", "))
                rowOrderValues[row] = (nil, keys.map { key in
                    key == TableGrouping.signatureKey ? s.row.value.map { .number($0) } ?? .text("") : facts[key] ?? .text("")
                })
            } else {
                let mine = extrasByMethod[s.row.method] ?? []
                let parts = mine.compactMap { key in facts[key].map { "\(key)=\($0)" } }
                let variant = ([s.row.variant].compactMap { $0 } + parts).joined(separator: ", ")
                row = Row(method: s.row.method, param: s.row.param, value: s.row.value, variant: variant.isEmpty ? nil : variant)
                rowOrderValues[row] = (s.row, extras.map { mine.contains($0) ? facts[$0] ?? .text("") : .text("") })
            }
            s.row = row
            s.env = column(s)
            columnOrderValues[s.env] = columnValues(s)
            regrouped.append(s)
        }
        let rowOrder = rowOrderValues.keys.sorted { a, b in
            let (x, y) = (rowOrderValues[a]!, rowOrderValues[b]!)
            if let bx = x.base, let by = y.base, bx != by {
                if Ordering.rowPrecedes(bx, by) || Ordering.rowPrecedes(by, bx) { return Ordering.rowPrecedes(bx, by) }
            }
            if let p = valuesPrecede(x.values, y.values, keys: grouping.rows ?? extras) { return p }
            return Ordering.rowPrecedes(a, b)
        }
        let columnOrder = columnKeys == ["env"] ? nil : columnOrderValues.keys.sorted { a, b in
            valuesPrecede(columnOrderValues[a]!, columnOrderValues[b]!, keys: columnKeys) ?? (a < b)
        }
        let table = Table1(sweep: sweep, scores: regrouped, reference: columnKeys == ["env"] ? reference : nil, rule: rule,
                           statistic: statistic, rowOrder: rowOrder, columnOrder: columnOrder)
        return (table, pooledWarnings(regrouped, grouping: grouping, extras: extras))
    }

    /// Keys (not the seed, sweep, method or environment, nor a signature or option already in
    /// Table 1's row, nor a column key) whose value differs between two runs of one Table 1 row
    /// and column: the settings a study varied, per method (a row names only what its own
    /// method's runs differ in).
    static func differingKeys(_ scores: [RunScore], columns: [String]) -> [String: [String]] {
        let found = keysThatDiffer(scores, column: { facts, _ in columns.map { facts[$0]?.description ?? "" }.joined(separator: "\u{1}") }) { s in
            let info = MethodCatalog.method(named: s.row.method)
            return Set(columns).union(RunFacts.notRowKeys).union(info.map { [$0.signature] + $0.choices.keys } ?? [])
        }
        return Dictionary(grouping: found, by: \.method).mapValues { Set($0.map(\.key)).sorted() }
    }

    /// One line naming the settings that differ among the runs of some cell (other than the
    /// seed and the sweep), when the grouping pools them.
    static func pooledWarnings(_ scores: [RunScore], grouping: TableGrouping, extras: [String]) -> [String] {
        let grouped = Set((grouping.rows ?? ["method", TableGrouping.signatureKey]) + grouping.columns + extras)
        let pooled = Set(keysThatDiffer(scores, column: { _, s in s.env }) { s in
            let info = MethodCatalog.method(named: s.row.method)
            var skip = grouped.union(["seed", "sweep"])
            if grouped.contains(TableGrouping.signatureKey), let signature = info?.signature { skip.insert(signature) }
            if grouping.rows == nil { skip.formUnion(info?.choices.keys.map { $0 } ?? []) }
            return skip
        }.map(\.key))
        guard !pooled.isEmpty else { return [] }
        return ["cells pool runs that differ in \(pooled.sorted().joined(separator: ", ")) (add them to --rows or --columns to separate them)"]
    }

    /// The (method, key) pairs where two runs of one cell (the run's row and `column`) have
    /// different values of a key not in `skip`.
    static func keysThatDiffer(_ scores: [RunScore], column: (RunFacts, RunScore) -> String,
                               skip: (RunScore) -> Set<String>) -> [(method: String, key: String)] {
        var firsts: [String: [String: RunFacts.Value]] = [:]   // cell → key → first value seen
        var found: [(method: String, key: String)] = []
        for s in scores {
            guard let facts = s.facts else { continue }
            let cell = "\(s.row.label)\u{1}\(s.row.param ?? "")\u{1}\(s.row.value.map { "\($0)" } ?? "")\u{1}\(column(facts, s))"
            let skipped = skip(s)
            for (key, value) in facts.values where !skipped.contains(key) {
                if let first = firsts[cell]?[key] {
                    if first != value { found.append((s.row.method, key)) }
                } else {
                    firsts[cell, default: [:]][key] = value
                }
            }
        }
        return found
    }

    /// Lexicographic order of two value lists (methods in the paper's order); nil when equal.
    static func valuesPrecede(_ a: [RunFacts.Value], _ b: [RunFacts.Value], keys: [String]) -> Bool? {
        for (i, (x, y)) in zip(a, b).enumerated() where x != y {
            if i < keys.count, keys[i] == "method", case let .text(m) = x, case let .text(n) = y { return Ordering.methodPrecedes(m, n) }
            if i < keys.count, keys[i] == "env", case let .text(m) = x, case let .text(n) = y { return Ordering.envPrecedes(m, n) }
            return RunFacts.Value.precedes(x, y)
        }
        return nil
    }
}
