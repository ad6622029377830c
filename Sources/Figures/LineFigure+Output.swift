import Foundation

/// Writing a figure: the format is the file's extension.
extension LineFigure {
    public enum Format: String, Sendable, CaseIterable {
        case svg, png, pdf

        public init(path: String) throws {
            guard let f = Format(rawValue: (path as NSString).pathExtension.lowercased()) else {
                throw FigureError.unknownFormat(path: path)
            }
            self = f
        }
    }

    /// The figure as an `<svg>` element (for a file or inline in HTML); `idPrefix` keeps clip
    /// ids unique when several figures share a page.
    public func svg(idPrefix: String = "f") -> String {
        let (w, h) = size()
        let canvas = SVGCanvas(width: w, height: h, idPrefix: idPrefix)
        draw(on: canvas)
        return canvas.document
    }

    /// Writes the figure to `path` as its extension says (.svg, .png at 2 pixels per unit, .pdf).
    public func write(to path: String, pngScale: Double = 2) throws {
        switch try Format(path: path) {
        case .svg:
            do {
                try Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg()).utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw FigureError.cannotWrite(path: path, why: (error as NSError).localizedDescription)
            }
        case .png, .pdf:
            let (w, h) = size()
            let kind: CairoCanvas.Kind = path.lowercased().hasSuffix(".pdf") ? .pdf : .png(scale: pngScale)
            let canvas = try CairoCanvas(kind: kind, width: w, height: h, path: path)
            draw(on: canvas)
            try canvas.finish()
        }
    }
}
