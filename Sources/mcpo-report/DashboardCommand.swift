import ArgumentParser
import Figures
import Foundation
import PostgresStore
import Report

struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Render a dashboard file (dashboards/*.yaml) into DIR/index.html (self-contained) and each figure as SVG and PNG.",
        discussion: "Example: mcpo-report dashboard dashboards/classic.yaml --sweep pendulum --out out/dash")

    @Argument(help: "The dashboard file (format: dashboards/README.md).")
    var file: String

    @Option(name: .long, help: "The experiment store (read only; never created).")
    var db: String = Stores.defaultAddress

    @Option(name: .long, help: "The sweep every item reads (default: the item's or the dashboard's sweep, else the store's most recent).")
    var sweep: String?

    @Option(name: .long, help: "The directory to write (created if missing).")
    var out: String = "dashboard"

    @Flag(name: .long, help: "Write SVG files only (no PNG).")
    var noPng = false

    func run() throws {
        Output.reporting {
            let dashboard = try Dashboard.load(contentsOf: file)
            let store = try Table1.openStore(path: db)
            let rendered = try dashboard.write(store: store, sweep: sweep, to: out, png: !noPng)
            for line in rendered.empty { Output.warn("nothing to show for \(line)") }
            print("wrote \((out as NSString).appendingPathComponent("index.html")) (\(dashboard.items.count) item(s), \(rendered.figures.count) figure(s))")
        }
    }
}
