import Foundation
import ExperimentStore
/// The output formats of `mcpo-report table1`.
public enum Table1Format: String, CaseIterable, Sendable {
    case term, md, latex, csv, json
}

/// How `--format latex` writes its table.
public struct LatexOptions: Sendable, Equatable {
    /// Decimals of means and stds (0…6).
    public var precision = 2
    public var caption: String?
    /// A `\label` key (letters, digits and `:-_.` only).
    public var label: String?
    /// "(n=k)" after each cell.
    public var showN = true

    public init(precision: Int = 2, caption: String? = nil, label: String? = nil, showN: Bool = true) {
        self.precision = precision
        self.caption = caption
        self.label = label
        self.showN = showN
    }
}

extension Table1 {
    /// Renders the table. `ansi` only matters for `.term` (bold/underline as ANSI styles; without
    /// them the marks are shown as `*` and `~` after the cell). The output ends with a newline and
    /// depends on nothing but the table and the arguments.
    public func render(_ format: Table1Format, ansi: Bool = false, referenceName: String? = nil) -> String {
        switch format {
        case .term: return renderTerm(ansi: ansi, referenceName: referenceName)
        case .md: return renderMarkdown(referenceName: referenceName)
        case .latex: return renderLatex(referenceName: referenceName)
        case .csv: return renderCSV()
        case .json: return renderJSON(referenceName: referenceName)
        }
    }

    /// "sweep", or "sweeps" for a table of several.
    var sweepWord: String { sweep.contains(", ") ? "sweeps" : "sweep" }

    /// The first column's heading: "method", or "row" when the rows are not by method.
    var rowHeader: String { rows.contains { $0.method.isEmpty } ? "row" : "method" }

    /// The columns before the cells: the row's label, then its signature hyperparameter and
    /// value unless no row has one (Table 2's rows).
    var leadHeader: [String] { rows.contains { $0.param != nil } ? [rowHeader, "param", "value"] : [rowHeader] }

    func lead(_ row: Row) -> [String] {
        leadHeader.count == 1 ? [row.label] : [row.label, row.param ?? "–", Format.value(row.value)]
    }

    /// True when any cell has a published figure beside it.
    public var hasReference: Bool { cells.contains { $0.reference != nil } }

    /// The footnote: how a score and a cell are computed, and what the marks mean.
    public var footnote: String {
        "Score = \(scoreRule). Cell = \(statistic.cellRule)." + (selection.map { " Rows: \($0)." } ?? "")
            + " Marks: \(statistic.markRule)." + budgetNote + flagNote
    }

    /// " Budget: 1M env steps per run." (per environment when they differ); empty when unknown.
    var budgetNote: String {
        let perEnv = envs.map { env in (env, Set(cells.filter { $0.env == env }.flatMap(\.budgets)).sorted()) }.filter { !$0.1.isEmpty }
        guard !perEnv.isEmpty else { return "" }
        func text(_ b: [Int]) -> String { b.map(Self.steps).joined(separator: "/") }
        let all = Set(perEnv.flatMap(\.1)).sorted()
        if all.count == 1 && perEnv.count == envs.count { return " Budget: \(text(all)) env steps per run." }
        return " Budget: " + perEnv.map { "\($0.0) \(text($0.1))" }.joined(separator: ", ") + " env steps per run."
    }

    /// 1000000 → "1M", 200000 → "200k", 57344 → "57344".
    static func steps(_ n: Int) -> String {
        if n >= 1_000_000, n % 100_000 == 0 { return n % 1_000_000 == 0 ? "\(n / 1_000_000)M" : "\(Double(n) / 1e6)M" }
        if n >= 10_000, n % 1_000 == 0 { return "\(n / 1000)k" }
        return String(n)
    }

    /// One line per environment whose published figures were run at another budget than these
    /// runs: the report puts them side by side, and says so on standard error.
    public var referenceBudgetWarnings: [String] {
        var out: [String] = []
        for env in envs {
            let mine = Set(cells.filter { $0.env == env }.flatMap(\.budgets))
            let theirs = Set(cells.filter { $0.env == env }.compactMap { $0.reference?.steps })
            guard !mine.isEmpty, !theirs.isEmpty, mine != theirs else { continue }
            out.append("the reference figures for \(env) are at \(theirs.sorted().map(Self.steps).joined(separator: "/")) env steps, these runs at \(mine.sorted().map(Self.steps).joined(separator: "/")): not the same budget")
        }
        return out
    }

    /// Every flagged run, one sentence each, after the footnote (empty when none is).
    var flagNote: String {
        let flags = cells.flatMap { cell in cell.flagged.map { (cell, $0) } }
        guard !flags.isEmpty else { return "" }
        return " † = the cell averages in a run whose metrics show a failure: " + flags.map { cell, flag in
            "run \(flag.runID) (\(cell.row.label) \(cell.row.param ?? "")=\(Format.value(cell.row.value)), \(cell.env), seed \(flag.seed)): \(flag.why)"
        }.joined(separator: "; ") + "."
    }

    /// " †" after a cell with a flagged run.
    static func flagMark(_ cell: Cell) -> String { cell.flagged.isEmpty ? "" : " †" }

    func referenceNote(_ name: String?) -> String {
        "Beside each cell: the published mean ± std\(name.map { " (\($0))" } ?? "")."
    }

    // MARK: cell text

    /// "mean ± std (n=k)" with two decimals (or the table's statistic: "iqm (n=k)",
    /// "median [low, high] (n=k)").
    public func cellText(_ cell: Cell) -> String {
        cellBody(cell, number: { Format.fixed($0) }, plusMinus: "±") + " (n=\(cell.n)\(cell.chosen.map { ", \($0)" } ?? ""))" + Self.flagMark(cell)
    }

    /// The point statistic and its spread, numbers written by `number`.
    func cellBody(_ cell: Cell, number: (Double) -> String, plusMinus: String) -> String {
        switch statistic.ci {
        case .std: return "\(number(cell.point)) \(plusMinus) \(number(cell.std))"
        case .none: return number(cell.point)
        case .boot95:
            guard let i = cell.interval else { return number(cell.point) }
            return "\(number(cell.point)) [\(number(i.low)), \(number(i.high))]"
        }
    }

    static func referenceText(_ entry: ReferenceTable.Entry?) -> String {
        guard let entry else { return "–" }
        return "\(Format.fixed(entry.mean)) ± \(Format.fixed(entry.std))"
    }

    // MARK: term

    func renderTerm(ansi: Bool, referenceName: String?) -> String {
        let withReference = hasReference
        var header = leadHeader
        for env in envs {
            header.append(env)
            if withReference { header.append("paper") }
        }
        // (visible text, styled text) per column
        var lines: [[(String, String)]] = [header.map { ($0, $0) }]
        for row in rows {
            var line: [(String, String)] = lead(row).map { ($0, $0) }
            for env in envs {
                if let cell = cell(row, env) {
                    var text = cellText(cell)
                    var styled = text
                    if ansi {
                        if cell.bold { styled = "\u{1B}[1m\(text)\u{1B}[0m" }
                        if cell.underline { styled = "\u{1B}[4m\(text)\u{1B}[0m" }
                    } else {
                        text += cell.bold ? " *" : (cell.underline ? " ~" : "  ")
                        styled = text
                    }
                    line.append((text, styled))
                } else {
                    line.append(("–", "–"))
                }
                if withReference {
                    let ref = Self.referenceText(cell(row, env)?.reference)
                    line.append((ref, ref))
                }
            }
            lines.append(line)
        }
        var widths = [Int](repeating: 0, count: header.count)
        for line in lines { for (i, c) in line.enumerated() { widths[i] = max(widths[i], c.0.count) } }
        var out = "\(title) · \(sweepWord) '\(PrintableName.escaped(sweep))' · score: \(rule.rawValue)\n"
        for line in lines {
            var text = ""
            for (i, c) in line.enumerated() {
                let last = i == line.count - 1
                text += c.1 + (last ? "" : String(repeating: " ", count: widths[i] - c.0.count + 2))
            }
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        if !ansi {
            out += statistic.isDefault ? "* best mean of its column; ~ Cohen's d < 0.5 against the best.\n"
                : "* best of its column; ~ \(statistic.ci == .boot95 ? "interval overlaps the best's" : "Cohen's d < 0.5 against the best").\n"
        }
        if withReference { out += referenceNote(referenceName) + "\n" }
        out += footnote + "\n"
        return out
    }

    // MARK: Markdown

    static func markdownEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "_", with: "\\_")
    }

    func renderMarkdown(referenceName: String?) -> String {
        let withReference = hasReference
        var header = leadHeader
        var align = Array([":--", ":--", "--:"].prefix(leadHeader.count))
        for env in envs {
            header.append(Self.markdownEscape(env))
            align.append(":--")
            if withReference {
                header.append("\(Self.markdownEscape(env)) (paper)")
                align.append(":--")
            }
        }
        var out = "**\(title)** — \(sweepWord) `\(PrintableName.escaped(sweep))` · score: \(rule.rawValue)\n\n"
        out += "| " + header.joined(separator: " | ") + " |\n"
        out += "|" + align.joined(separator: "|") + "|\n"
        for row in rows {
            var fields = lead(row).map(Self.markdownEscape)
            for env in envs {
                let cell = cell(row, env)
                if let cell {
                    var text = cellText(cell)
                    if cell.bold { text = "**\(text)**" }
                    if cell.underline { text = "<u>\(text)</u>" }
                    fields.append(text)
                } else {
                    fields.append("–")
                }
                if withReference { fields.append(Self.referenceText(cell?.reference)) }
            }
            out += "| " + fields.joined(separator: " | ") + " |\n"
        }
        out += "\n"
        if withReference { out += referenceNote(referenceName) + " " }
        out += footnote + "\n"
        return out
    }

    // MARK: LaTeX

    /// Characters of our notes and names as pdflatex reads them without extra packages.
    static let latexSymbols: [Character: String] = [
        "±": "$\\pm$", "–": "--", "—": "---", "−": "$-$", "<": "$<$", ">": "$>$", "·": "$\\cdot$", "×": "$\\times$",
        "→": "$\\to$", "←": "$\\leftarrow$", "≥": "$\\geq$", "≤": "$\\leq$", "≠": "$\\neq$", "≈": "$\\approx$",
        "‖": "$\\|$", "…": "\\ldots{}", "½": "$\\frac12$", "²": "$^2$", "†": "$^\\dagger$", "’": "'", "‘": "`",
        "“": "``", "”": "''", "α": "$\\alpha$", "β": "$\\beta$", "γ": "$\\gamma$", "δ": "$\\delta$", "ε": "$\\epsilon$",
        "η": "$\\eta$", "θ": "$\\theta$", "λ": "$\\lambda$", "μ": "$\\mu$", "π": "$\\pi$", "σ": "$\\sigma$",
        "φ": "$\\phi$", "ψ": "$\\psi$", "Σ": "$\\Sigma$", "ä": "\\\"a", "ö": "\\\"o", "ü": "\\\"u", "é": "\\'e", "è": "\\`e",
    ]

    /// Text for LaTeX: its special characters escaped, known symbols as LaTeX, any other
    /// non-ASCII character as "?" (so that a name never stops pdflatex).
    static func latexEscape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": out += "\\\(ch)"
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            default:
                if let symbol = latexSymbols[ch] { out += symbol } else if ch.isASCII { out.append(ch) } else { out += "?" }
            }
        }
        return out
    }

    func renderLatex(referenceName: String?) -> String { renderLatex(referenceName: referenceName, options: LatexOptions()) }

    /// A booktabs table for a paper: `\toprule/\midrule/\bottomrule`, no vertical rules; inside a
    /// `table` float with `\caption`/`\label` when either is given; numbers at `precision`
    /// decimals; "(n=k)" unless `showN` is off; no file paths (a reference is named by its file name).
    public func renderLatex(referenceName: String?, options: LatexOptions) -> String {
        let withReference = hasReference
        var spec = String(repeating: "l", count: leadHeader.count)
        var header = leadHeader
        for env in envs {
            spec += "l"
            header.append(Self.latexEscape(env))
            if withReference {
                spec += "l"
                header.append("paper")
            }
        }
        func number(_ x: Double) -> String {
            let s = Format.fixed(x, decimals: options.precision)
            return s.hasPrefix("-") ? "$-$" + s.dropFirst() : s
        }
        let float = options.caption != nil || options.label != nil
        var out = "% \(Self.latexEscape(title)), \(sweepWord) '\(Self.latexEscape(PrintableName.escaped(sweep)))', score: \(rule.rawValue) (generated by mcpo-report)\n"
        if float {
            out += "\\begin{table}[t]\n\\centering\n"
            if let caption = options.caption { out += "\\caption{\(Self.latexEscape(caption))}\n" }
            if let label = options.label { out += "\\label{\(label)}\n" }
        }
        out += "\\begin{tabular}{\(spec)}\n\\toprule\n"
        out += header.joined(separator: " & ") + " \\\\\n\\midrule\n"
        for row in rows {
            var fields = lead(row).map(Self.latexEscape)
            for env in envs {
                let cell = cell(row, env)
                if let cell {
                    let inParentheses = (options.showN ? ["n=\(cell.n)"] : []) + [cell.chosen.map(Self.latexEscape)].compactMap { $0 }
                    var text = cellBody(cell, number: number, plusMinus: "$\\pm$")
                        + (inParentheses.isEmpty ? "" : " (\(inParentheses.joined(separator: ", ")))")
                        + (cell.flagged.isEmpty ? "" : "$^\\dagger$")
                    if cell.bold { text = "\\textbf{\(text)}" }
                    if cell.underline { text = "\\underline{\(text)}" }
                    fields.append(text)
                } else {
                    fields.append("--")
                }
                if withReference {
                    if let ref = cell?.reference {
                        fields.append("\(number(ref.mean)) $\\pm$ \(number(ref.std))")
                    } else {
                        fields.append("--")
                    }
                }
            }
            out += fields.joined(separator: " & ") + " \\\\\n"
        }
        out += "\\bottomrule\n\\end{tabular}\n"
        var note = footnote
        let name = referenceName.map { ($0 as NSString).lastPathComponent }
        if withReference { note = referenceNote(name) + " " + note }
        out += (float ? "\\par\\smallskip\n" : "\n") + "{\\footnotesize \(Self.latexEscape(note))}\n"
        if float { out += "\\end{table}\n" }
        return out
    }

    // MARK: CSV (one line per cell, like the reference tables)

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func csvNumber(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        return "\(x)"
    }

    func renderCSV() -> String {
        let withReference = hasReference
        var out = "method,param,value,env,mean,std,n,bold,underline,d"
        if !statistic.isDefault { out += ",\(statistic.stat.rawValue),ci_low,ci_high" }
        let withChosen = cells.contains { $0.chosen != nil }
        if withChosen { out += ",chosen" }
        if withReference { out += ",ref_steps,ref_mean,ref_std,ref_n" }
        out += ",flagged_runs"
        out += "\n"
        for cell in cells {
            var fields = [
                Self.csvField(cell.row.label), Self.csvField(cell.row.param ?? ""),
                cell.row.value.map { Format.value($0) } ?? "", Self.csvField(cell.env),
                Self.csvNumber(cell.mean), Self.csvNumber(cell.std), String(cell.n),
                String(cell.bold), String(cell.underline), Self.csvNumber(cell.mark.d),
            ]
            if !statistic.isDefault {
                fields += [Self.csvNumber(cell.point), cell.interval.map { Self.csvNumber($0.low) } ?? "",
                           cell.interval.map { Self.csvNumber($0.high) } ?? ""]
            }
            if withChosen { fields.append(Self.csvField(cell.chosen ?? "")) }
            if withReference {
                if let ref = cell.reference {
                    fields += [String(ref.steps), Self.csvNumber(ref.mean), Self.csvNumber(ref.std), String(ref.n)]
                } else {
                    fields += ["", "", "", ""]
                }
            }
            fields.append(cell.flagged.map { String($0.runID) }.joined(separator: " "))
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    // MARK: JSON (the contract: keys are never renamed; sorted keys, fixed number forms)

    /// `{"cells": [{"bold", "d", "env", "mean", "method", "n", "param", "reference"?, "std",
    /// "underline", "value", "variant"?}, ...], "rules": {...}, "sweep"}`; `variant` ("key=value, ...",
    /// the run's non-default string options) only when it has some. Numbers are exact (Swift's
    /// shortest round-trip form); `d` is `null` when infinite; `param`/`value` are `null` for a
    /// run without a signature hyperparameter; `reference` is present only when known.
    func renderJSON(referenceName: String?) -> String {
        var out = "{\n  \"cells\": ["
        for (i, cell) in cells.enumerated() {
            var members: [(String, String)] = [
                ("bold", String(cell.bold)),
                ("d", Format.json(cell.mark.d)),
                ("env", Format.json(cell.env)),
                ("mean", Format.json(cell.mean)),
                ("method", Format.json(cell.row.method)),
                ("n", String(cell.n)),
                ("param", cell.row.param.map(Format.json) ?? "null"),
                ("std", Format.json(cell.std)),
                ("underline", String(cell.underline)),
                ("value", cell.row.value.map(Format.json) ?? "null"),
            ]
            if let variant = cell.row.variant { members.append(("variant", Format.json(variant))) }
            if let chosen = cell.chosen { members.append(("chosen", Format.json(chosen))) }
            if !statistic.isDefault {
                members.append(("point", Format.json(cell.point)))
                if let i = cell.interval { members.append(("interval", "[\(Format.json(i.low)), \(Format.json(i.high))]")) }
            }
            if !cell.flagged.isEmpty {
                let list = cell.flagged.map { f in
                    "{\"run\": \(f.runID), \"seed\": \(f.seed), \"why\": \(Format.json(f.why))}"
                }.joined(separator: ", ")
                members.append(("flagged", "[\(list)]"))
            }
            if let ref = cell.reference {
                let object = [
                    ("mean", Format.json(ref.mean)), ("n", String(ref.n)),
                    ("std", Format.json(ref.std)), ("steps", String(ref.steps)),
                ].map { "\(Format.json($0.0)): \($0.1)" }.joined(separator: ", ")
                members.append(("reference", "{\(object)}"))
            }
            members.sort { $0.0 < $1.0 }
            out += (i == 0 ? "\n" : ",\n") + "    {"
            out += members.map { "\(Format.json($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        out += cells.isEmpty ? "],\n" : "\n  ],\n"
        var top: [(String, String)] = [
            ("rules", "{" + ([("cells", statistic.cellRule), ("marks", statistic.markRule), ("score", scoreRule)] + (selection.map { [("rows", $0)] } ?? []))
                .map { "\(Format.json($0.0)): \(Format.json($0.1))" }.joined(separator: ", ") + "}"),
            ("score_rule", Format.json(rule.rawValue)),
            ("stat", Format.json(statistic.stat.rawValue)),
            ("ci", Format.json(statistic.ci.rawValue)),
            ("sweep", Format.json(sweep)),
        ]
        if let referenceName, hasReference { top.append(("reference_source", Format.json(referenceName))) }
        top.sort { $0.0 < $1.0 }
        out += top.map { "  \(Format.json($0.0)): \($0.1)" }.joined(separator: ",\n")
        out += "\n}\n"
        return out
    }
}
