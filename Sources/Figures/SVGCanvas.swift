import Foundation

/// A canvas that writes SVG text: data lines as `<path class="curve">`, bands as `<polygon>`,
/// axes and ticks as `<line>`, text as `<text>` (selectable, searchable), each element's `Role`
/// as its class and `data-` attributes. Every string is escaped, so a name from a sweep file is
/// shown as text, never read as markup.
public final class SVGCanvas: Canvas {
    public let width: Double
    public let height: Double
    /// Prefix of the clip-path ids, unique per figure when several share an HTML page.
    let idPrefix: String
    private var body = ""
    private var clips = 0

    public init(width: Double, height: Double, idPrefix: String = "f") {
        self.width = width
        self.height = height
        self.idPrefix = idPrefix
    }

    /// The whole `<svg>` element.
    public var document: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"\(TextMeasure.family), sans-serif\">\n"
            + body + "</svg>\n"
    }

    /// A coordinate with at most two decimals ("12", "12.35", "-0.50"), without Foundation's formatter.
    private func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let hundredths = Int((x * 100).rounded())
        if hundredths % 100 == 0 { return String(hundredths / 100) }
        let magnitude = abs(hundredths), cents = magnitude % 100
        return (hundredths < 0 ? "-" : "") + String(magnitude / 100) + (cents < 10 ? ".0" : ".") + String(cents)
    }

    private func roleAttributes(_ role: Role) -> String {
        var s = " class=\"\(Markup.escape(role.kind))\""
        for (k, v) in role.attributes { s += " data-\(k)=\"\(Markup.escape(v))\"" }
        return s
    }

    private func strokeAttributes(color: Color, width w: Double, dash: [Double]) -> String {
        var s = " fill=\"none\" stroke=\"\(color.hex)\" stroke-width=\"\(n(w))\""
        if !dash.isEmpty { s += " stroke-dasharray=\"\(dash.map(n).joined(separator: ","))\"" }
        return s
    }

    public func curve(_ points: [Point], color: Color, width w: Double, dash: [Double], role: Role) {
        guard let first = points.first else { return }
        var d = "M\(n(first.x)),\(n(first.y))"
        for p in points.dropFirst() { d += "L\(n(p.x)),\(n(p.y))" }
        body += "<path\(roleAttributes(role)) d=\"\(d)\"\(strokeAttributes(color: color, width: w, dash: dash)) stroke-linejoin=\"round\"/>\n"
    }

    public func segment(from a: Point, to b: Point, color: Color, width w: Double, dash: [Double], role: Role) {
        body += "<line\(roleAttributes(role)) x1=\"\(n(a.x))\" y1=\"\(n(a.y))\" x2=\"\(n(b.x))\" y2=\"\(n(b.y))\"\(strokeAttributes(color: color, width: w, dash: dash))/>\n"
    }

    public func polygon(_ points: [Point], color: Color, opacity: Double, role: Role) {
        guard !points.isEmpty else { return }
        let list = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        body += "<polygon\(roleAttributes(role)) points=\"\(list)\" fill=\"\(color.hex)\" fill-opacity=\"\(n(opacity))\" stroke=\"none\"/>\n"
    }

    public func rectangle(x: Double, y: Double, width w: Double, height h: Double, stroke: Color?, fill: Color?, role: Role) {
        let fillText = fill.map { "fill=\"\($0.hex)\"" } ?? "fill=\"none\""
        let strokeText = stroke.map { " stroke=\"\($0.hex)\" stroke-width=\"1\"" } ?? ""
        body += "<rect\(roleAttributes(role)) x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" \(fillText)\(strokeText)/>\n"
    }

    public func text(_ string: String, at p: Point, size: Double, anchor: TextAnchor, color: Color, bold: Bool,
                     rotated: Bool, role: Role) {
        var attributes = " x=\"\(n(p.x))\" y=\"\(n(p.y))\" font-size=\"\(n(size))\" fill=\"\(color.hex)\""
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { attributes += " font-weight=\"bold\"" }
        if rotated { attributes += " transform=\"rotate(-90 \(n(p.x)) \(n(p.y)))\"" }
        body += "<text\(roleAttributes(role))\(attributes)>\(Markup.escape(string))</text>\n"
    }

    public func beginClip(x: Double, y: Double, width w: Double, height h: Double) {
        clips += 1
        let id = "\(idPrefix)-clip\(clips)"
        body += "<clipPath id=\"\(id)\"><rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\"/></clipPath>\n"
        body += "<g clip-path=\"url(#\(id))\">\n"
    }

    public func endClip() { body += "</g>\n" }
}
