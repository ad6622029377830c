import Foundation

/// The one drawing code of every figure format.
extension LineFigure {
    static let titleSize = 14.0, panelTitleSize = 11.0, tickSize = 9.0, labelSize = 10.0, legendSize = 9.0, noteSize = 8.5
    static let legendRow = 14.0
    /// Inside a panel cell: room for the panel title, tick labels and axis labels.
    static let insetLeft = 62.0, insetRight = 12.0, insetTop = 22.0, insetBottom = 40.0
    static let marginTop = 30.0, marginSide = 8.0

    /// Lays out legend entries in rows no wider than `width`; returns each entry's row and x offset.
    static func legendRows(_ entries: [String], width: Double, measure: TextMeasure) -> [(row: Int, x: Double)] {
        var placed: [(Int, Double)] = []
        var row = 0, x = 0.0
        for e in entries {
            let w = 24 + measure.width(e, size: legendSize) + 12
            if x > 0 && x + w > width { row += 1; x = 0 }
            placed.append((row, x))
            x += w
        }
        return placed
    }

    /// The note broken at spaces into lines that fit the figure's width.
    func noteLines(width: Double, measure: TextMeasure) -> [String] {
        var lines: [String] = [], line = ""
        for word in note.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if !line.isEmpty && measure.width(candidate, size: Self.noteSize) > width - 2 * Self.marginSide - 8 {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The figure's size for its panels and legends.
    public func size() -> (width: Double, height: Double) {
        let measure = TextMeasure()
        let width = 2 * Self.marginSide + Double(columnCount) * panelWidth
        return (width, height(width: width, measure: measure))
    }

    private func panelLegendHeight(_ measure: TextMeasure) -> Double {
        guard !sharedLegend else { return 0 }
        let rows = panels.map { p in
            (Self.legendRows(p.series.map(\.legendText), width: panelWidth - Self.insetLeft, measure: measure).last?.row ?? -1) + 1
        }
        return Double(rows.max() ?? 0) * Self.legendRow + 4
    }

    private func sharedLegendHeight(width: Double, _ measure: TextMeasure) -> Double {
        guard sharedLegend, let first = panels.first, !first.series.isEmpty else { return 0 }
        let rows = (Self.legendRows(first.series.map(\.legendText), width: width - 2 * Self.marginSide - 20, measure: measure).last?.row ?? 0) + 1
        return Double(rows) * Self.legendRow + 8
    }

    private func height(width: Double, measure: TextMeasure) -> Double {
        Self.marginTop + Double(rowCount) * (panelHeight + panelLegendHeight(measure)) + sharedLegendHeight(width: width, measure)
            + Double(noteLines(width: width, measure: measure).count) * 12 + 10
    }

    /// Paints the figure onto `canvas` (sized by `size()`).
    public func draw(on canvas: Canvas) {
        let measure = TextMeasure()
        canvas.rectangle(x: 0, y: 0, width: canvas.width, height: canvas.height, stroke: nil, fill: .white, role: .decoration)
        canvas.text(title, at: Point(canvas.width / 2, 20), size: Self.titleSize, anchor: .middle, color: .ink, bold: true,
                    rotated: false, role: Role("title"))
        let cellHeight = panelHeight + panelLegendHeight(measure)
        for (i, panel) in panels.enumerated() {
            let column = i % columnCount, row = i / columnCount
            let x = Self.marginSide + Double(column) * panelWidth
            let y = Self.marginTop + Double(row) * cellHeight
            drawPanel(panel, index: i, x: x, y: y, on: canvas, measure: measure)
        }
        var bottom = Self.marginTop + Double(rowCount) * cellHeight
        if sharedLegend, let first = panels.first, !first.series.isEmpty {
            let width = canvas.width - 2 * Self.marginSide - 20
            drawLegend(first.series, x: Self.marginSide + 20, y: bottom + 4, width: width, on: canvas, measure: measure)
            bottom += sharedLegendHeight(width: canvas.width, measure)
        }
        for (i, line) in noteLines(width: canvas.width, measure: measure).enumerated() {
            canvas.text(line, at: Point(Self.marginSide + 4, bottom + 12 + Double(i) * 12), size: Self.noteSize, anchor: .start,
                        color: .muted, bold: false, rotated: false, role: Role("note"))
        }
    }

    /// The data range of a panel: x over every line, y over lines and bands (finite values only).
    static func ranges(_ panel: Panel) -> (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        var xs: [Double] = [], ys: [Double] = []
        for s in panel.series {
            for i in s.x.indices where s.x[i].isFinite && s.y[i].isFinite {
                xs.append(s.x[i])
                ys.append(s.y[i])
                if let l = s.lower?[i], l.isFinite { ys.append(l) }
                if let u = s.upper?[i], u.isFinite { ys.append(u) }
            }
        }
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return nil }
        return (x0...x1, y0...y1)
    }

    private func drawPanel(_ panel: Panel, index: Int, x: Double, y: Double, on canvas: Canvas, measure: TextMeasure) {
        let left = x + Self.insetLeft, top = y + Self.insetTop
        let width = panelWidth - Self.insetLeft - Self.insetRight
        let height = panelHeight - Self.insetTop - Self.insetBottom
        canvas.text(panel.title, at: Point(left + width / 2, y + 15), size: Self.panelTitleSize, anchor: .middle,
                    color: .ink, bold: true, rotated: false, role: Role("panel-title"))
        let range = Self.ranges(panel)
        let xAxis = Ticks.tightAxis(low: range.map { $0.x.lowerBound } ?? 0, high: range.map { $0.x.upperBound } ?? 1)
        let yAxis = Ticks.axis(low: range.map { $0.y.lowerBound } ?? 0, high: range.map { $0.y.upperBound } ?? 1)
        func sx(_ v: Double) -> Double { left + (v - xAxis.lower) / (xAxis.upper - xAxis.lower) * width }
        func sy(_ v: Double) -> Double { top + height - (v - yAxis.lower) / (yAxis.upper - yAxis.lower) * height }
        // Grid and ticks.
        for v in yAxis.values {
            canvas.segment(from: Point(left, sy(v)), to: Point(left + width, sy(v)), color: .grid, width: 0.6, dash: [],
                           role: Role("grid"))
            canvas.text(Ticks.label(v, step: yAxis.step), at: Point(left - 5, sy(v) + 3), size: Self.tickSize, anchor: .end,
                        color: .ink, bold: false, rotated: false, role: Role("tick-y"))
        }
        for v in xAxis.values {
            canvas.segment(from: Point(sx(v), top + height), to: Point(sx(v), top + height + 4), color: .ink, width: 0.8,
                           dash: [], role: Role("tick"))
            canvas.text(Ticks.label(v, step: xAxis.step), at: Point(sx(v), top + height + 14), size: Self.tickSize,
                        anchor: .middle, color: .ink, bold: false, rotated: false, role: Role("tick-x"))
        }
        canvas.rectangle(x: left, y: top, width: width, height: height, stroke: .ink, fill: nil, role: Role("plot", [
            ("panel", panel.title), ("x-min", "\(xAxis.lower)"), ("x-max", "\(xAxis.upper)"),
            ("y-min", "\(yAxis.lower)"), ("y-max", "\(yAxis.upper)"),
        ]))
        canvas.text(xLabel, at: Point(left + width / 2, top + height + 32), size: Self.labelSize, anchor: .middle, color: .ink,
                    bold: false, rotated: false, role: Role("axis-label"))
        let yLabelWidth = measure.width(yLabel, size: Self.labelSize)
        let yLabelSize = yLabelWidth > height ? Self.labelSize * height / yLabelWidth : Self.labelSize
        canvas.text(yLabel, at: Point(x + 14, top + height / 2), size: yLabelSize, anchor: .middle, color: .ink, bold: false,
                    rotated: true, role: Role("axis-label"))
        // Bands first, then lines over them.
        canvas.beginClip(x: left, y: top, width: width, height: height)
        for s in panel.series {
            guard let lower = s.lower, let upper = s.upper else { continue }
            for run in Self.finiteRuns(s) {
                let over = run.map { Point(sx(s.x[$0]), sy(upper[$0])) }
                let under = run.reversed().map { Point(sx(s.x[$0]), sy(lower[$0])) }
                canvas.polygon(over + under, color: s.color, opacity: 0.18, role: Role("band", [("panel", panel.title), ("label", s.label)] + s.attributes))
            }
        }
        for s in panel.series {
            let points = Self.finiteRuns(s).flatMap { $0 }.map { Point(sx(s.x[$0]), sy(s.y[$0])) }
            canvas.curve(points, color: s.color, width: 1.6, dash: s.dash,
                         role: Role("curve", [("panel", panel.title), ("label", s.label), ("seeds", s.seeds), ("points", "\(points.count)")] + s.attributes))
        }
        canvas.endClip()
        if !sharedLegend {
            drawLegend(panel.series, x: left, y: y + panelHeight - 2, width: width + Self.insetRight, on: canvas, measure: measure)
        }
    }

    /// Index runs where the line and its band are finite (a non-finite value breaks a band).
    static func finiteRuns(_ s: Series) -> [[Int]] {
        var runs: [[Int]] = [], current: [Int] = []
        for i in s.x.indices {
            let ok = s.x[i].isFinite && s.y[i].isFinite && (s.lower?[i].isFinite ?? true) && (s.upper?[i].isFinite ?? true)
            if ok { current.append(i) } else if !current.isEmpty { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private func drawLegend(_ series: [Series], x: Double, y: Double, width: Double, on canvas: Canvas, measure: TextMeasure) {
        let placed = Self.legendRows(series.map(\.legendText), width: width, measure: measure)
        for (s, at) in zip(series, placed) {
            let rowY = y + Double(at.row) * Self.legendRow + 9
            canvas.segment(from: Point(x + at.x, rowY - 3), to: Point(x + at.x + 20, rowY - 3), color: s.color, width: 2,
                           dash: s.dash, role: Role("legend-swatch"))
            canvas.text(s.legendText, at: Point(x + at.x + 24, rowY), size: Self.legendSize, anchor: .start, color: .ink,
                        bold: false, rotated: false, role: Role("legend", [("label", s.label)]))
        }
    }
}
