import ArgumentParser
import CLISupport
import Environments
import ExperimentStore
import Foundation
import LivePage
import Report
import Sweep

/// The report's speed on a realistic store: a synthetic one holding every run of a sweep file
/// (classic.yaml: 270 runs) with ~122 iterations × ~15 metric keys each, then the classic
/// dashboard rendered (with its PNG files) and the live page's run page built, timed.
struct ReportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Dashboard rendering and run-page time on a synthetic store shaped like a finished sweep.")

    @Option(help: "The sweep file whose runs the store holds.")
    var sweep: String = "sweeps/classic.yaml"

    @Option(help: "The dashboard to render.")
    var dashboard: String = "dashboards/classic.yaml"

    @Option(help: "Iterations recorded per run.")
    var iterations: Int = 122

    @Option(help: "Run pages to build for the latency percentiles.")
    var requests: Int = 200

    @Option(help: "Keep the synthetic store at this path (for `mcpo-report serve` and wrk).")
    var keep: String?

    @Flag(help: "Print {\"runs\", \"metric_values\", \"iterations\", \"fill_seconds\", \"dashboard_seconds\": [...], \"dashboard_median_seconds\", \"run_page_ms\": {\"median\", \"p95\", \"max\"}, \"requests\"} as JSON.")
    var json = false

    /// Metric keys every run records, with those of MCPO; 15 for most methods.
    static let common = ["score", "episodes", "episode_return_mean", "episode_length_mean", "policy_loss", "value_loss",
                         "entropy", "approx_kl", "kl_old_new", "mean_out_of_bounds", "log_std", "beta", "clip_fraction",
                         "eval_return", "eval_length"]
    static let mcpo = ["alpha_mean", "beta_max_fraction", "memory_size", "memory_writes", "attention_entropy", "attention_argmax_slot"]

    func run() throws {
        guard iterations >= 1, requests >= 1 else {
            throw CLIFailure.badInput("--iterations and --requests: expected whole numbers ≥ 1, found \(iterations) and \(requests)")
        }
        let spec = try BenchInput.file { try SweepParser.parse(contentsOf: sweep) }
        let planned = spec.expand()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-report-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        let path = keep ?? directory.appendingPathComponent("bench.sqlite").path
        if keep != nil { try? FileManager.default.removeItem(atPath: path) }
        let fill = Date()
        let store = try Store(path: path)
        _ = try store.insertSweep(NewSweep(name: spec.name, specJSON: spec.canonicalJSON, specHash: spec.specHash),
                                             runs: planned.map(\.newRun), now: Store.unixNow())
        let worker = WorkerID(host: "bench", pid: 1)
        var rows = 0
        var generator = SeededGenerator(seed: 1)
        for run in try store.runs(sweepID: nil, status: .pending) {
            _ = try store.claimRun(id: run.id, worker: worker, leaseSeconds: 3600, now: Store.unixNow())
            let keys = Self.common + (run.method == "MCPO" ? Self.mcpo : [])
            let per = max(1, Int(run.steps) / iterations)
            var metrics: [MetricRow] = []
            for i in 1...iterations {
                var values: [String: Double] = [:]
                for (k, key) in keys.enumerated() {
                    let progress = Double(i) / Double(iterations)
                    values[key] = key == "score" ? -1200 + 1050 * (1 - exp(-4 * progress)) + 20 * generator.nextUnit()
                        : Double(k) + generator.nextUnit()
                }
                metrics.append(MetricRow(step: i * per, values: values))
                rows += values.count
            }
            try store.finishRun(runID: run.id, worker: worker, step: iterations * per, metrics: metrics, wallSeconds: 60,
                                now: Store.unixNow())
        }
        let fillSeconds = Date().timeIntervalSince(fill)
        let reader = try Store.openReadOnly(path: path)
        let d = try BenchInput.file { try Dashboard.load(contentsOf: dashboard) }
        var renders: [Double] = []
        for _ in 0..<3 {
            let out = directory.appendingPathComponent("dash-\(UUID().uuidString)").path
            let t = Date()
            _ = try d.write(store: reader, sweep: nil, to: out)
            renders.append(Date().timeIntervalSince(t))
        }
        let pages = Pages(store: reader, dashboards: nil, refresh: 0)
        let ids = try reader.runs(sweepID: nil, status: .done).map(\.id)
        var latencies: [Double] = []
        for r in 0..<requests {
            let t = Date()
            _ = try pages.run(id: ids[r % ids.count])
            latencies.append(Date().timeIntervalSince(t))
        }
        latencies.sort()
        let median = latencies[latencies.count / 2], p95 = latencies[Int(Double(latencies.count) * 0.95)], slowest = latencies.last!
        if json {
            let object: [String: Any] = [
                "runs": ids.count, "metric_values": rows, "iterations": iterations, "fill_seconds": fillSeconds,
                "dashboard": dashboard, "dashboard_seconds": renders, "dashboard_median_seconds": renders.sorted()[1],
                "run_page_ms": ["median": median * 1000, "p95": p95 * 1000, "max": slowest * 1000], "requests": requests,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
        print("store: \(ids.count) runs, \(rows) metric values (\(iterations) iterations), filled in \(String(format: "%.1f", fillSeconds)) s\(keep.map { " at \($0)" } ?? "")")
        print("dashboard \(dashboard): \(renders.map { String(format: "%.2f s", $0) }.joined(separator: ", ")) (HTML + SVG + PNG files; median \(String(format: "%.2f s", renders.sorted()[1])))")
        print("run page (built in process, \(requests) runs): median \(ms(median)), p95 \(ms(p95)), max \(ms(slowest))")
    }
}
