import CCairo
import Foundation

/// A canvas on cairo: a PNG image (at `scale` pixels per unit) or a one-page PDF.
public final class CairoCanvas: Canvas {
    public enum Kind: Sendable { case png(scale: Double), pdf }

    public let width: Double
    public let height: Double
    let kind: Kind
    let path: String
    private let surface: OpaquePointer
    private let context: OpaquePointer

    /// A canvas that `finish()` writes to `path`.
    public init(kind: Kind, width: Double, height: Double, path: String) throws {
        self.kind = kind
        self.width = width
        self.height = height
        self.path = path
        switch kind {
        case .png(let scale):
            surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32((width * scale).rounded(.up)),
                                                 Int32((height * scale).rounded(.up)))
        case .pdf:
            surface = cairo_pdf_surface_create(path, width, height)
        }
        context = cairo_create(surface)
        if cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS || cairo_status(context) != CAIRO_STATUS_SUCCESS {
            let message = String(cString: cairo_status_to_string(cairo_surface_status(surface)))
            cairo_destroy(context)
            cairo_surface_destroy(surface)
            throw FigureError.cannotWrite(path: path, why: message)
        }
        if case .png(let scale) = kind { cairo_scale(context, scale, scale) }
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Writes the file (PNG) or closes the document (PDF).
    public func finish() throws {
        switch kind {
        case .png:
            cairo_surface_flush(surface)
            let status = cairo_surface_write_to_png(surface, path)
            if status != CAIRO_STATUS_SUCCESS {
                throw FigureError.cannotWrite(path: path, why: String(cString: cairo_status_to_string(status)))
            }
        case .pdf:
            cairo_show_page(context)
            cairo_surface_finish(surface)
            let status = cairo_surface_status(surface)
            if status != CAIRO_STATUS_SUCCESS {
                throw FigureError.cannotWrite(path: path, why: String(cString: cairo_status_to_string(status)))
            }
        }
    }

    private func source(_ c: Color, alpha: Double = 1) {
        cairo_set_source_rgba(context, c.red, c.green, c.blue, alpha)
    }

    private func stroke(color: Color, width w: Double, dash: [Double]) {
        source(color)
        cairo_set_line_width(context, w)
        dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32(dash.count), 0) }
        cairo_stroke(context)
    }

    public func curve(_ points: [Point], color: Color, width w: Double, dash: [Double], role: Role) {
        guard let first = points.first else { return }
        cairo_move_to(context, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
        stroke(color: color, width: w, dash: dash)
    }

    public func segment(from a: Point, to b: Point, color: Color, width w: Double, dash: [Double], role: Role) {
        cairo_move_to(context, a.x, a.y)
        cairo_line_to(context, b.x, b.y)
        stroke(color: color, width: w, dash: dash)
    }

    public func polygon(_ points: [Point], color: Color, opacity: Double, role: Role) {
        guard let first = points.first else { return }
        cairo_move_to(context, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
        cairo_close_path(context)
        source(color, alpha: opacity)
        cairo_fill(context)
    }

    public func rectangle(x: Double, y: Double, width w: Double, height h: Double, stroke: Color?, fill: Color?, role: Role) {
        if let fill {
            cairo_rectangle(context, x, y, w, h)
            source(fill)
            cairo_fill(context)
        }
        if let stroke {
            cairo_rectangle(context, x, y, w, h)
            self.stroke(color: stroke, width: 1, dash: [])
        }
    }

    public func text(_ string: String, at p: Point, size: Double, anchor: TextAnchor, color: Color, bold: Bool,
                     rotated: Bool, role: Role) {
        TextMeasure.select(context, size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        let shift: Double
        switch anchor {
        case .start: shift = 0
        case .middle: shift = extents.x_advance / 2
        case .end: shift = extents.x_advance
        }
        cairo_save(context)
        cairo_translate(context, p.x, p.y)
        if rotated { cairo_rotate(context, -Double.pi / 2) }
        cairo_move_to(context, -shift, 0)
        source(color)
        cairo_show_text(context, string)
        cairo_restore(context)
    }

    public func beginClip(x: Double, y: Double, width w: Double, height h: Double) {
        cairo_save(context)
        cairo_rectangle(context, x, y, w, h)
        cairo_clip(context)
    }

    public func endClip() { cairo_restore(context) }
}
