import ArgumentParser
import CLISupport
import ExperimentStore
import Foundation
import PostgresStore
import Trainer

/// The cost of checkpoints as the worker takes them: training with a checkpoint (the state's
/// bytes and the metrics since the previous one, in one transaction of a real store) at the
/// first iteration boundary after every `--interval` seconds, timed apart from training.
struct CheckpointBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Checkpoint overhead: encode + store time as a share of training time, checkpoint bytes, restore time.",
        discussion: "Example: mcpo-bench checkpoint mcpo --N 40 --env LunarLanderContinuous --actors 32 --iterations 6 --json")

    @Argument(help: "Method to train (case-insensitive): \(MethodCatalog.names.joined(separator: ", ")).")
    var method: String

    @Option(help: "Environment id.")
    var env: String = "LunarLander"

    @Option(help: "Actors.")
    var actors: Int = 32

    @Option(help: "Steps per actor per iteration (T).")
    var horizon: Int = 2048

    @Option(help: "Iterations to train.")
    var iterations: Int = 6

    @Option(name: .customLong("N"), help: "MCPO memory size N.")
    var memorySize: Int = 40

    @Option(help: "Seconds between checkpoints (the worker's default is 5; 0: after every iteration, the worst case).")
    var interval: Double = 5

    @Option(help: "Seed.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("The store to write the checkpoints to, e.g. a PostgreSQL database (default: a temporary SQLite file).", valueName: "path|url"))
    var db: String?

    @Flag(help: "Print the measurements as one JSON object.")
    var json = false

    func run() throws {
        let info = try BenchInput.method(method)
        guard iterations > 0, actors > 0, horizon > 0, interval >= 0 else {
            throw CLIFailure.badInput("--iterations, --actors and --horizon: expected whole numbers > 0, --interval: a number ≥ 0; "
                + "found \(iterations), \(actors), \(horizon), \(interval)")
        }
        var config = TrainingConfig(method: info.name, env: try BenchInput.environment(env), seed: seed, steps: iterations * horizon * actors)
        config.actors = actors
        config.horizon = horizon
        if info.name == "MCPO" { config.params["N"] = Double(memorySize) }
        let trainer: Trainer
        do { trainer = try Trainer(config: config) } catch { throw CLIFailure.badInput("\(error)") }

        // A real store in a temporary directory, the run claimed as a worker would.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store: AnyStore = try db.map { try Stores.open($0) } ?? Store(path: dir.appendingPathComponent("bench.sqlite").path)
        let configJSON = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        let sweep = "bench-\(UUID().uuidString.prefix(8))"   // a store given by --db may hold earlier ones
        let inserted = try store.insertSweep(NewSweep(name: sweep, specJSON: "{}", specHash: "bench"), runs: [
            NewRun(configJSON: configJSON, configHash: "bench", method: info.name, param: nil, value: nil,
                   env: env, seed: seed, steps: config.steps),
        ])
        let me = WorkerID.current
        guard let run = try store.claimNextRun(sweepID: inserted.sweepID, worker: me, leaseSeconds: 600) else { throw CLIFailure(ExitStatus.internalError, "internal error: no run to claim") }

        let sink = Sink()
        var training = 0.0, encoding = 0.0, writing = 0.0, checkpoints = 0, bytes = 0
        var lastSave = now()
        for _ in 0..<iterations {
            let t0 = now()
            try trainer.runIteration(sink: sink)
            training += now() - t0
            guard now() - lastSave >= interval else { continue }
            let t1 = now()
            let data = try trainer.checkpointData()
            let t2 = now()
            try store.saveCheckpoint(runID: run.id, worker: me, step: trainer.stepsDone, state: data,
                                     format: Trainer.checkpointFormat, metrics: sink.rows, leaseSeconds: 600)
            let t3 = now()
            sink.rows.removeAll()
            encoding += t2 - t1
            writing += t3 - t2
            checkpoints += 1
            bytes = data.count
            lastSave = t3
        }
        // Restoring: read, check, decode, rebuild the trainer (environments replayed).
        let t4 = now()
        guard let stored = try store.checkpoint(runID: run.id) else { throw CLIFailure(ExitStatus.internalError, "internal error: no checkpoint was written") }
        let restored = try Trainer(checkpointData: stored.state, format: stored.format)
        let restoreSeconds = now() - t4
        guard restored.stepsDone == stored.step else { throw CLIFailure(ExitStatus.internalError, "internal error: restored at the wrong step") }

        let perCheckpoint = checkpoints > 0 ? (encoding + writing) / Double(checkpoints) : 0
        let iteration = training / Double(iterations)
        let overhead = (encoding + writing) / training
        // In steady state one checkpoint per max(interval, iteration) of training.
        let steady = perCheckpoint / max(interval > 0 ? interval : iteration, iteration)
        if json {
            let object: [String: Any] = [
                "method": info.name, "env": env, "store": store.path, "actors": actors, "horizon": horizon, "N": info.name == "MCPO" ? memorySize : NSNull(),
                "iterations": iterations, "iteration_s": round(iteration), "training_s": round(training), "interval_s": interval,
                "checkpoints": checkpoints, "checkpoint_bytes": bytes, "encode_ms": round(encoding / Double(max(checkpoints, 1)) * 1000),
                "write_ms": round(writing / Double(max(checkpoints, 1)) * 1000), "restore_ms": round(restoreSeconds * 1000),
                "overhead_measured": round(overhead * 1e4) / 1e4, "overhead_steady": round(steady * 1e4) / 1e4,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print(String(format: "%@ on %@ (%d actors × T %d%@): %d iterations of %.2f s, %.1f s of training; store %@",
                     info.name, env, actors, horizon, info.name == "MCPO" ? ", N \(memorySize)" : "", iterations, iteration, training,
                     store.path))
        print(String(format: "  %d checkpoints of %d bytes (%.2f MB): encode %.1f ms + store %.1f ms each; restore %.0f ms",
                     checkpoints, bytes, Double(bytes) / 1e6, encoding / Double(max(checkpoints, 1)) * 1000,
                     writing / Double(max(checkpoints, 1)) * 1000, restoreSeconds * 1000))
        print(String(format: "  overhead: %.3f%% of training time as measured (a checkpoint every %@); %.3f%% in steady state",
                     overhead * 100, interval > 0 ? String(format: "%.0f s", interval) : "iteration", steady * 100))
    }

    private func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    private func round(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    final class Sink: MetricSink {
        var rows: [MetricRow] = []
        func record(step: Int, metrics: [String: Double]) throws { rows.append(MetricRow(step: step, values: metrics)) }
    }
}
