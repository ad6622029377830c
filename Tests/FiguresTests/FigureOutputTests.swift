import Foundation
import Testing
@testable import Figures
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Figures checked by structure: the SVG parsed (elements per role, axis ranges from the data),
/// the PNG's header (size), the PDF rendered by pdftoppm.
@Suite struct FigureOutputTests {
    static func figure(panels: Int = 2, lines: Int = 3, points: Int = 20) -> LineFigure {
        let ps = (0..<panels).map { p in
            LineFigure.Panel(title: "Env\(p)", series: (0..<lines).map { l in
                let x = (0..<points).map { Double($0 + 1) * 8_192 }
                let y = x.map { -1_200 + Double(l + 1) * 0.001 * $0 + Double(p) * 10 }
                return LineFigure.Series(label: "M\(l)", color: Palette.color(index: l), dash: Palette.dash(index: l), x: x, y: y,
                                         lower: y.map { $0 - 50 }, upper: y.map { $0 + 50 }, seeds: "n=5",
                                         attributes: [("method", "M\(l)")])
            })
        }
        return LineFigure(title: "score · <test & sweep>", xLabel: "environment steps", yLabel: "return", panels: ps,
                          note: "Mean over seeds.")
    }

    /// Elements of a parsed SVG: (name, attributes), in document order.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(String, [String: String])] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append((name, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    static func parse(_ svg: String) throws -> Collector {
        let parser = XMLParser(data: Data(svg.utf8))
        let c = Collector()
        parser.delegate = c
        guard parser.parse() else { throw CocoaError(.coderReadCorrupt) }
        return c
    }

    @Test func svgHasOnePathPerLineAndPanelAndOneBandPolygonEach() throws {
        let c = try Self.parse(Self.figure().svg())
        let paths = c.elements.filter { $0.0 == "path" }
        #expect(paths.count == 6)
        #expect(paths.allSatisfy { $0.1["class"] == "curve" && $0.1["data-points"] == "20" })
        #expect(Set(paths.map { "\($0.1["data-panel"]!)/\($0.1["data-method"]!)" }).count == 6)
        #expect(c.elements.filter { $0.0 == "polygon" && $0.1["class"] == "band" }.count == 6)
        // The legend is shared (same lines in every panel): one entry per line.
        #expect(c.elements.filter { $0.1["class"] == "legend" }.count == 3)
    }

    @Test func axisRangesHoldTheDataAndBands() throws {
        let f = Self.figure(panels: 1, lines: 2)
        let c = try Self.parse(f.svg())
        let plot = try #require(c.elements.first { $0.1["class"] == "plot" }?.1)
        let xs = f.panels[0].series.flatMap(\.x), lows = f.panels[0].series.flatMap { $0.lower! }, highs = f.panels[0].series.flatMap { $0.upper! }
        #expect(Double(plot["data-x-min"]!) == 0)
        #expect(Double(plot["data-x-max"]!) == xs.max())
        let yMin = Double(plot["data-y-min"]!)!, yMax = Double(plot["data-y-max"]!)!
        #expect(yMin <= lows.min()! && yMin > lows.min()! - (highs.max()! - lows.min()!))
        #expect(yMax >= highs.max()! && yMax < highs.max()! + (highs.max()! - lows.min()!))
    }

    @Test func textFromSweepsIsEscapedNotMarkup() throws {
        var f = Self.figure(panels: 1, lines: 1)
        f.panels[0].title = "<script>alert(1)</script>"
        let svg = f.svg()
        #expect(!svg.contains("<script>"))
        let c = try Self.parse(svg)
        #expect(!c.elements.contains { $0.0 == "script" })
        #expect(c.text.contains("<script>alert(1)</script>"))
        #expect(c.text.contains("score · <test & sweep>"))
    }

    @Test func perPanelLegendsWhenPanelsHoldDifferentLines() throws {
        var f = Self.figure(panels: 2, lines: 2)
        f.panels[1].series[1].label = "other"
        let c = try Self.parse(f.svg())
        #expect(c.elements.filter { $0.1["class"] == "legend" }.count == 4)
    }

    @Test func nonFiniteValuesBreakTheLineInsteadOfPoisoningIt() throws {
        var f = Self.figure(panels: 1, lines: 1, points: 10)
        f.panels[0].series[0].y[4] = .nan
        let c = try Self.parse(f.svg())
        let path = try #require(c.elements.first { $0.0 == "path" }?.1)
        #expect(path["data-points"] == "9")
        #expect(!path["d"]!.contains("nan"))
        #expect(c.elements.filter { $0.0 == "polygon" }.count == 2)   // the band in two pieces
    }

    @Test func aLongNoteIsWrappedToTheFiguresWidth() throws {
        var f = Self.figure(panels: 1, lines: 1)
        f.note = "Mean over seeds; band: bootstrap 95 % CI of the mean (1000 resamples, seeded); 3 of 18 lines interpolated linearly onto a 200-point grid."
        let c = try Self.parse(f.svg())
        let notes = c.elements.filter { $0.1["class"] == "note" }
        #expect(notes.count >= 2)
        let lines = f.noteLines(width: f.size().width, measure: TextMeasure())
        #expect(lines.joined(separator: " ") == f.note)
        #expect(lines.allSatisfy { TextMeasure().width($0, size: LineFigure.noteSize) <= f.size().width - 2 * LineFigure.marginSide })
        #expect(f.size().height > Self.figure(panels: 1, lines: 1).size().height)
    }

    static func temporaryPath(_ ext: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-figure-\(UUID().uuidString).\(ext)").path
    }

    @Test func pngHasTheFiguresSizeAtTheScale() throws {
        let f = Self.figure()
        let path = Self.temporaryPath("png")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try f.write(to: path, pngScale: 2)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        let (w, h) = f.size()
        #expect(be32(16) == Int((w * 2).rounded(.up)) && be32(20) == Int((h * 2).rounded(.up)))
        #expect(bytes.count > 10_000)   // not an empty image: lines, text and bands were drawn
    }

    @Test func pdfRendersThroughPdftoppm() throws {
        let f = Self.figure()
        let path = Self.temporaryPath("pdf"), prefix = Self.temporaryPath("page")
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: prefix + "-1.png") }
        try f.write(to: path)
        let head = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(5)
        #expect(String(decoding: head, as: UTF8.self) == "%PDF-")
        let tool = ["/usr/bin/pdftoppm", "/usr/local/bin/pdftoppm"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let pdftoppm = try #require(tool, "pdftoppm (poppler-utils) is needed: scripts/install-deps.sh --test installs it")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: pdftoppm)
        p.arguments = ["-r", "36", "-png", "-singlefile", path, prefix]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: prefix + ".png"))
        try? FileManager.default.removeItem(atPath: prefix + ".png")
        #expect(png.count > 1_000)
    }

    @Test func anUnknownExtensionIsOneClearError() {
        #expect(throws: FigureError.unknownFormat(path: "fig.jpg")) { try Self.figure().write(to: "fig.jpg") }
        #expect(throws: FigureError.self) { try Self.figure().write(to: "/no/such/dir/fig.png") }
    }
}
