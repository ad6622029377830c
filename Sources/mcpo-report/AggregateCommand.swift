import ArgumentParser
import Foundation
import Report

extension Aggregate.Normalisation: ExpressibleByArgument {}

struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Scores aggregated over tasks as rliable does: IQM, median, mean and optimality gap with stratified bootstrap intervals, the probability of improvement over one row, and performance profiles.",
        discussion: """
            Rows are a table's rows (Table 1's by default, or --rows), tasks its columns (environments).
            Examples:
              mcpo-report aggregate --sweep classic --normalize minmax --score best
              mcpo-report aggregate --sweep atari --normalize atari --score best-eval --profile profiles.svg
            """)

    @OptionGroup var options: TableOptions

    @Option(name: .long, help: "Row keys, comma-separated (default: Table 1's rows plus the settings that differ).")
    var rows: String?

    @Option(name: .long, help: "How scores are put on one scale across tasks: none, minmax (per task over every run of the table) or atari (human-normalised).")
    var normalize: Aggregate.Normalisation = .minmax

    @Option(name: .long, help: "The row (its label as printed) the probability of improvement is against (default: the best IQM).")
    var against: String?

    @Option(name: .long, help: "Bootstrap resamples (rliable's default for intervals is 50000; 2000 keeps a 270-run table under a few seconds).")
    var resamples: Int = 2000

    @Option(name: .long, help: "Also draw the performance profiles (score distributions) to this file (.svg, .png or .pdf).")
    var profile: String?

    func run() {
        Output.reporting {
            guard (100...1_000_000).contains(resamples) else {
                throw ReportError.badOption("--resamples: expected a whole number from 100 to 1000000, found \(resamples)")
            }
            let grouping = TableGrouping(rows: try rows.map { try groupingKeys($0, option: "rows") })
            let table = try options.load(grouping: grouping, title: "Table")
            let aggregate = try Aggregate(table: table, normalisation: normalize, resamples: resamples, against: against)
            if let profile {
                try aggregate.profileFigure().write(to: profile)
                Output.warn("wrote \(profile)")
            }
            FileHandle.standardOutput.write(Data(aggregate.render(options.json ? .json : options.format).utf8))
        }
    }
}
