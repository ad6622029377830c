import ArgumentParser
import CLISupport
import Foundation
import LinearAlgebra
import Trainer

/// MCPO's cost against PPO's in one process (issue 12, point 6b): PPO, then MCPO at each N, on
/// the same environment, steps, seed and kernel; MCPO with the chosen defaults (or `--param`).
struct RatioBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ratios",
        abstract: "MCPO env steps/s as a fraction of PPO's, measured back to back in one process.")

    @Option(help: "Environment id.")
    var env: String = "Pendulum"

    @Option(help: "Environment steps to time per method (all actors together).")
    var steps: Int = 8192 * 12

    @Option(name: .customLong("N"), parsing: .upToNextOption, help: "MCPO memory sizes.")
    var sizes: [Int] = [5, 40]

    @Option(name: .customLong("param"), help: "An MCPO option or value as key=value (repeatable).")
    var params: [String] = []

    @Option(help: "Repetitions of the whole sequence; each figure is the best of them.")
    var repeats: Int = 2

    @Flag(help: "Print {\"ppo_steps_per_s\", \"mcpo\": [{\"N\", \"steps_per_s\", \"ratio\"}], \"blas_kernel\", ...} as JSON.")
    var json = false

    func run() throws {
        _ = try BenchInput.environment(env)
        let ppo = TrainingConfig(method: "PPO", env: env, seed: 0, steps: steps, params: ["clip": 0.2])
        let info = MethodCatalog.method(named: "MCPO")!
        var mcpo: [TrainingConfig] = []
        for n in sizes {
            var c = TrainingConfig(method: "MCPO", env: env, seed: 0, steps: steps, params: ["N": Double(n)])
            try BenchInput.apply(params: params, to: &c, method: info)
            c.choices = info.resolvedChoices(c.choices)
            mcpo.append(c)
        }
        var best = [Double](repeating: 0, count: 1 + mcpo.count)
        for _ in 0..<max(repeats, 1) {
            for (i, config) in ([ppo] + mcpo).enumerated() { best[i] = max(best[i], try measure(config).rate) }
        }
        if json {
            let rows: [[String: Any]] = zip(sizes, best.dropFirst()).map { n, rate in
                ["N": n, "steps_per_s": (rate * 10).rounded() / 10, "ratio": (rate / best[0] * 1000).rounded() / 1000]
            }
            let object: [String: Any] = [
                "env": env, "steps": steps, "ppo_steps_per_s": (best[0] * 10).rounded() / 10, "mcpo": rows,
                "mcpo_choices": mcpo.first?.choices ?? [:], "blas_kernel": NumericPlatform.blasKernel,
                "blas_kernel_source": NumericPlatform.blasKernelSource, "cpu": NumericPlatform.cpu,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "PPO clip 0.2 on %@: %.0f env steps/s (best of %d)", env, best[0], max(repeats, 1)))
            for (n, rate) in zip(sizes, best.dropFirst()) {
                print(String(format: "MCPO N=%d: %.0f env steps/s = %.2f× PPO", n, rate, rate / best[0]))
            }
            let shown = (mcpo.first?.choices ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            print("  MCPO options: \(shown.isEmpty ? "the paper-literal defaults" : shown.joined(separator: ", "))")
            print("  BLAS kernel \(NumericPlatform.blasKernel) (\(NumericPlatform.blasKernelSource)) on \(NumericPlatform.cpu)")
        }
    }
}

/// The OpenBLAS kernel this process runs, after `useBestKernel` (scripts/blas-kernel.sh reads it).
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Print the OpenBLAS kernel mcpo runs here, and how it was chosen.")

    @Flag(help: "Also print how it was chosen and the CPU.")
    var verbose = false

    func run() {
        print(verbose ? "\(NumericPlatform.blasKernel) (\(NumericPlatform.blasKernelSource)) on \(NumericPlatform.cpu)"
                      : NumericPlatform.blasKernel)
    }
}
