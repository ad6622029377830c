import ArgumentParser
import CLISupport
import ExperimentStore
import Foundation
import PostgresStore

/// The store's throughput under concurrent workers: `--workers` threads, each with its own
/// connection (as worker processes have), claim the runs of one sweep of `--runs` tiny runs one
/// by one, record the attempt and finish each with one iteration's metrics (`--keys` values),
/// until none is left. Prints claims/s and metric rows/s, for SQLite or PostgreSQL.
struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Store throughput: concurrent workers claiming tiny runs and writing their metrics (claims/s, metric rows/s).",
        discussion: "Example: mcpo-bench store --db postgres://postgres@127.0.0.1:5432/bench --workers 3 --runs 300")

    @Option(help: ArgumentHelp("The store (default: a temporary SQLite file).", valueName: "path|url"))
    var db: String?

    @Option(help: "Concurrent workers, each with its own connection.")
    var workers = 3

    @Option(help: "Runs in the sweep (each one claim and one finishing write).")
    var runs = 300

    @Option(help: "Metric values per run (one iteration's worth; the trainer records about 20).")
    var keys = 20

    @Flag(help: "Print the measurements as one JSON object.")
    var json = false

    func run() throws {
        guard workers > 0, runs > 0, keys > 0 else {
            throw CLIFailure.badInput("--workers, --runs and --keys: expected whole numbers > 0")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let address = db ?? dir.appendingPathComponent("bench.sqlite").path
        let setup = try Stores.open(address)
        let name = "store-bench-\(UUID().uuidString.prefix(8))"
        let planned = (0..<runs).map { i in
            NewRun(configJSON: "{\"i\":\(i)}", configHash: "\(name)-\(i)", method: "PPO", param: nil, value: nil,
                   env: "Pendulum", seed: UInt64(i), steps: 2048)
        }
        let sweepID = try setup.insertSweep(NewSweep(name: name, specJSON: "{}", specHash: name), runs: planned).sweepID
        let stores = try (0..<workers).map { _ in try Stores.open(address) }
        let values = Dictionary(uniqueKeysWithValues: (0..<keys).map { ("key\($0)", Double($0) * 0.125) })
        let platform = Platform(blasKernel: "bench", cpu: "bench")
        let counts = Counts(workers)
        let start = DispatchTime.now().uptimeNanoseconds
        @Sendable func work(_ w: Int) {
            let store = stores[w], me = WorkerID(host: "bench", pid: Int32(10_000 + w))
            do {
                while let run = try store.claimNextRun(sweepID: sweepID, worker: me, leaseSeconds: 600) {
                    try store.recordAttempt(runID: run.id, worker: me, platform: platform)
                    try store.finishRun(runID: run.id, worker: me, step: 2048, metrics: [MetricRow(step: 2048, values: values)],
                                        wallSeconds: 0.01)
                    counts.add(w)
                }
            } catch {
                counts.fail("\(error)")
            }
        }
        // One thread per worker, all started at once (concurrentPerform would run only as many
        // as there are cores, one after the other).
        let group = DispatchGroup()
        for w in 0..<workers {
            group.enter()
            Thread.detachNewThread { work(w); group.leave() }
        }
        group.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let error = counts.error { throw CLIFailure(ExitStatus.internalError, "a worker failed: \(error)") }
        let claimed = counts.total
        let done = try setup.statusCounts(sweepID: sweepID).done
        guard claimed == runs, done == runs else {
            throw CLIFailure(ExitStatus.internalError, "claimed \(claimed), done \(done) of \(runs) runs: a run was claimed twice or lost")
        }
        let backend = Stores.isPostgres(address) ? "PostgreSQL" : "SQLite"
        if json {
            let object: [String: Any] = ["backend": backend, "workers": workers, "runs": runs, "keys": keys,
                                         "seconds": (seconds * 1000).rounded() / 1000,
                                         "claims_per_s": (Double(runs) / seconds).rounded(),
                                         "metric_rows_per_s": (Double(runs * keys) / seconds).rounded(),
                                         "per_worker": counts.perWorker]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print(String(format: "%@ (%@): %d workers claimed and finished %d runs (%d metric values each) in %.3f s",
                     backend, setup.path, workers, runs, keys, seconds))
        print(String(format: "  %.0f claims/s, %.0f metric rows/s; runs per worker: %@", Double(runs) / seconds,
                     Double(runs * keys) / seconds, counts.perWorker.map(String.init).joined(separator: ", ")))
    }

    final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int]
        private(set) var error: String?
        init(_ n: Int) { counts = Array(repeating: 0, count: n) }
        func add(_ w: Int) { lock.withLock { counts[w] += 1 } }
        func fail(_ e: String) { lock.withLock { error = error ?? e } }
        var total: Int { lock.withLock { counts.reduce(0, +) } }
        var perWorker: [Int] { lock.withLock { counts } }
    }
}
