import CCairo

/// Text widths in the figures' font (DejaVu Sans through fontconfig), measured by cairo, so that
/// every canvas lays text out the same way.
final class TextMeasure {
    static let family = "DejaVu Sans"
    private let surface: OpaquePointer
    private let context: OpaquePointer

    init() {
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        context = cairo_create(surface)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// The advance width of `string` at `size` points.
    func width(_ string: String, size: Double, bold: Bool = false) -> Double {
        TextMeasure.select(context, size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        return extents.x_advance
    }

    static func select(_ context: OpaquePointer, size: Double, bold: Bool) {
        cairo_select_font_face(context, family, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }
}
