import ArgumentParser
import Foundation
import PostgresStore
import Report

extension Export.Format: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Every recorded metric of a sweep as CSV or JSON lines: one row per (run, step, key) with the run's labels and config as columns, or --wide: one row per (run, step).",
        discussion: """
            Example: mcpo-report export --sweep pendulum --out pendulum.csv, then in Python:
              import pandas as pd
              df = pd.read_csv("pendulum.csv")
              df[df.key == "score"].groupby(["method", "clip", "step"]).value.mean()
            """)

    @Option(name: .long, help: "The experiment store (read only; never created).")
    var db: String = Stores.defaultAddress

    @Option(name: .long, help: "A sweep to export (repeatable; default: the store's only sweep, else the most recently created).")
    var sweep: [String] = []

    @Option(name: .long, help: "csv or jsonl (parquet is refused, with why).")
    var format: Export.Format = .csv

    @Flag(name: .long, help: "One row per (run, step) with the metric keys as columns.")
    var wide = false

    @Option(name: .long, help: "The file to write (default: standard output).")
    var out: String?

    func run() throws {
        Output.reporting {
            if format == .parquet { _ = try Export.render([], format: .parquet, wide: wide) }
            let store = try Table1.openStore(path: db)
            let (chosen, notice) = try Table1.chooseSweeps(named: sweep, in: store)
            if let notice { Output.warn(notice) }
            let data = try chosen.map { (name: $0.name, data: try store.sweepMetrics(sweepID: $0.id)) }
            let result = try Export.render(data, format: format, wide: wide)
            if let out {
                do {
                    try Data(result.text.utf8).write(to: URL(fileURLWithPath: out))
                } catch {
                    throw ReportError.badOption("\(out): cannot write the export: \((error as NSError).localizedDescription)")
                }
                Output.warn("wrote \(out) (\(result.rows) rows)")
            } else {
                FileHandle.standardOutput.write(Data(result.text.utf8))
            }
        }
    }
}
