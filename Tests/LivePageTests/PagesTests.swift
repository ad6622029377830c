import ExperimentStore
import Foundation
import LivePage
import Report
import Testing

/// The live page's HTML without a server: a running run's progress, missing pages, escaping.
@Suite struct PagesTests {
    static func store() throws -> (Store, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try Store(path: dir.appendingPathComponent("s.sqlite").path)
        let runs = (0..<2).map { seed in
            NewRun(configJSON: #"{"method":"PPO","horizon":2048,"actors":4}"#, configHash: "h\(seed)", method: "PPO", param: "clip",
                   value: 0.2, env: "Pendulum", seed: UInt64(seed), steps: 40960)
        }
        _ = try store.insertSweep(NewSweep(name: "a&<b>", specJSON: "{}", specHash: "x"), runs: runs, now: 1)
        return (store, dir)
    }

    @Test func aRunningRunShowsTheStepsOfItsLatestMetricsAndTheSweepItsShare() throws {
        let (store, dir) = try Self.store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let worker = WorkerID(host: "h", pid: 1)
        let run = try #require(try store.claimNextRun(sweepID: nil, worker: worker, leaseSeconds: 60, now: 2))
        try store.appendMetrics(runID: run.id, worker: worker, step: 8192, metrics: ["score": -1000, "episodes": 40],
                                leaseSeconds: 60, now: 3)
        try store.appendMetrics(runID: run.id, worker: worker, step: 16384, metrics: ["score": -900, "episodes": 80],
                                leaseSeconds: 60, now: 4)
        let pages = Pages(store: store, dashboards: nil, refresh: 5)
        let page = try #require(try pages.run(id: run.id))
        #expect(page.contains("data-steps=\"16384\""))
        #expect(page.contains("<meta http-equiv=\"refresh\" content=\"5\">"))   // it reloads while the run runs
        #expect(page.components(separatedBy: "<path class=\"curve\"").count - 1 == 2)   // score and episodes
        let index = try pages.index()
        #expect(index.contains("a&amp;&lt;b&gt;") && !index.contains("a&<b>"))
        #expect(index.contains("width:20%"))   // 0.4 of one run out of two
        #expect(try pages.run(id: 999) == nil)
        #expect(try pages.sweep(id: 999) == nil)
        #expect(try pages.dashboard(stem: "nope", sweep: nil) == nil)
    }

    @Test func dashboardsAreFoundOnlyAmongTheDirectorysFiles() throws {
        let (store, dir) = try Self.store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dashboards = dir.appendingPathComponent("dashboards")
        try FileManager.default.createDirectory(at: dashboards, withIntermediateDirectories: true)
        try "title: t\nitems:\n  - figure: f\n".write(to: dashboards.appendingPathComponent("one.yaml"), atomically: true, encoding: .utf8)
        try "title: [".write(to: dashboards.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let pages = Pages(store: store, dashboards: dashboards.path, refresh: 0)
        #expect(pages.dashboardFiles().map(\.stem) == ["bad", "one"])
        #expect(try pages.dashboard(stem: "../s", sweep: nil) == nil)
        let one = try #require(try pages.dashboard(stem: "one", sweep: nil))
        #expect(one.contains("No run of sweep"))
        #expect(throws: DashboardError.self) { try pages.dashboard(stem: "bad", sweep: nil) }
    }
}
