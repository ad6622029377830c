import ArgumentParser
import CLISupport
import ExperimentStore
import Foundation
import LinearAlgebra
import Sweep
import Trainer

/// The wall time of a whole sweep file on this machine, projected from short measurements
/// (issue 12, point 6c): every distinct run shape (the config without seed and steps) trains
/// `--sample-iterations` iterations on one core; a run's time is its steps over that rate; runs
/// are dealt longest first to `--workers` workers (each run on one worker), and the makespan is
/// divided by `--efficiency`, the measured throughput of one of W workers running side by side
/// relative to one alone (memory bandwidth and caches are shared).
struct ProjectBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Project a sweep file's wall time on this machine from short single-core measurements.")

    @Argument(help: "The sweep file.")
    var file: String

    @Option(help: "Worker processes the sweep would run with.")
    var workers: Int = 2

    @Option(help: "Iterations measured per distinct run shape.")
    var sampleIterations: Int = 2

    @Option(help: "Throughput of a worker beside the others relative to one alone (measure it: a real sweep's summed single-core predictions over its wall time × workers).")
    var efficiency: Double = 1

    @Flag(help: "Print {\"file\", \"runs\", \"workers\", \"efficiency\", \"core_hours\", \"projected_hours\", \"shapes\": [...], \"blas_kernel\", \"cpu\"} as JSON.")
    var json = false

    func run() throws {
        let spec: SweepSpec
        do { spec = try SweepParser.parse(contentsOf: file) } catch { throw CLIFailure.badInput("\(error)") }
        let runs = spec.expand()
        guard !runs.isEmpty, workers >= 1, efficiency > 0 && efficiency <= 1 else {
            throw CLIFailure.badInput("nothing to project (no runs, --workers < 1 or --efficiency outside (0, 1]): "
                + "found \(runs.count) runs, --workers \(workers), --efficiency \(efficiency)")
        }
        var index: [String: Int] = [:]  // shape JSON → its entry in `shapes`
        var shapes: [(label: String, rate: Double, runs: Int, hours: Double)] = []
        var durations: [Double] = []
        for run in runs {
            var shape = run.config
            shape.seed = 0
            shape.steps = max(1, sampleIterations) * shape.horizon * shape.actors
            let key = SweepSpec.json(shape)
            if index[key] == nil {
                let label = "\(run.config.method) \(run.param)=\(formatNumber(run.value)) \(run.config.env)"
                index[key] = shapes.count
                shapes.append((label, try measure(shape).rate, 0, 0))
            }
            let i = index[key]!
            let seconds = Double(run.config.steps) / shapes[i].rate
            durations.append(seconds)
            shapes[i].runs += 1
            shapes[i].hours += seconds / 3600
        }
        // Longest first onto the least loaded worker.
        var load = [Double](repeating: 0, count: workers)
        for d in durations.sorted(by: >) { load[load.indices.min { load[$0] < load[$1] }!] += d }
        let coreHours = durations.reduce(0, +) / 3600
        let hours = (load.max() ?? 0) / 3600 / efficiency
        if json {
            let object: [String: Any] = [
                "file": file, "runs": runs.count, "workers": workers, "efficiency": efficiency,
                "core_hours": (coreHours * 1000).rounded() / 1000, "projected_hours": (hours * 1000).rounded() / 1000,
                "shapes": shapes.map { ["shape": $0.label, "steps_per_s": ($0.rate * 10).rounded() / 10, "runs": $0.runs,
                                        "core_hours": ($0.hours * 1000).rounded() / 1000] },
                "blas_kernel": NumericPlatform.blasKernel, "blas_kernel_source": NumericPlatform.blasKernelSource,
                "cpu": NumericPlatform.cpu,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for s in shapes {
                print(String(format: "%-40@ %9.0f env steps/s  %3d runs  %6.2f core-hours", s.label as NSString, s.rate, s.runs, s.hours))
            }
            print(String(format: "%@: %d runs, %.2f core-hours; projected %.2f h with %d workers (efficiency %.2f)",
                         file, runs.count, coreHours, hours, workers, efficiency))
            print("  BLAS kernel \(NumericPlatform.blasKernel) (\(NumericPlatform.blasKernelSource)) on \(NumericPlatform.cpu)")
        }
    }
}

