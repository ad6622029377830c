import ExperimentStore
import Foundation
import Testing
@testable import Report

/// `mcpo-report export`: rows, columns and values against the store, read back by Python's csv
/// module (what the documented pandas example reads).
@Suite struct ExportTests {
    static func store() throws -> (StoreFixture, [(name: String, data: [(run: RunRecord, metrics: [MetricRecord])])]) {
        let f = try StoreFixture()
        let id = try f.sweep("ex,port", createdAt: "2025-01-01T00:00:00.000Z")
        let config = #"{"method":"PPO","horizon":2048,"actors":4,"normalize_observations":true,"params":{"clip":0.2},"choices":{"note":"a \"b\", c"}}"#
        for seed in 0..<2 {
            try f.run(sweep: id, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: seed,
                      scores: [(8192, -1000.5), (16384, -900)], extra: ["entropy": 1.25], configJSON: config)
        }
        return (f, [("ex,port", try f.store.sweepMetrics(sweepID: id))])
    }

    /// Rows of a CSV text as Python's csv module reads them.
    static func pythonRows(_ csv: String) throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-export-\(UUID().uuidString).csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))", file.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "python3 is needed to read the export back")
        return try JSONDecoder().decode([[String]].self, from: data)
    }

    @Test func longCSVHasOneRowPerRunStepAndKeyWithTheConfigAsColumns() throws {
        let (_, data) = try Self.store()
        let result = try Export.render(data, format: .csv, wide: false)
        let rows = try Self.pythonRows(result.text)
        #expect(rows.count == 1 + 8 && result.rows == 8)   // 2 runs × 2 steps × 2 keys
        let header = rows[0]
        #expect(Array(header.prefix(6)) == ["sweep", "run", "method", "env", "seed", "status"])
        #expect(Array(header.suffix(3)) == ["step", "key", "value"])
        #expect(header.contains("clip") && header.contains("note") && header.contains("horizon") && !header.contains("params"))
        let byName = { (row: [String], column: String) in row[header.firstIndex(of: column)!] }
        let first = rows[1]
        #expect(byName(first, "sweep") == "ex,port")
        #expect(byName(first, "clip") == "0.2" && byName(first, "horizon") == "2048")
        #expect(byName(first, "normalize_observations") == "true")
        #expect(byName(first, "note") == "a \"b\", c")
        #expect(byName(first, "step") == "8192" && byName(first, "key") == "entropy" && byName(first, "value") == "1.25")
        let scores = rows.dropFirst().filter { byName($0, "key") == "score" }.map { Double(byName($0, "value"))! }
        #expect(scores == [-1000.5, -900, -1000.5, -900])
    }

    @Test func wideCSVHasOneRowPerRunAndStep() throws {
        let (_, data) = try Self.store()
        let rows = try Self.pythonRows(try Export.render(data, format: .csv, wide: true).text)
        #expect(rows.count == 1 + 4)
        #expect(Array(rows[0].suffix(3)) == ["step", "entropy", "score"])
        #expect(Array(rows[1].suffix(3)) == ["8192", "1.25", "-1000.5"])
    }

    @Test func jsonLinesParseOneObjectPerRow() throws {
        let (_, data) = try Self.store()
        let result = try Export.render(data, format: .jsonl, wide: false)
        let lines = result.text.split(separator: "\n")
        #expect(lines.count == 8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["sweep"] as? String == "ex,port" && object["clip"] as? Double == 0.2)
        #expect(object["normalize_observations"] as? Bool == true && object["step"] as? Int == 8192)
    }

    @Test func parquetIsRefusedWithWhy() {
        #expect(throws: ReportError.self) { try Export.render([], format: .parquet, wide: false) }
    }
}
