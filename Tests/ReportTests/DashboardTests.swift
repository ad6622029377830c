import ExperimentStore
import Foundation
import Testing
@testable import Report

/// Dashboard files: the shipped ones parse, a malformed one is one line with file, line and key,
/// and a rendered page holds its figures and tables with every name escaped.
@Suite struct DashboardTests {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test(arguments: ["classic.yaml", "minigrid.yaml", "mcpo-analysis.yaml"])
    func shippedDashboardsParse(_ name: String) throws {
        let path = Self.repository.appendingPathComponent("dashboards").appendingPathComponent(name).path
        let d = try Dashboard.load(contentsOf: path)
        #expect(!d.items.isEmpty)
        for case .table(let t) in d.items {
            if let r = t.reference { _ = try ReferenceTable(contentsOf: r) }   // the reference path resolves
        }
    }

    @Test func classicDashboardHasTable1AndFigs6To8PerMethod() throws {
        let d = try Dashboard.load(contentsOf: Self.repository.appendingPathComponent("dashboards/classic.yaml").path)
        let figures = d.items.compactMap { if case .figure(let f) = $0 { return f } else { return nil } }
        #expect(figures.map { $0.options.envs } == [["Pendulum"], ["LunarLander"], ["BipedalWalker"]])
        #expect(figures.allSatisfy { $0.options.panel == .method })
        #expect(d.items.contains { if case .table = $0 { return true } else { return false } })
    }

    @Test(arguments: [
        ("title: x\nitems:\n  - figure: a\n    metrc: score\n", "<d>:4:5: item 1 (figure a): expected a figure key"),
        ("title: x\nitems:\n  - figure: a\n    band: wide\n", "<d>:4:11: item 1: key 'band': expected one of std, ci95, none, found 'wide'"),
        ("title: x\nitems:\n  - figure: a\n    smooth: 0\n", "<d>:4:13: item 1: key 'smooth': expected a whole number ≥ 1, found '0'"),
        ("title: x\nitems:\n  - table: table2\n", "<d>:3:12: item 1: key 'table': expected one of table1, found 'table2'"),
        ("title: x\nitem: []\n", "<d>:2:1: expected a dashboard key (title, sweep, items), found 'item'"),
        ("title: x\nitems: []\n", "<d>:2:8: key 'items': expected a non-empty list"),
        ("title: x\nitems:\n  - figure: a\n  - figure: a\n", "<d>:4:5: item 2: the id 'a' is used twice"),
        ("title: [x\n", "<d>:2:1: malformed YAML"),
        ("title: x\nitems:\n  - caption: c\n", "<d>:3:5: item 1: expected 'figure: ID' or 'table: table1'"),
    ])
    func malformedDashboardIsOneLineWithFileLineAndKey(_ yaml: String, _ prefix: String) {
        do {
            _ = try Dashboard.parse(yaml: yaml, file: "<d>")
            Issue.record("parsed: \(yaml)")
        } catch let error as DashboardError {
            #expect(error.description.hasPrefix(prefix), "\(error.description)")
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func renderedPageHoldsFiguresTablesAndPlaceholdersWithNamesEscaped() throws {
        let f = try StoreFixture()
        let id = try f.sweep("<script>alert(1)</script>", createdAt: "2025-01-01T00:00:00.000Z")
        for seed in 0..<2 {
            try f.run(sweep: id, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: seed,
                      scores: [(1000, -900), (2000, -300 - Double(seed))])
        }
        let d = try Dashboard.parse(yaml: """
            title: "T & <b>"
            items:
              - table: table1
              - figure: curves
                env: Pendulum
              - figure: none
                env: LunarLander
            """, file: "<d>")
        let page = try d.render(store: f.store)
        #expect(!page.html.contains("<script>"))
        #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.html.contains("<title>T &amp; &lt;b&gt;</title>"))
        #expect(page.html.contains("<table class=\"table1\""))
        #expect(page.html.contains("data-mean=\"-300.5\""))
        #expect(page.figures.map(\.stem) == ["curves"])
        #expect(page.html.components(separatedBy: "<path class=\"curve\"").count - 1 == 1)
        #expect(page.empty.count == 1 && page.empty[0].hasPrefix("none: No run of sweep"))
        #expect(!page.html.contains("http://") || page.html.components(separatedBy: "http://").dropFirst().allSatisfy { $0.hasPrefix("www.w3.org/2000/svg") })
    }

    @Test func fileStemsKeepOnlySafeCharacters() {
        #expect(Dashboard.stem("fig6-pendulum") == "fig6-pendulum")
        #expect(Dashboard.stem("../../etc/passwd") == "..-..-etc-passwd")
        #expect(Dashboard.stem("a b/c") == "a-b-c")
    }
}
