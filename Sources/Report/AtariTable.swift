import Foundation

/// Tables 11–12 of the paper: per row (method and configuration), the human-normalised score
/// (score − random)/(human − random) × 100 of each game (mean over seeds of each run's score,
/// by default its best evaluation during training: the paper's "best checkpoint"), then the
/// mean and the median over games; with the published figures beside them.
public struct AtariTable: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public var label: String
        public var method: String
        /// Human-normalised score (%) per game, in the table's game order (nil: no run).
        public var perGame: [Double?]
        public var mean: Double
        public var median: Double
        public var reference: ReferenceEntry?
    }

    /// One line of `reference/paper-table11.csv` (`table,method,games,hns_mean,hns_median`).
    public struct ReferenceEntry: Equatable, Sendable {
        public var table: String
        public var method: String
        public var games: Int
        public var mean: Double
        public var median: Double
    }

    public var sweep: String
    public var games: [String]
    public var rows: [Row]
    public var rule: ScoreRule
    /// Rows left out: a game without runs.
    public var skipped: [String]

    public init(table: Table1, reference: [ReferenceEntry] = []) throws {
        if let unknown = table.envs.first(where: { Aggregate.atariReference[$0] == nil }) {
            throw ReportError.badOption("atari: no human/random reference score for '\(unknown)' (known: \(Aggregate.atariReference.keys.sorted().joined(separator: ", ")))")
        }
        sweep = table.sweep
        games = table.envs
        rule = table.rule
        var rows: [Row] = []
        var skipped: [String] = []
        for row in table.rows {
            let per: [Double?] = table.envs.map { game in
                guard let cell = table.cell(row, game) else { return nil }
                let r = Aggregate.atariReference[game]!
                return (cell.mean - r.random) / (r.human - r.random) * 100
            }
            let known = per.compactMap { $0 }
            guard known.count == per.count else { skipped.append(Aggregate.label(row)); continue }
            let ref = reference.first { $0.method.lowercased() == row.method.lowercased() && $0.games == table.envs.count }
            rows.append(Row(label: Aggregate.label(row), method: row.method, perGame: per, mean: Statistics.mean(known) ?? .nan,
                            median: RobustStatistics.median(known) ?? .nan, reference: ref))
        }
        self.rows = rows
        self.skipped = skipped
    }

    /// Reads `table,method,games,hns_mean,hns_median` (any column order, header first).
    public static func reference(contentsOf path: String) throws -> [ReferenceEntry] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ReportError.cannotReadReference(path: path, reason: "no such file or not UTF-8 text")
        }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { throw ReportError.badReference(path: path, line: 1, message: "empty file: expected a header line") }
        let header = lines.removeFirst().replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: ",").map(String.init)
        let needed = ["table", "method", "games", "hns_mean", "hns_median"]
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() { index[name.trimmingCharacters(in: .whitespaces)] = i }
        let missing = needed.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw ReportError.badReference(path: path, line: 1, message: "header lacks column(s) \(missing.joined(separator: ", ")); expected \(needed.joined(separator: ","))")
        }
        return try lines.enumerated().map { i, line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == header.count else {
                throw ReportError.badReference(path: path, line: i + 2, message: "expected \(header.count) fields, found \(f.count)")
            }
            guard let games = Int(f[index["games"]!]), let mean = Double(f[index["hns_mean"]!]), let median = Double(f[index["hns_median"]!]) else {
                throw ReportError.badReference(path: path, line: i + 2, message: "games, hns_mean and hns_median must be numbers")
            }
            return ReferenceEntry(table: f[index["table"]!], method: f[index["method"]!], games: games, mean: mean, median: median)
        }
    }

    public var note: String {
        "Human-normalised score = (score − random)/(human − random) × 100 per game, with docs/experiments.md's random/human scores; "
            + "a game's figure is the mean over seeds; mean and median over the \(games.count) games. Score = \(rule.text)."
            + (rows.contains { $0.reference != nil } ? " Paper: the published mean and median of the table with as many games." : "")
            + (skipped.isEmpty ? "" : " Left out (a game without runs): \(skipped.joined(separator: "; ")).")
    }

    public func render(_ format: Table1Format) -> String {
        let withReference = rows.contains { $0.reference != nil }
        var header = ["row"] + games + ["HNS mean", "HNS median"]
        if withReference { header += ["paper mean", "paper median"] }
        let lines: [[String]] = rows.map { r in
            var l = [r.label] + r.perGame.map { $0.map { Format.fixed($0) } ?? "–" } + [Format.fixed(r.mean), Format.fixed(r.median)]
            if withReference { l += [r.reference.map { Format.fixed($0.mean) } ?? "–", r.reference.map { Format.fixed($0.median) } ?? "–"] }
            return l
        }
        switch format {
        case .json:
            let items = rows.map { r in
                var m = "{\"games\": {" + zip(games, r.perGame).map { "\(Format.json($0)): \($1.map(Format.json) ?? "null")" }.joined(separator: ", ")
                m += "}, \"label\": \(Format.json(r.label)), \"mean\": \(Format.json(r.mean)), \"median\": \(Format.json(r.median)), \"method\": \(Format.json(r.method))"
                if let ref = r.reference { m += ", \"reference\": {\"mean\": \(Format.json(ref.mean)), \"median\": \(Format.json(ref.median)), \"table\": \(Format.json(ref.table))}" }
                return "    " + m + "}"
            }
            return "{\n  \"games\": [\(games.map(Format.json).joined(separator: ", "))],\n  \"rows\": [\n" + items.joined(separator: ",\n")
                + "\n  ],\n  \"score_rule\": \(Format.json(rule.rawValue)),\n  \"sweep\": \(Format.json(sweep))\n}\n"
        case .csv:
            return ([header] + lines).map { $0.map(Table1.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .md:
            let align = [":--"] + Array(repeating: "--:", count: header.count - 1)
            return "**Atari** — sweep `\(sweep)` · score: \(rule.rawValue)\n\n" + Format.markdownTable(header, align: align, lines) + "\n" + note + "\n"
        case .latex:
            var out = "% Atari (human-normalised), sweep '\(Table1.latexEscape(sweep))' (generated by mcpo-report)\n"
            out += "\\begin{tabular}{l" + String(repeating: "r", count: header.count - 1) + "}\n\\toprule\n"
            out += header.map(Table1.latexEscape).joined(separator: " & ") + " \\\\\n\\midrule\n"
            for l in lines { out += l.map(Table1.latexEscape).joined(separator: " & ") + " \\\\\n" }
            return out + "\\bottomrule\n\\end{tabular}\n\n{\\footnotesize \(Table1.latexEscape(note))}\n"
        case .term:
            return "Atari · sweep '\(sweep)' · score: \(rule.rawValue)\n" + Format.aligned([header] + lines) + note + "\n"
        }
    }
}
