import ExperimentStore
import Figures
import Foundation

/// A dashboard rendered over a store: one self-contained HTML page (inline SVG and tables, inline
/// style, no script, no network) and the figures for their own files.
extension Dashboard {
    public struct Rendered: Sendable {
        public var html: String
        /// Each drawn figure with the file stem it is written under.
        public var figures: [(stem: String, figure: LineFigure)]
        /// Items that had nothing to show, with why (also said on the page).
        public var empty: [String]
    }

    /// A file stem from an item id: letters, digits, '.', '_' and '-' kept, others '-'.
    public static func stem(_ id: String) -> String {
        String(id.unicodeScalars.map { c -> Character in
            (c.properties.isAlphabetic && c.isASCII) || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-" ? Character(c) : "-"
        })
    }

    static let style = """
        body{font-family:"DejaVu Sans",sans-serif;margin:24px;color:#222;max-width:1100px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px} .meta,.caption,.empty{color:#555;font-size:13px}
        table.table1{border-collapse:collapse;font-size:13px} .table1 th,.table1 td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}
        .table1 td.num{text-align:right;font-variant-numeric:tabular-nums} .table1 td.ref{color:#666}
        svg{max-width:100%;height:auto} nav a{margin-right:12px;font-size:13px}
        """

    /// The page and figures of this dashboard; `sweep` (when given) replaces every item's sweep.
    /// `links` adds each figure's image files beside it (the written directory has them).
    public func render(store: any ResultsReader, sweep override: String? = nil, links: Bool = true,
                       navigation: String = "") throws -> Rendered {
        let e = Markup.escape
        var cache: [Int64: [(run: RunRecord, metrics: [MetricRecord])]] = [:]
        /// A sweep's metrics, read once for all the items that show it.
        func metrics(_ sweepID: Int64) throws -> [(run: RunRecord, metrics: [MetricRecord])] {
            if let cached = cache[sweepID] { return cached }
            let read = try store.sweepMetrics(sweepID: sweepID)
            cache[sweepID] = read
            return read
        }
        var figures: [(String, LineFigure)] = [], empty: [String] = []
        var body = ""
        var used: [String] = []
        for (index, item) in items.enumerated() {
            let named = override ?? {
                switch item {
                case .figure(let f): return f.sweep
                case .table(let t): return t.sweep
                }
            }() ?? sweep
            let choice = try Table1.chooseSweep(named: named, in: store)
            if !used.contains(choice.name) { used.append(choice.name) }
            switch item {
            case .figure(let f):
                body += "<section id=\"\(e(Self.stem(f.id)))\" class=\"figure\"><h2>\(e(f.title))</h2>\n"
                let curves = Curves.runCurves(try metrics(choice.id), options: f.options)
                if curves.isEmpty {
                    var why = "No run of sweep '\(choice.name)' has recorded '\(f.options.metric)'"
                    if !f.options.envs.isEmpty { why += " in \(f.options.envs.joined(separator: ", "))" }
                    if !f.options.methods.isEmpty { why += " for \(f.options.methods.joined(separator: ", "))" }
                    why += " yet."
                    empty.append("\(f.id): \(why)")
                    body += "<p class=\"empty\">\(e(why))</p>\n"
                } else {
                    let figure = Curves.figure(Curves.lines(curves, options: f.options), options: f.options, sweeps: [choice.name])
                    figures.append((Self.stem(f.id), figure))
                    body += figure.svg(idPrefix: "i\(index)")
                    if links {
                        let s = e(Self.stem(f.id))
                        body += "<p class=\"caption\">Files: <a href=\"\(s).svg\">\(s).svg</a> · <a href=\"\(s).png\">\(s).png</a></p>\n"
                    }
                }
                if let c = f.caption { body += "<p class=\"caption\">\(e(c))</p>\n" }
                body += "</section>\n"
            case .table(let t):
                body += "<section id=\"\(e(Self.stem(t.id)))\" class=\"table\"><h2>\(e(t.title))</h2>\n"
                let reference = try t.reference.map { try ReferenceTable(contentsOf: $0) }
                do {
                    let byRun = Dictionary(try metrics(choice.id).map { ($0.run.id, $0.metrics) }) { a, _ in a }
                    let (table, _) = try Table1.load(from: store, sweep: choice, reference: reference, rule: t.score, metrics: byRun)
                    body += table.renderHTML(referenceName: t.reference.map { ($0 as NSString).lastPathComponent })
                } catch let error as ReportError {
                    guard case .emptySweep = error else { throw error }
                    empty.append("\(t.id): \(error.description)")
                    body += "<p class=\"empty\">\(e(error.description))</p>\n"
                }
                if let c = t.caption { body += "<p class=\"caption\">\(e(c))</p>\n" }
                body += "</section>\n"
            }
        }
        let sweeps = used.map { "'\(PrintableName.escaped($0))'" }.joined(separator: ", ")
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>\(Self.style)</style></head>
            <body>
            \(navigation)<h1>\(e(title))</h1>
            <p class="meta">Store \(e(store.path)) · sweep \(e(sweeps)) · \(e((file as NSString).lastPathComponent))</p>
            \(body)</body></html>

            """
        return Rendered(html: html, figures: figures, empty: empty)
    }

    /// Renders into `directory`: index.html, and each figure as STEM.svg and STEM.png.
    public func write(store: any ResultsReader, sweep: String? = nil, to directory: String, png: Bool = true) throws -> Rendered {
        let rendered = try render(store: store, sweep: sweep, links: true)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(rendered.html.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent("index.html"))
        } catch {
            throw FigureError.cannotWrite(path: directory, why: (error as NSError).localizedDescription)
        }
        for (stem, figure) in rendered.figures {
            let base = (directory as NSString).appendingPathComponent(stem)
            try figure.write(to: base + ".svg")
            if png { try figure.write(to: base + ".png") }
        }
        return rendered
    }
}
