import ArgumentParser
import CLISupport
import Environments
import Foundation
import LinearAlgebra
import Trainer

/// Throughput benchmarks. Speed is measured here, never in unit tests.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcpo-bench",
        abstract: "Measure throughput on one core: whole training, or an environment alone.",
        discussion: "Examples: mcpo-bench ppo --env Pendulum --json; mcpo-bench env --env MiniGrid-Unlock --policy random",
        version: ProjectVersion.line(tool: BenchInput.tool),
        subcommands: [TrainBench.self, EnvBench.self, CheckpointBench.self, RatioBench.self, ProjectBench.self, KernelCommand.self, ReportBench.self, StoreBench.self],
        defaultSubcommand: TrainBench.self)
}

/// Whole training (rollout + updates) of one method.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Whole-training env steps/s (the default: mcpo-bench METHOD ...).")

    @Argument(help: "Method to train (case-insensitive): \(MethodCatalog.names.joined(separator: ", ")).")
    var method: String

    @Option(help: "Environment id.")
    var env: String = "Pendulum"

    @Option(help: "Environment steps to time (all actors together).")
    var steps: Int = 8192 * 12

    @Option(help: "Actors (default: the paper's classic setting, 4).")
    var actors: Int = 4

    @Option(help: "Minibatch size B (default: 64, the classic setting; MuJoCo tasks: actors × 2048 / 32, Table 9's 32 minibatches).")
    var minibatchSize: Int?

    @Option(name: .customLong("N"), help: "MCPO memory size N (shorthand for --param N=n).")
    var memorySize: Int?

    @Option(name: .customLong("param"), help: "A method hyperparameter as key=value (repeatable), e.g. --param clip=0.1.")
    var params: [String] = []

    @Option(help: "Seed.")
    var seed: UInt64 = 0

    @Flag(help: "Continuous actions: the likelihood of the clipped action (the sweep key clipped_action_likelihood).")
    var clippedActionLikelihood = false

    @Flag(help: "Print {\"method\", \"env\", \"steps_per_s\", \"steps\", \"seconds\", \"blas_kernel\", \"cpu\"} as JSON.")
    var json = false

    func run() throws {
        let info = try BenchInput.method(method)
        var config = TrainingConfig(method: info.name, env: try BenchInput.environment(env), seed: seed, steps: steps)
        try BenchInput.apply(params: params, to: &config, method: info)
        if let memorySize { config.params["N"] = Double(memorySize) }
        config.actors = actors
        if let minibatchSize {
            guard minibatchSize > 0 else { throw CLIFailure.badInput("--minibatch-size: expected a whole number > 0, found \(minibatchSize)") }
            config.minibatchSize = minibatchSize
        } else if MuJoCoTask(rawValue: config.env) != nil {
            config.minibatchSize = max(1, actors * config.horizon / 32)
        }
        config.clippedActionLikelihood = clippedActionLikelihood
        config.choices = info.resolvedChoices(config.choices)  // the chosen defaults, as a sweep gets them
        let (rate, seconds, trainer, sink) = try measure(config)
        if json {
            var object: [String: Any] = ["method": info.name, "env": env, "steps_per_s": (rate * 10).rounded() / 10,
                                         "steps": trainer.stepsDone, "seconds": seconds,
                                         "blas_kernel": NumericPlatform.blasKernel,
                                         "blas_kernel_source": NumericPlatform.blasKernelSource, "cpu": NumericPlatform.cpu]
            if let n = config.params["N"] { object["N"] = Int(n) }
            if !config.choices.isEmpty { object["choices"] = config.choices }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "%@ on %@: %d env steps in %.2f s = %.0f env steps/s (1 core, %d actors, T %d, K %d, B %d)",
                         info.name, env, trainer.stepsDone, seconds, rate, config.actors, config.horizon,
                         config.epochs, config.minibatchSize))
            if let score = sink.last(MetricKey.score) {
                print(String(format: "  score (mean return of the last 100 training episodes): %.2f", score))
            }
            print(String(format: "  vs Stable-Baselines3 PPO on Pendulum (1,548 steps/s on this machine kind): %.1f×", rate / 1548))
            print("  BLAS kernel \(NumericPlatform.blasKernel) on \(NumericPlatform.cpu) (OPENBLAS_CORETYPE forces another)")
        }
    }
}

/// Trains `config` to its end on this core: env steps/s, seconds, the trainer and its metrics.
func measure(_ config: TrainingConfig) throws -> (rate: Double, seconds: Double, trainer: Trainer, sink: MemoryMetricSink) {
    let trainer: Trainer
    do { trainer = try Trainer(config: config) } catch { throw CLIFailure.badInput("\(error)") }
    let sink = MemoryMetricSink()
    let start = DispatchTime.now().uptimeNanoseconds
    try trainer.train(sink: sink)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (Double(trainer.stepsDone) / seconds, seconds, trainer, sink)
}

NumericPlatform.useBestKernel()  // may replace the process (OpenBLAS's kernel is chosen at load)
// `mcpo-bench METHOD …` is `mcpo-bench train METHOD …`: a method name is a first argument too.
CLI.main(Bench.self, tool: BenchInput.tool, accepting: { MethodCatalog.method(named: $0) != nil },
         otherNames: (label: "methods", names: MethodCatalog.names))
