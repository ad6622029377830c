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
            var table = try options.load(grouping: TableGrouping(), title: "Table 2").bestConfiguration()
            if let path = options.reference {
                let reference = try ReferenceTable(contentsOf: path)
                for i in table.cells.indices { table.cells[i].reference = reference.entry(for: table.cells[i].row, env: table.cells[i].env) }
                for line in table.referenceBudgetWarnings { Output.warn(line) }
            }
            let format = options.json ? .json : options.format
            let text = format == .latex
                ? table.renderLatex(referenceName: options.reference, options: LatexOptions(
                    precision: options.precision, caption: options.caption, label: options.label, showN: !options.noN))
                : table.render(format, referenceName: options.reference)
            FileHandle.standardOutput.write(Data(text.utf8))
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
