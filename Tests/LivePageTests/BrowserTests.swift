import ExperimentStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The live page in a real browser: `mcpo-report serve` over a store made by a real sweep,
/// loaded by headless Chromium; assertions on the DOM it built, screenshots kept under
/// `.build/browser-screenshots/`.
@Suite(.serialized) struct BrowserTests {
    static func site() throws -> LiveSite { try LiveSite.shared.get() }

    /// The attributes of every `<tag …>` in serialized HTML (Chromium writes attributes in double quotes).
    static func elements(_ tag: String, in html: String) -> [[String: String]] {
        var out: [[String: String]] = []
        var rest = html[...]
        while let start = rest.range(of: "<\(tag) ") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let inside = String(rest[start.upperBound..<end])
            var attributes: [String: String] = [:]
            let pattern = try! NSRegularExpression(pattern: #"([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)""#)
            for m in pattern.matches(in: inside, range: NSRange(inside.startIndex..., in: inside)) {
                let name = String(inside[Range(m.range(at: 1), in: inside)!])
                let value = String(inside[Range(m.range(at: 2), in: inside)!]).replacingOccurrences(of: "&quot;", with: "\"")
                    .replacingOccurrences(of: "&amp;", with: "&")
                attributes[name] = value
            }
            out.append(attributes)
            rest = rest[end...]
        }
        return out
    }

    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test func indexShowsTheSweepNameAsTextWithItsProgress() throws {
        let site = try Self.site()
        let dom = try Browser.dom(site.base + "/")
        #expect(dom.contains("Sweeps"))
        #expect(!dom.contains("<script"))   // the sweep named <script>alert(1)</script> is text, not an element
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let store = try Store.openReadOnly(path: site.store)
        let sweep = try #require(try store.sweep(named: LiveSite.sweepName))
        let counts = try store.statusCounts(sweepID: sweep.id)
        let row = try #require(Self.elements("tr", in: dom).first { $0["data-sweep"] == "\(sweep.id)" })
        #expect(row["class"] == "sweep")
        #expect(dom.contains("<td class=\"num done\">\(counts.done)</td>") && counts.done == 6)
    }

    @Test func dashboardDrawsOnePathPerMethodAndPanelWithTheStoresNumbers() throws {
        let site = try Self.site()
        let url = site.base + "/dashboard/live?sweep=" + Self.encoded(LiveSite.sweepName)
        let dom = try Browser.dom(url)
        let paths = Self.elements("path", in: dom).filter { $0["class"] == "curve" }
        // Three configurations (PPO clip 0.1, 0.2, MCPO N=5) in one panel (Pendulum).
        #expect(paths.count == 3)
        #expect(Set(paths.map { "\($0["data-panel"]!)|\($0["data-method"]!)|\($0["data-value"] ?? "")" }).count == 3)
        #expect(paths.allSatisfy { $0["data-seeds"] == "n=2" })
        // Each line ends at the mean of its seeds' last score, as the store holds them.
        let store = try Store.openReadOnly(path: site.store)
        let sweep = try #require(try store.sweep(named: LiveSite.sweepName))
        var finals: [String: [Double]] = [:]
        for (run, value) in try store.finalValues(sweepID: sweep.id, key: "score") {
            finals["\(run.method)|\(run.value.map { $0 == $0.rounded() ? String(Int($0)) : "\($0)" } ?? "")", default: []].append(value!)
        }
        for p in paths {
            let seeds = try #require(finals["\(p["data-method"]!)|\(p["data-value"] ?? "")"])
            let mean = seeds.reduce(0, +) / Double(seeds.count)
            #expect(Double(p["data-last-mean"]!) == mean)
        }
        // Table 1's cells hold the same means.
        let cells = Self.elements("td", in: dom).compactMap { $0["data-mean"].flatMap(Double.init) }
        #expect(cells.count == 3)
        #expect(Set(cells) == Set(finals.values.map { $0.reduce(0, +) / Double($0.count) }))
        try Browser.screenshot(url, to: LiveSite.screenshots.appendingPathComponent("dashboard.png"))
    }

    @Test func runPageShowsTheStoredStepsConfigAndEveryMetric() throws {
        let site = try Self.site()
        let store = try Store.openReadOnly(path: site.store)
        let sweep = try #require(try store.sweep(named: LiveSite.sweepName))
        let run = try #require(try store.runs(sweepID: sweep.id, status: .done).first { $0.method == "MCPO" })
        let dom = try Browser.dom(site.base + "/run/\(run.id)")
        let steps = try #require(Self.elements("td", in: dom).first { $0["class"] == "steps" })
        #expect(steps["data-steps"] == "\(run.stepsDone)")
        let keys = Set(try store.metrics(runID: run.id).map(\.key))
        let paths = Self.elements("path", in: dom).filter { $0["class"] == "curve" }
        #expect(paths.count == keys.count && keys.count > 10)
        #expect(Set(paths.compactMap { $0["data-key"] }) == keys)
        #expect(dom.contains("\"method\" : \"MCPO\""))
        try Browser.screenshot(site.base + "/run/\(run.id)", to: LiveSite.screenshots.appendingPathComponent("run.png"))
        try Browser.screenshot(site.base + "/", to: LiveSite.screenshots.appendingPathComponent("index.png"), height: 500)
        for name in ["run.png", "index.png", "dashboard.png"] {
            let data = try Data(contentsOf: LiveSite.screenshots.appendingPathComponent(name))
            #expect(data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]) && data.count > 5_000, "\(name)")
        }
    }

    @Test func unknownPagesAre404AndNoMethodButGetIsServed() throws {
        let site = try Self.site()
        func status(_ method: String, _ path: String) throws -> Int {
            var request = URLRequest(url: URL(string: site.base + path)!)
            request.httpMethod = method
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var code = -1
            URLSession.shared.dataTask(with: request) { _, response, _ in
                code = (response as? HTTPURLResponse)?.statusCode ?? -1
                done.signal()
            }.resume()
            done.wait()
            return code
        }
        #expect(try status("GET", "/") == 200)
        #expect(try status("GET", "/run/999999") == 404)
        #expect(try status("GET", "/dashboard/..%2F..%2Fetc%2Fpasswd") == 404)
        for method in ["POST", "PUT", "DELETE", "PATCH"] { #expect(try status(method, "/") >= 400, "\(method)") }
    }

    @Test func serverListensOnLoopbackOnlyAndServingLeavesTheStoreUnchanged() throws {
        let site = try Self.site()
        // /proc/net/tcp: local address 0100007F:PORT in state 0A (listening), nothing on 0.0.0.0.
        let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) + ((try? String(contentsOfFile: "/proc/net/tcp6", encoding: .utf8)) ?? "")
        let port = String(format: "%04X", site.port)
        let rows: [[Substring]] = table.split(separator: "\n").map { $0.split(separator: " ") }
        let listening = rows.filter { row in row.count > 3 && row[1].hasSuffix(":" + port) && row[3] == "0A" }
        #expect(listening.count == 1)
        #expect(listening.first?[1] == "0100007F:\(port)")
        let files = [site.store, site.store + "-wal"].filter { FileManager.default.fileExists(atPath: $0) }
        let before = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        _ = try Browser.dom(site.base + "/")
        _ = try Browser.dom(site.base + "/dashboard/live?sweep=" + Self.encoded(LiveSite.sweepName))
        let after = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(before == after)
    }
}
