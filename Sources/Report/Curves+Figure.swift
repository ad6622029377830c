import ExperimentStore
import Figures

/// Lines into panels: colours, dashes, titles, legends and the note saying how lines were made.
extension Curves {
    /// "clip=0.2" (the row's signature value and variant), or the method when it has none.
    static func valueLabel(_ row: Table1.Row) -> String {
        var parts: [String] = []
        if let p = row.param { parts.append("\(p)=\(Format.value(row.value))") }
        if let v = row.variant { parts.append(v) }
        return parts.isEmpty ? row.method : parts.joined(separator: ", ")
    }

    /// "PPO clip=0.2".
    static func rowLabel(_ row: Table1.Row) -> String {
        let value = valueLabel(row)
        return value == row.method ? row.method : "\(row.method) \(value)"
    }

    static func seedsText(_ counts: [Int]) -> String {
        let lo = counts.min() ?? 0, hi = counts.max() ?? 0
        return lo == hi ? "n=\(hi)" : "n=\(lo)–\(hi)"
    }

    /// The figure of `lines`, panelled as `options.panel` says.
    public static func figure(_ lines: [Line], options: CurveOptions, sweeps: [String]) -> LineFigure {
        let sorted = lines.sorted { a, b in
            if a.env != b.env { return Ordering.envPrecedes(a.env, b.env) }
            if a.row != b.row { return Ordering.rowPrecedes(a.row, b.row) }
            return false
        }
        var panels: [LineFigure.Panel] = [], index: [String: Int] = [:]
        // Within a panel of one method, the i-th value gets the i-th colour and dash.
        var valueIndex: [String: [Table1.Row: Int]] = [:]
        for line in sorted {
            let panelKey: String, title: String
            switch options.panel {
            case .env: (panelKey, title) = (line.env, line.env)
            case .method: (panelKey, title) = ("\(line.row.method)\u{1}\(line.env)", "\(line.row.method) · \(line.env)")
            case .value: (panelKey, title) = ("\(rowLabel(line.row))\u{1}\(line.env)", "\(rowLabel(line.row)) · \(line.env)")
            }
            if index[panelKey] == nil {
                index[panelKey] = panels.count
                panels.append(LineFigure.Panel(title: title, series: []))
            }
            let color: Color, dash: [Double], label: String
            switch options.panel {
            case .env, .value:
                // Rows of one method share its colour; its values differ by dash.
                let method = line.row.method
                let i = valueIndex[method, default: [:]][line.row] ?? valueIndex[method, default: [:]].count
                valueIndex[method, default: [:]][line.row] = i
                (color, dash, label) = (Palette.color(method: method), Palette.dash(index: i), rowLabel(line.row))
            case .method:
                let i = valueIndex[panelKey, default: [:]][line.row] ?? valueIndex[panelKey, default: [:]].count
                valueIndex[panelKey, default: [:]][line.row] = i
                (color, dash, label) = (Palette.color(index: i), Palette.dash(index: i), valueLabel(line.row))
            }
            var attributes: [(String, String)] = [("method", line.row.method), ("env", line.env)]
            if let p = line.row.param { attributes.append(("param", p)); attributes.append(("value", Format.value(line.row.value))) }
            if let v = line.row.variant { attributes.append(("variant", v)) }
            attributes.append(("last-mean", line.mean.last.map { "\($0)" } ?? ""))
            panels[index[panelKey]!].series.append(LineFigure.Series(
                label: label, color: color, dash: dash, x: line.x, y: line.mean, lower: line.lower, upper: line.upper,
                seeds: seedsText(line.counts), attributes: attributes))
        }
        let band: String
        switch options.band {
        case .std: band = "band ±1 sample std"
        case .ci95: band = "band: bootstrap 95 % CI of the mean (\(options.resamples) resamples, seeded)"
        case .none: band = "no band"
        }
        let interpolated = lines.filter(\.interpolated).count
        let grid = interpolated == 0 ? "at the steps the runs recorded"
            : "\(interpolated) of \(lines.count) lines interpolated linearly onto a \(options.gridPoints)-point grid"
        let smooth = options.smooth > 1 ? "; each run smoothed over \(options.smooth) points" : ""
        let title = options.title ?? "\(options.metric) · \(sweeps.joined(separator: ", "))"
        return LineFigure(
            title: title, xLabel: options.x == .steps ? "environment steps" : "iterations", yLabel: MetricLabel.axis(options.metric),
            panels: panels, columns: options.columns,
            note: "Mean over seeds; \(band); \(grid)\(smooth).")
    }
}

extension Curves {
    /// The figure of the named sweeps (default: as `table1` chooses), with notices for standard error.
    public static func figure(store: any ResultsReader, sweeps names: [String], options: CurveOptions) throws
        -> (figure: LineFigure, notices: [String])
    {
        let (chosen, notice) = try Table1.chooseSweeps(named: names, in: store)
        let notices = [notice].compactMap { $0 }
        var curves: [RunCurve] = []
        for c in chosen { curves += runCurves(try store.sweepMetrics(sweepID: c.id), options: options) }
        guard !curves.isEmpty else {
            var filters = ""
            if !options.envs.isEmpty { filters += " with env \(options.envs.joined(separator: "/"))" }
            if !options.methods.isEmpty { filters += " with method \(options.methods.joined(separator: "/"))" }
            throw ReportError.noCurves(metric: options.metric, sweeps: chosen.map(\.name), filters: filters)
        }
        return (figure(lines(curves, options: options), options: options, sweeps: chosen.map(\.name)), notices)
    }
}
