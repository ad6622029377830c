import ArgumentParser
import Figures
import Foundation
import PostgresStore
import Report

extension CurveOptions.XAxis: ExpressibleByArgument {}
extension CurveOptions.Band: ExpressibleByArgument {}
extension CurveOptions.PanelBy: ExpressibleByArgument {}

struct CurvesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curves",
        abstract: "Learning curves: the mean over seeds of each configuration with a band, one panel per environment (or per method, or per row).",
        discussion: "Example: mcpo-report curves --sweep pendulum --panel method --out fig6.pdf")

    @Option(name: .long, help: "The experiment store (read only; never created).")
    var db: String = Stores.defaultAddress

    @Option(name: .long, help: "A sweep to draw (repeatable; default: the store's only sweep, else the most recently created).")
    var sweep: [String] = []

    @Option(name: .long, help: "Only this environment (repeatable).")
    var env: [String] = []

    @Option(name: .long, help: "Only this method (repeatable).")
    var method: [String] = []

    @Option(name: .long, help: "The metric key to draw (docs/metrics.md).")
    var metric: String = "score"

    @Option(name: .long, help: "x axis: steps (environment steps) or iterations.")
    var x: CurveOptions.XAxis = .steps

    @Option(name: .long, help: "Band around the mean: std (±1 sample std), ci95 (bootstrap 95 % CI of the mean), none.")
    var band: CurveOptions.Band = .std

    @Option(name: .long, help: "Trailing moving average over K recorded points of each run (1: none).")
    var smooth: Int = 1

    @Option(name: .long, help: "Panels: env (one per environment), method (one per method and environment, a line per hyperparameter value), value (one per row and environment).")
    var panel: CurveOptions.PanelBy = .env

    @Option(name: .long, help: "Panels per row (default: up to 3).")
    var columns: Int = 0

    @Option(name: .long, help: "The figure file: .svg, .png or .pdf.")
    var out: String = "curves.svg"

    func run() throws {
        Output.reporting {
            guard smooth >= 1 else { throw ReportError.badOption("--smooth: expected a whole number ≥ 1, found \(smooth)") }
            guard columns >= 0 else { throw ReportError.badOption("--columns: expected a whole number ≥ 0, found \(columns)") }
            _ = try LineFigure.Format(path: out)
            var options = CurveOptions()
            options.metric = metric
            options.x = x
            options.band = band
            options.smooth = smooth
            options.panel = panel
            options.envs = env
            options.methods = method
            options.columns = columns
            let store = try Table1.openStore(path: db)
            let (figure, notices) = try Curves.figure(store: store, sweeps: sweep, options: options)
            for n in notices { Output.warn(n) }
            try figure.write(to: out)
            print("wrote \(out) (\(figure.panels.count) panel(s), \(figure.panels.map(\.series.count).reduce(0, +)) line(s))")
        }
    }
}
