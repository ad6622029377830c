import ArgumentParser
import Foundation
import Report

struct Table2Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table2",
        abstract: "Table 2's layout (MuJoCo): one row per method, each cell its best configuration on that task (named in the cell), mean ± std over seeds, best bold, Cohen's d < 0.5 underlined.",
        discussion: "Example: mcpo-report table2 --sweep mujoco --reference reference/paper-table2.csv")

    @OptionGroup var options: TableOptions

    func run() {
        Output.reporting {
            // Table 2's reference has one figure per method: it is read once and matched to the
            // collapsed rows (the per-configuration rows of `load` have none to match).
            let reference = try options.reference.map { try ReferenceTable(contentsOf: $0) }
            var plain = options
            plain.reference = nil
            var table = try plain.load(grouping: TableGrouping(), title: "Table 2").bestConfiguration()
            if let reference {
                for i in table.cells.indices { table.cells[i].reference = reference.entry(for: table.cells[i].row, env: table.cells[i].env) }
                for line in table.referenceBudgetWarnings { Output.warn(line) }
            }
            options.write(table)
        }
    }
}

struct AtariCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atari",
        abstract: "Tables 11–12's layout: human-normalised score per game, and its mean and median over games, per method; score by default each run's best evaluation during training (the paper's best checkpoint).",
        discussion: "Example: mcpo-report atari --sweep atari --reference reference/paper-table11.csv")

    @OptionGroup var options: TableOptions

    func run() {
        Output.reporting {
            let reference = try options.reference.map { try AtariTable.reference(contentsOf: $0) } ?? []
            var plain = options
            plain.reference = nil   // not a Table 1 reference: read above in its own format
            let table = try plain.load(grouping: TableGrouping(), title: "Atari", defaultScore: .bestEval)
            let atari = try AtariTable(table: table, reference: reference)
            FileHandle.standardOutput.write(Data(atari.render(options.json ? .json : options.format).utf8))
        }
    }
}
