import ExperimentStore
import Figures
import Foundation
import Report

/// The live page's HTML, built from a read-only store: pure functions of the store's contents
/// (the server only routes to them). Every string from the store or a sweep file is escaped;
/// the pages hold no script and no form.
public struct Pages: Sendable {
    public let store: any ResultsReader
    /// Where the dashboards are (`dashboards/*.yaml`); nil: none are listed.
    public let dashboards: String?
    /// Seconds between reloads while runs are pending or running (0: never).
    public let refresh: Int

    public init(store: any ResultsReader, dashboards: String?, refresh: Int) {
        self.store = store
        self.dashboards = dashboards
        self.refresh = refresh
    }

    static let e = Markup.escape

    static let style = """
        body{font-family:"DejaVu Sans",sans-serif;margin:20px;color:#222;max-width:1150px}
        h1{font-size:20px;margin:0 0 6px} h2{font-size:15px;margin:22px 0 6px} nav{font-size:13px;margin-bottom:12px}
        nav a{margin-right:14px} table{border-collapse:collapse;font-size:13px} th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}
        td.num{text-align:right;font-variant-numeric:tabular-nums} .meta,.caption,.empty{color:#555;font-size:13px}
        .bar{display:inline-block;width:160px;height:10px;background:#eee;vertical-align:middle}
        .bar span{display:block;height:10px;background:#0072B2} .failed{color:#b00} pre{font-size:12px;background:#f6f6f6;padding:8px;overflow:auto}
        svg{max-width:100%;height:auto} .metrics{display:flex;flex-wrap:wrap;gap:6px}
        """

    /// The dashboard files offered: stem → path, sorted by stem.
    public func dashboardFiles() -> [(stem: String, path: String)] {
        guard let dir = dashboards, let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { name in
            ((name as NSString).deletingPathExtension, (dir as NSString).appendingPathComponent(name))
        }
    }

    /// Links to the sweeps and to every dashboard, atop each page.
    func navigation() -> String {
        "<nav><a href=\"/\">sweeps</a>" + dashboardFiles().map { "<a href=\"/dashboard/\(Self.e($0.stem))\">\(Self.e($0.stem))</a>" }.joined()
            + "</nav>\n"
    }

    func page(title: String, body: String, live: Bool) -> String {
        let reload = live && refresh > 0 ? "<meta http-equiv=\"refresh\" content=\"\(refresh)\">" : ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">\(reload)<title>\(Self.e(title)) · mcpo</title>
            <style>\(Self.style)</style></head>
            <body>
            \(navigation())\(body)</body></html>

            """
    }

    /// Whether anything in the store may still change (a reload is worth it).
    func isLive() throws -> Bool {
        let c = try store.statusCounts(sweepID: nil)
        return c.pending + c.running > 0
    }

    // MARK: index

    /// Sweeps with progress: counts per status, a bar, env steps/s and an ETA.
    public func index() throws -> String {
        var body = "<h1>Sweeps</h1>\n<p class=\"meta\">Store \(Self.e(store.path)) (read only)</p>\n"
        let sweeps = try store.sweeps()
        if sweeps.isEmpty { body += "<p class=\"empty\">The store has no sweeps yet.</p>\n" }
        body += "<table class=\"sweeps\"><thead><tr><th>sweep</th><th>progress</th><th>done</th><th>running</th><th>pending</th><th>failed</th><th>env steps/s</th><th>ETA</th></tr></thead><tbody>\n"
        for s in sweeps.reversed() {
            let p = try SweepProgress.of(sweepID: s.id, in: store)
            let share = p.share
            body += "<tr class=\"sweep\" data-sweep=\"\(s.id)\"><td><a href=\"/sweep/\(s.id)\">\(Self.e(s.name))</a>\(s.cancelledAt == nil ? "" : " (cancelled)")</td>"
            body += "<td><span class=\"bar\"><span style=\"width:\(Int((share * 100).rounded()))%\"></span></span> \(Int((share * 100).rounded()))%</td>"
            body += "<td class=\"num done\">\(p.counts.done)</td><td class=\"num running\">\(p.counts.running)</td><td class=\"num pending\">\(p.counts.pending)</td>"
            body += "<td class=\"num\(p.counts.failed > 0 ? " failed" : "")\" data-failed=\"\(p.counts.failed)\">\(p.counts.failed)</td><td class=\"num\">\(p.stepsPerSecond.map { Format.fixed($0, decimals: 0) } ?? "–")</td>"
            body += "<td>\(Self.e(p.eta.map(SweepProgress.duration) ?? "–"))</td></tr>\n"
        }
        body += "</tbody></table>\n<p class=\"caption\">env steps/s: the sweep's finished runs' steps over their wall time, times the runs running now (all workers together); ETA: the steps left at that rate.</p>\n"
        return page(title: "Sweeps", body: body, live: try isLive())
    }

    // MARK: sweep

    public func sweep(id: Int64) throws -> String? {
        guard let s = try store.sweep(id: id) else { return nil }
        let runs = try store.runs(sweepID: id, status: nil)
        var body = "<h1>Sweep \(Self.e(s.name))</h1>\n"
        body += "<p class=\"meta\">\(runs.count) runs · <a href=\"/sweep/\(id)/curves\">learning curves</a></p>\n"
        body += "<table class=\"runs\"><thead><tr><th>run</th><th>method</th><th>setting</th><th>env</th><th>seed</th><th>status</th><th>steps</th><th>score</th><th>worker</th></tr></thead><tbody>\n"
        for r in runs {
            let last = try store.lastMetric(runID: r.id, key: Table1.scoreKey)
            let score = last?.value, steps = max(r.stepsDone, last?.step ?? 0)
            let setting = r.param.map { "\($0)=\(Format.value(r.value))" } ?? "–"
            body += "<tr class=\"run \(r.status.rawValue)\" data-run=\"\(r.id)\"><td><a href=\"/run/\(r.id)\">\(r.id)</a></td><td>\(Self.e(r.method))</td><td>\(Self.e(setting))</td>"
            body += "<td>\(Self.e(r.env))</td><td class=\"num\">\(r.seed)</td><td class=\"\(r.status.rawValue)\">\(r.status.rawValue)</td>"
            body += "<td class=\"num\">\(steps) / \(r.steps)</td><td class=\"num\">\(score.map { Format.fixed($0) } ?? "–")</td>"
            body += "<td>\(Self.e(r.worker ?? ""))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        return page(title: s.name, body: body, live: try isLive())
    }

    /// The sweep's learning curves (score, one panel per environment).
    public func sweepCurves(id: Int64) throws -> String? {
        guard let s = try store.sweep(id: id) else { return nil }
        var body = "<h1>Sweep \(Self.e(s.name)): learning curves</h1>\n"
        let options = CurveOptions()
        let curves = Curves.runCurves(try store.sweepMetrics(sweepID: id), options: options)
        if curves.isEmpty {
            body += "<p class=\"empty\">No run has recorded a score yet.</p>\n"
        } else {
            body += Curves.figure(Curves.lines(curves, options: options), options: options, sweeps: [s.name]).svg(idPrefix: "sweep")
        }
        return page(title: s.name, body: body, live: try isLive())
    }

    // MARK: run

    /// A run: its config, status, score, events and every recorded metric as a curve.
    public func run(id: Int64) throws -> String? {
        guard let r = try store.run(id: id) else { return nil }
        let sweep = try store.sweep(id: r.sweepID)
        let metrics = try store.metrics(runID: id)
        var byKey: [(String, [MetricRecord])] = []
        for m in metrics {
            if byKey.last?.0 == m.key { byKey[byKey.count - 1].1.append(m) } else { byKey.append((m.key, [m])) }
        }
        let score = byKey.first { $0.0 == Table1.scoreKey }?.1.last?.value
        // A running run records metrics every iteration but steps_done only at checkpoints.
        let steps = max(r.stepsDone, metrics.map(\.step).max() ?? 0)
        var body = "<h1>Run \(r.id): \(Self.e(r.method)) \(Self.e(r.param.map { "\($0)=\(Format.value(r.value))" } ?? "")) · \(Self.e(r.env)) · seed \(r.seed)</h1>\n"
        body += "<table class=\"summary\"><tbody>"
        body += "<tr><th>sweep</th><td><a href=\"/sweep/\(r.sweepID)\">\(Self.e(sweep?.name ?? "?"))</a></td></tr>"
        body += "<tr><th>status</th><td class=\"status \(r.status.rawValue)\">\(r.status.rawValue)</td></tr>"
        body += "<tr><th>steps</th><td class=\"steps\" data-steps=\"\(steps)\">\(steps) / \(r.steps)</td></tr>"
        body += "<tr><th>score</th><td class=\"score\">\(score.map { Format.fixed($0) } ?? "–") (last value of '\(Table1.scoreKey)')</td></tr>"
        body += "<tr><th>attempts</th><td>\(r.attempts)</td></tr>"
        if let w = r.worker { body += "<tr><th>worker</th><td>\(Self.e(w))</td></tr>" }
        if let err = r.error { body += "<tr><th>error</th><td class=\"failed\">\(Self.e(err))</td></tr>" }
        if let wall = r.wallSeconds { body += "<tr><th>wall time</th><td>\(Self.e(SweepProgress.duration(wall)))</td></tr>" }
        body += "</tbody></table>\n<h2>Config</h2>\n<pre class=\"config\">\(Self.e(Self.pretty(r.configJSON)))</pre>\n"
        body += "<h2>Metrics</h2>\n"
        if byKey.isEmpty { body += "<p class=\"empty\">No metrics recorded yet.</p>\n" }
        body += "<div class=\"metrics\">\n"
        let color = Palette.color(method: r.method)
        for (i, (key, points)) in byKey.enumerated() {
            let series = LineFigure.Series(label: key, color: color, x: points.map { Double($0.step) }, y: points.map(\.value),
                                           seeds: "run \(r.id)", attributes: [("key", key)])
            var figure = LineFigure(title: key, xLabel: "environment steps", yLabel: MetricLabel.axis(key),
                                    panels: [.init(title: "", series: [series])], columns: 1)
            figure.panelWidth = 360
            figure.panelHeight = 210
            body += figure.svg(idPrefix: "m\(i)")
        }
        body += "</div>\n<h2>Events</h2>\n<table class=\"events\"><thead><tr><th>at</th><th>event</th><th>step</th><th>worker</th><th>message</th></tr></thead><tbody>\n"
        for ev in try store.events(runID: id) {
            body += "<tr><td>\(Self.e(ev.at))</td><td>\(ev.kind.rawValue)</td><td class=\"num\">\(ev.step)</td><td>\(Self.e(ev.worker ?? ""))</td><td>\(Self.e(ev.message))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        return page(title: "run \(r.id)", body: body, live: r.status == .running || r.status == .pending)
    }

    static func pretty(_ json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        else { return json }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: dashboards

    /// A dashboard of the directory, by its file stem; `sweep` replaces the items' sweeps.
    public func dashboard(stem: String, sweep: String?) throws -> String? {
        guard let file = dashboardFiles().first(where: { $0.stem == stem }) else { return nil }
        let d = try Dashboard.load(contentsOf: file.path)
        var html = try d.render(store: store, sweep: sweep, links: false, navigation: navigation()).html
        if refresh > 0, try isLive() {
            html = html.replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"\(refresh)\">")
        }
        return html
    }

    /// A page for an error (a malformed dashboard, a bad store) with its one line.
    public func problem(_ title: String, _ line: String) -> String {
        page(title: title, body: "<h1>\(Self.e(title))</h1>\n<p class=\"failed\">\(Self.e(line))</p>\n", live: false)
    }
}
