/// A point in canvas units (1/72 inch; pixels in PNG at scale 1), y downwards.
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

public enum TextAnchor: String, Sendable { case start, middle, end }

/// What a drawn element stands for. The SVG canvas writes it as the element's class and data
/// attributes (so tests and scripts can find the curve of a method in a panel); raster and PDF
/// canvases ignore it.
public struct Role: Sendable {
    public var kind: String
    public var attributes: [(String, String)]

    public init(_ kind: String, _ attributes: [(String, String)] = []) {
        self.kind = kind
        self.attributes = attributes
    }

    public static let decoration = Role("decoration")
}

/// The drawing operations every figure is made of. One drawing code (`LineFigure.draw`) paints
/// onto any canvas: `CairoCanvas` (PNG, PDF) or `SVGCanvas`; all measure text with the same
/// font through cairo, so the layouts are the same.
public protocol Canvas: AnyObject {
    var width: Double { get }
    var height: Double { get }
    /// A data line (SVG `<path>`); `dash` empty for solid.
    func curve(_ points: [Point], color: Color, width: Double, dash: [Double], role: Role)
    /// A straight segment (axes, ticks, grid, legend swatches; SVG `<line>`).
    func segment(from: Point, to: Point, color: Color, width: Double, dash: [Double], role: Role)
    /// A filled polygon (bands; SVG `<polygon>`).
    func polygon(_ points: [Point], color: Color, opacity: Double, role: Role)
    /// A rectangle outline and/or fill (SVG `<rect>`).
    func rectangle(x: Double, y: Double, width: Double, height: Double, stroke: Color?, fill: Color?, role: Role)
    /// Text with its baseline at y; rotated: reading upwards (a y-axis label).
    func text(_ string: String, at: Point, size: Double, anchor: TextAnchor, color: Color, bold: Bool, rotated: Bool,
              role: Role)
    /// Later drawing is clipped to the rectangle until `endClip`.
    func beginClip(x: Double, y: Double, width: Double, height: Double)
    func endClip()
}
