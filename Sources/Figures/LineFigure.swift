/// Learning curves: panels of lines with bands, a title, axis labels, legends and a note. Built by
/// the report (`Curves`), drawn by `draw(on:)` onto any canvas.
public struct LineFigure: Sendable {
    public struct Series: Sendable {
        /// Legend text, e.g. "MCPO N=10".
        public var label: String
        public var color: Color
        public var dash: [Double]
        public var x: [Double]
        public var y: [Double]
        /// The band around y (same length as x), or nil for none.
        public var lower: [Double]?
        public var upper: [Double]?
        /// Seeds behind the line, shown in the legend ("n=5", "n=3–5" while a sweep runs).
        public var seeds: String
        /// Written as data- attributes of the SVG path (method, value, env, ...).
        public var attributes: [(String, String)]

        public init(label: String, color: Color, dash: [Double] = [], x: [Double], y: [Double], lower: [Double]? = nil,
                    upper: [Double]? = nil, seeds: String, attributes: [(String, String)] = []) {
            self.label = label
            self.color = color
            self.dash = dash
            self.x = x
            self.y = y
            self.lower = lower
            self.upper = upper
            self.seeds = seeds
            self.attributes = attributes
        }

        var legendText: String { "\(label) (\(seeds))" }
    }

    public struct Panel: Sendable {
        public var title: String
        public var series: [Series]
        public init(title: String, series: [Series]) {
            self.title = title
            self.series = series
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var panels: [Panel]
    /// Panels per row (0: up to 3).
    public var columns: Int
    /// A line under the figure: how lines and bands were computed.
    public var note: String
    public var panelWidth: Double = 330
    public var panelHeight: Double = 240

    public init(title: String, xLabel: String, yLabel: String, panels: [Panel], columns: Int = 0, note: String = "") {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.panels = panels
        self.columns = columns
        self.note = note
    }

    var columnCount: Int { max(1, min(columns > 0 ? columns : 3, max(panels.count, 1))) }
    var rowCount: Int { max(1, (panels.count + columnCount - 1) / columnCount) }

    /// One legend for the figure when every panel has the same lines, else one per panel.
    var sharedLegend: Bool {
        guard let first = panels.first else { return true }
        let labels = first.series.map(\.label)
        return panels.allSatisfy { $0.series.map(\.label) == labels }
    }
}
