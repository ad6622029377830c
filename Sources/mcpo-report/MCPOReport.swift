import ArgumentParser
import Foundation
import Report
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct MCPOReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcpo-report",
        abstract: "Tables and figures from an mcpo experiment store.",
        version: Output.version,
        subcommands: [Table1Command.self, TableCommand.self, Table2Command.self, AtariCommand.self, AggregateCommand.self, CurvesCommand.self, DashboardCommand.self, ServeCommand.self, ExportCommand.self])
}

extension Table1Format: ExpressibleByArgument {}
extension ScoreRule: ExpressibleByArgument {}
extension RobustStatistics.Stat: ExpressibleByArgument {}
extension CellStatistic.Spread: ExpressibleByArgument {}

