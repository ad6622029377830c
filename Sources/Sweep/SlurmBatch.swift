import Foundation

/// The batch script `mcpo-sweep slurm` submits: one job array of `tasks` tasks, each running
/// `mcpo-sweep worker --until-empty` on the sweep, requeued by Slurm when its node fails or it
/// is preempted (`--requeue`). Slurm's time limit and `scancel` send SIGTERM: the worker
/// checkpoints the run in progress, gives it back and exits; the run continues in another task
/// (or a later job) from that checkpoint.
public struct SlurmBatch: Sendable, Equatable {
    public var sweep: String
    /// The store's address as the tasks use it (a `postgres://` URL).
    public var db: String
    /// The `mcpo-sweep` binary the tasks run: it must be at this path on every node.
    public var executable: String
    public var tasks: Int
    public var partition: String?
    /// Slurm's time limit (`HH:MM:SS`, `D-HH:MM:SS`, minutes).
    public var time: String?
    public var cpusPerTask = 1
    /// Where each task's output goes (`%A` the job, `%a` the task); appended to on requeue.
    public var output: String
    public var leaseSeconds: Double?
    public var checkpointSeconds: Double?
    /// More `#SBATCH` options, as given (`--account=A`, `--qos=Q`, …).
    public var extra: [String] = []

    public init(sweep: String, db: String, executable: String, tasks: Int, output: String) {
        self.sweep = sweep
        self.db = db
        self.executable = executable
        self.tasks = tasks
        self.output = output
    }

    /// `--time` as Slurm reads it: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS.
    public static func isTime(_ text: String) -> Bool {
        text.range(of: #"^(\d+-)?\d+(:\d{1,2}){0,2}$"#, options: .regularExpression) != nil
    }

    /// A word for a shell command line, single-quoted where it needs to be.
    static func quoted(_ word: String) -> String {
        if word.range(of: #"^[A-Za-z0-9_@%+=:,./-]+$"#, options: .regularExpression) != nil { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    public var script: String {
        var lines = ["#!/bin/bash",
                     "# mcpo-sweep slurm: sweep '\(sweep)', \(tasks) task(s), each claiming runs until none is left.",
                     "#SBATCH --job-name=\(Self.quoted("mcpo-" + sweep))",
                     "#SBATCH --array=0-\(tasks - 1)",
                     "#SBATCH --requeue",
                     "#SBATCH --open-mode=append",
                     "#SBATCH --output=\(Self.quoted(output))",
                     "#SBATCH --ntasks=1",
                     "#SBATCH --cpus-per-task=\(cpusPerTask)"]
        if let partition { lines.append("#SBATCH --partition=\(Self.quoted(partition))") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        lines += extra.map { "#SBATCH \($0)" }
        var command = [executable, "worker", "--until-empty", "--db", db, "--sweep", sweep]
        if let leaseSeconds { command += ["--lease-seconds", formatted(leaseSeconds)] }
        if let checkpointSeconds { command += ["--checkpoint-seconds", formatted(checkpointSeconds)] }
        lines += ["",
                  "# One BLAS thread per worker: parallelism comes from the tasks side by side.",
                  "export OPENBLAS_NUM_THREADS=1",
                  "# exec: the worker itself receives Slurm's SIGTERM (time limit, preemption, scancel).",
                  "exec " + command.map(Self.quoted).joined(separator: " "),
                  ""]
        return lines.joined(separator: "\n")
    }

    private func formatted(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}
