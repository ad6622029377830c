/// Table 2's layout: one row per method, each cell its best configuration on that task.
extension Table1 {
    /// The rule every best-configuration table states.
    public static let bestConfigurationRule =
        "each method's row shows, per task, the configuration (signature value) with the best point statistic over seeds on that task, named in its cell"

    /// Collapses the rows of a method (and its options) into one: per column, the cell of the
    /// configuration with the best point statistic (ties: the first in row order), named in
    /// `chosen`; marks recomputed among the new rows. MCPO with `ablation=mean_psi` is the
    /// paper's own method row "MeanPsi".
    public func bestConfiguration() -> Table1 {
        func methodRow(_ row: Row) -> Row {
            if row.method == "MCPO", row.variant == "ablation=mean_psi" { return Row(method: "MeanPsi", param: nil, value: nil) }
            return Row(method: row.method, param: nil, value: nil, variant: row.variant)
        }
        var order: [Row] = []
        var best: [Row: [String: Cell]] = [:]
        for row in rows {
            let target = methodRow(row)
            if best[target] == nil { order.append(target); best[target] = [:] }
            for env in envs {
                guard var cell = cell(row, env) else { continue }
                if let current = best[target]![env], !(cell.point > current.point) { continue }
                cell.row = target
                cell.chosen = row.param.map { "\($0)=\(Format.value(row.value))" }
                best[target]![env] = cell
            }
        }
        var table = self
        table.rows = order
        table.cells = order.flatMap { row in envs.compactMap { best[row]![$0] } }
        for env in envs {
            let indices = table.cells.indices.filter { table.cells[$0].env == env }
            let marks = statistic.marks(indices.map { table.cells[$0] })
            for (i, mark) in zip(indices, marks) { table.cells[i].mark = mark }
        }
        table.selection = Self.bestConfigurationRule
        return table
    }
}
