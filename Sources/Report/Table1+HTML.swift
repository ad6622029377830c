import ExperimentStore
import Figures

/// Table 1 as an HTML `<table>` (dashboards and the live page): bold for the best mean,
/// underline for Cohen's d < 0.5 against it, † for a flagged run; every name escaped.
extension Table1 {
    public func renderHTML(referenceName: String? = nil) -> String {
        let e = Markup.escape
        let withReference = hasReference
        var out = "<table class=\"table1\" data-sweep=\"\(e(sweep))\" data-score=\"\(rule.rawValue)\">\n<thead><tr><th>method</th><th>param</th><th>value</th>"
        for env in envs {
            out += "<th>\(e(env))</th>"
            if withReference { out += "<th>\(e(env)) (paper)</th>" }
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr><td>\(e(row.label))</td><td>\(e(row.param ?? "–"))</td><td class=\"num\">\(Format.value(row.value))</td>"
            for env in envs {
                let cell = cell(row, env)
                if let cell {
                    var text = e(cellText(cell))
                    if cell.bold { text = "<b>\(text)</b>" }
                    if cell.underline { text = "<u>\(text)</u>" }
                    out += "<td class=\"num\" data-env=\"\(e(env))\" data-mean=\"\(cell.mean)\" data-n=\"\(cell.n)\">\(text)</td>"
                } else {
                    out += "<td class=\"num\">–</td>"
                }
                if withReference { out += "<td class=\"num ref\">\(e(Self.referenceText(cell?.reference)))</td>" }
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n<p class=\"caption\">"
        if withReference { out += e(referenceNote(referenceName)) + " " }
        out += e(footnote) + "</p>\n"
        return out
    }
}
