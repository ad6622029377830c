import Foundation

/// Number formatting shared by every rendering. Fixed rules, no locale: the same numbers always
/// give the same bytes.
public enum Format {
    /// A hyperparameter value: integers without a decimal point ("40", "1"), others in Swift's
    /// shortest round-trip form ("0.003", "0.2"). nil → "–".
    public static func value(_ v: Double?) -> String {
        guard let v else { return "–" }
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// A statistic for humans: two decimals ("-147.52"); never "-0.00".
    public static func fixed(_ x: Double, decimals: Int = 2) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        let s = String(format: "%.\(decimals)f", x)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    /// A number for JSON: Swift's shortest round-trip form (exact, deterministic); `null` when not
    /// finite (JSON has no infinity).
    public static func json(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == 0 { return "0.0" }
        return "\(x)"
    }

    /// A JSON string literal.
    public static func json(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Rows of cells as plain text: each column padded to its widest cell plus two spaces, the
    /// last column not padded; one line per row, each ending in a newline.
    public static func aligned(_ rows: [[String]]) -> String {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i < widths.count { widths[i] = max(widths[i], cell.count) } else { widths.append(cell.count) }
            }
        }
        return rows.map { row in
            row.enumerated().map { i, c in i == row.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count + 2) }.joined() + "\n"
        }.joined()
    }

    /// A Markdown table: the header, the alignment row (`:--` or `--:` per column) and the rows,
    /// every cell escaped; each line ends in a newline.
    static func markdownTable(_ header: [String], align: [String], _ rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String { "| " + cells.map(Table1.markdownEscape).joined(separator: " | ") + " |\n" }
        return line(header) + "|" + align.joined(separator: "|") + "|\n" + rows.map(line).joined()
    }
}
