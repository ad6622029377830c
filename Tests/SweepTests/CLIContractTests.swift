@testable import ExperimentStore
import Foundation
import GRDB
import Testing

/// docs/cli.md, the command-line contract of mcpo-sweep, mcpo-report and mcpo-bench, as a table:
/// every row of its exit-status table and of its error-format, --version, did-you-mean and
/// completion sections is a case here, run against the real executables (built next to this
/// bundle). A case: the tool, its arguments, a setup, the exit status, and the last line of
/// standard error (standard output for the successes). Every failing case also checks the
/// error format itself: each line on standard error is `TOOL: …` (or a progress line), and
/// exactly one, the last, is `TOOL: error: …`.
@Suite(.serialized) struct CLIContractTests {
    enum Program: String, Sendable {
        case sweep = "mcpo-sweep", report = "mcpo-report", bench = "mcpo-bench"

        var path: String? {
            guard let sweep = Tool.binary else { return nil }
            return URL(fileURLWithPath: sweep).deletingLastPathComponent().appendingPathComponent(rawValue).path
        }
    }

    /// What a case needs besides its arguments (each case gets a fresh scratch directory with
    /// the files `tiny.yaml`, `mixed.yaml`, `long.yaml`, `bad.yaml`, `garbage.sqlite`).
    enum Setup: Sendable {
        case none
        /// `s.sqlite` holds sweep 'tiny' (4 pending runs, stored by `submit`); `empty.sqlite` is a
        /// store without sweeps.
        case store
        /// `s.sqlite` as for `.store`, its directory and file made read-only, the command run as
        /// the user nobody when this process is root.
        case readOnlyStore
        /// `s.sqlite` as for `.store`, run 1's config damaged behind the parser's back: its
        /// worker fails (not a divergence).
        case brokenRun
        /// `ulimit -n 128` before the command.
        case lowFileLimit
        /// `mcpo-sweep cancel long` once the command's run is training.
        case cancelWhileRunning
        /// The store deleted once the command's run is training.
        case deleteStoreWhileRunning
        /// SIGTERM once the command (a daemon) has started.
        case sigterm
        /// `MCPO_FAULT_UNEXPECTED_ERROR=1`: the command throws an error no tool expects.
        case unexpectedError
    }

    struct Case: Sendable, CustomTestStringConvertible {
        /// The row of docs/cli.md it checks ("exit 2", "did-you-mean", "--version", …).
        let row: String
        let tool: Program
        let arguments: [String]
        var setup: Setup = .none
        let status: Int32
        /// The expected last line of standard error (or of standard output, when `status` is 0):
        /// its start, and its end when `suffix` is set.
        let line: String
        var suffix: String? = nil
        /// A text that must not be on standard error.
        var forbidden: String? = nil

        var testDescription: String { "\(row): \(tool.rawValue) \(arguments.joined(separator: " "))" }
    }

    static let schema = StoreSchema.version

    static let cases: [Case] = [
        // 0 success; --version; --json
        Case(row: "exit 0, --version", tool: .sweep, arguments: ["--version"], status: 0,
             line: "mcpo-sweep 0.", suffix: " (store schema \(schema))"),
        Case(row: "exit 0, --version", tool: .report, arguments: ["--version"], status: 0,
             line: "mcpo-report 0.", suffix: " (store schema \(schema))"),
        Case(row: "exit 0, --version", tool: .bench, arguments: ["--version"], status: 0,
             line: "mcpo-bench 0.", suffix: " (store schema \(schema))"),
        Case(row: "exit 0, --help", tool: .sweep, arguments: ["--help"], status: 0,
             line: "  See 'mcpo-sweep help <subcommand>' for detailed help."),
        Case(row: "exit 0, --help", tool: .report, arguments: ["--help"], status: 0,
             line: "  See 'mcpo-report help <subcommand>' for detailed help."),
        Case(row: "exit 0, --help", tool: .bench, arguments: ["--help"], status: 0,
             line: "  See 'mcpo-bench help <subcommand>' for detailed help."),
        Case(row: "exit 0, --json", tool: .sweep, arguments: ["status", "--db", "s.sqlite", "--json"], setup: .store, status: 0,
             line: "{\"total\": 4, \"runs\": {\"pending\": 4, \"running\": 0, \"done\": 0, \"failed\": 0}}"),

        // 1 runs failed: a diverged run is not offered a retry; another failure is
        Case(row: "exit 1", tool: .sweep, arguments: ["run", "mixed.yaml", "--db", "m.sqlite", "--workers", "2"], status: 1,
             line: "mcpo-sweep: error: sweep 'mixed': 1 run(s) failed: run 2 diverged deterministically (a retry gives the same numbers: change its config)",
             forbidden: "retry --failed"),
        Case(row: "exit 1", tool: .sweep, arguments: ["run", "tiny.yaml", "--db", "s.sqlite", "--workers", "2"], setup: .brokenRun, status: 1,
             line: "mcpo-sweep: error: sweep 'tiny': 1 run(s) failed: run 1 failed otherwise (retry it with 'mcpo-sweep retry --failed')"),

        // 2 bad input, in every tool: a file, an option's value, a name not in the store, no such store
        Case(row: "exit 2, error format", tool: .sweep, arguments: ["run", "bad.yaml", "--db", "s.sqlite"], status: 2,
             line: "mcpo-sweep: error: bad.yaml:3:26: key 'envs.Pendulum.steps': expected an integer in [1, 1000000000000], found 0"),
        Case(row: "exit 2", tool: .sweep, arguments: ["status", "--db", "none.sqlite"], status: 2,
             line: "mcpo-sweep: error: none.sqlite: no such store"),
        Case(row: "exit 2", tool: .sweep, arguments: ["status", "--db", "garbage.sqlite"], status: 2,
             line: "mcpo-sweep: error: garbage.sqlite: cannot open the store as an SQLite database (file is not a database)"),
        Case(row: "exit 2", tool: .sweep, arguments: ["logs", "99", "--db", "s.sqlite"], setup: .store, status: 2,
             line: "mcpo-sweep: error: s.sqlite: no run with id 99 (runs are 1…4; see 'mcpo-sweep list')"),
        Case(row: "exit 2, did-you-mean", tool: .sweep, arguments: ["cancel", "tinny", "--db", "s.sqlite"], setup: .store, status: 2,
             line: "mcpo-sweep: error: s.sqlite: no sweep named 'tinny' (stored: tiny); did you mean 'tiny'?"),
        Case(row: "exit 2", tool: .sweep, arguments: ["run", "tiny.yaml", "--db", "s.sqlite", "--workers", "0"], status: 2,
             line: "mcpo-sweep: error: --workers: expected an integer in [1, "),
        Case(row: "exit 2", tool: .report, arguments: ["table1", "--db", "none.sqlite"], status: 2,
             line: "mcpo-report: error: none.sqlite: no such store (run `mcpo-sweep run FILE` first, or pass --db PATH)"),
        Case(row: "exit 2", tool: .report, arguments: ["export", "--db", "none.sqlite"], status: 2,
             line: "mcpo-report: error: none.sqlite: no such store"),
        Case(row: "exit 2", tool: .report, arguments: ["table1", "--db", "garbage.sqlite"], status: 2,
             line: "mcpo-report: error: garbage.sqlite: cannot open the store as an SQLite database"),
        Case(row: "exit 2", tool: .report, arguments: ["table1", "--db", "s.sqlite", "--sweep", "tinny"], setup: .store, status: 2,
             line: "mcpo-report: error: no sweep named 'tinny' (stored: tiny)"),
        Case(row: "exit 2", tool: .report, arguments: ["table1", "--db", "empty.sqlite"], setup: .store, status: 2,
             line: "mcpo-report: error: empty.sqlite: the store has no sweeps yet"),
        Case(row: "exit 2", tool: .report, arguments: ["table1", "--db", "s.sqlite"], setup: .store, status: 2,
             line: "mcpo-report: error: sweep 'tiny' has no finished run with a 'score' metric yet (4 runs: 4 pending"),
        Case(row: "exit 2", tool: .report, arguments: ["table1", "--db", "s.sqlite", "--reference", "missing.csv"], setup: .store, status: 2,
             line: "mcpo-report: error: missing.csv: cannot read the reference table"),
        Case(row: "exit 2", tool: .report, arguments: ["curves", "--db", "s.sqlite", "--smooth", "0"], setup: .store, status: 2,
             line: "mcpo-report: error: --smooth: expected a whole number ≥ 1, found 0"),
        Case(row: "exit 2", tool: .bench, arguments: ["ppo", "--param", "clip=abc"], status: 2,
             line: "mcpo-bench: error: --param clip: expected a number > 0, found 'abc'"),
        Case(row: "exit 2, did-you-mean", tool: .bench, arguments: ["ppo", "--param", "clp=0.1"], status: 2,
             line: "mcpo-bench: error: --param clp: PPO has no parameter 'clp' (parameters: clip); did you mean 'clip'?"),
        Case(row: "exit 2", tool: .bench, arguments: ["env", "--env", "Pendulum", "--episodes", "0"], status: 2,
             line: "mcpo-bench: error: --episodes: expected a whole number > 0, found 0"),
        Case(row: "exit 2", tool: .bench, arguments: ["project", "bad.yaml"], status: 2,
             line: "mcpo-bench: error: bad.yaml:3:26: key 'envs.Pendulum.steps'"),

        // 3 cancelled
        Case(row: "exit 3", tool: .sweep, arguments: ["run", "long.yaml", "--db", "l.sqlite", "--workers", "1"], setup: .cancelWhileRunning,
             status: 3, line: "mcpo-sweep: error: sweep 'long': cancelled; its unfinished runs are pending (run or submit the file again to resume)"),

        // 4 cannot start workers
        Case(row: "exit 4", tool: .sweep, arguments: ["run", "tiny.yaml", "--workers", "2"], setup: .lowFileLimit, status: 4,
             line: "mcpo-sweep: error: cannot start workers: only 128 open files allowed (ulimit -n), 256 needed; raise the limit"),

        // 5 store unavailable: read-only where writing is needed
        Case(row: "exit 5", tool: .sweep, arguments: ["cancel", "tiny", "--db", "ro/s.sqlite"], setup: .readOnlyStore, status: 5,
             line: "mcpo-sweep: error: ro/s.sqlite: the store cannot be written here (Permission denied)"),
        Case(row: "exit 5", tool: .sweep, arguments: ["submit", "tiny.yaml", "--db", "ro/s.sqlite"], setup: .readOnlyStore, status: 5,
             line: "mcpo-sweep: error: ro/s.sqlite: the store cannot be written here (Permission denied)"),

        // 6 store gone
        Case(row: "exit 6", tool: .sweep, arguments: ["run", "long.yaml", "--db", "g.sqlite", "--workers", "1"], setup: .deleteStoreWhileRunning,
             status: 6, line: "mcpo-sweep: error: sweep 'long': g.sqlite: the store was deleted while in use; stopped"),

        // 64 usage: unknown command or option, missing argument, a value of the wrong type or not among the choices
        Case(row: "exit 64, did-you-mean", tool: .sweep, arguments: ["rn", "tiny.yaml"], status: 64,
             line: "mcpo-sweep: error: unknown command 'rn' (commands: run, daemon, submit, status, list, show, logs, retry, cancel, slurm, copy); did you mean 'run'?"),
        Case(row: "exit 64, did-you-mean", tool: .report, arguments: ["tabel1"], status: 64,
             line: "mcpo-report: error: unknown command 'tabel1' (commands: table1, ", suffix: "; did you mean 'table1'?"),
        Case(row: "exit 64, did-you-mean", tool: .bench, arguments: ["pp"], status: 64,
             line: "mcpo-bench: error: unknown command 'pp' (commands: train, env, ", suffix: "; did you mean 'PPO'?"),
        Case(row: "exit 64, did-you-mean", tool: .sweep, arguments: ["run", "tiny.yaml", "--wrkers", "2"], status: 64,
             line: "mcpo-sweep: error: unknown option '--wrkers'; did you mean '--workers'? (see 'mcpo-sweep run --help')"),
        Case(row: "exit 64", tool: .sweep, arguments: ["run"], status: 64,
             line: "mcpo-sweep: error: missing expected argument '<file>' (see 'mcpo-sweep run --help')"),
        Case(row: "exit 64", tool: .report, arguments: ["table1", "--format"], status: 64,
             line: "mcpo-report: error: missing value for '--format <format>' (see 'mcpo-report table1 --help')"),
        Case(row: "exit 64", tool: .bench, arguments: ["env"], status: 64,
             line: "mcpo-bench: error: missing expected argument '--env <env>' (see 'mcpo-bench env --help')"),
        Case(row: "exit 64", tool: .sweep, arguments: ["logs", "first"], status: 64,
             line: "mcpo-sweep: error: <run-id>: expected an integer, found 'first'"),
        Case(row: "exit 64", tool: .sweep, arguments: ["run", "tiny.yaml", "--workers", "zero"], status: 64,
             line: "mcpo-sweep: error: --workers: expected an integer, found 'zero'"),
        Case(row: "exit 64", tool: .report, arguments: ["serve", "--port", "http"], status: 64,
             line: "mcpo-report: error: --port: expected an integer, found 'http'"),
        Case(row: "exit 64", tool: .bench, arguments: ["ppo", "--steps", "many"], status: 64,
             line: "mcpo-bench: error: --steps: expected an integer, found 'many'"),
        Case(row: "did-you-mean", tool: .sweep, arguments: ["list", "--status", "don"], status: 64,
             line: "mcpo-sweep: error: --status: expected one of pending, running, done, failed, found 'don'; did you mean 'done'?"),
        Case(row: "did-you-mean", tool: .report, arguments: ["table1", "--format", "jsn"], status: 64,
             line: "mcpo-report: error: --format: expected one of term, md, latex, csv, json, found 'jsn'; did you mean 'json'?"),
        Case(row: "did-you-mean", tool: .report, arguments: ["table1", "--score", "bst"], status: 64,
             line: "mcpo-report: error: --score: expected one of final, best, eval, best-eval, found 'bst'; did you mean 'best'?"),
        Case(row: "did-you-mean", tool: .bench, arguments: ["env", "--env", "Pendulum", "--policy", "randm"], status: 64,
             line: "mcpo-bench: error: --policy: expected one of random, zero, found 'randm'; did you mean 'random'?"),
        Case(row: "did-you-mean", tool: .bench, arguments: ["ppo", "--env", "Pendulm"], status: 64,
             line: "mcpo-bench: error: --env: expected one of Pendulum, ", suffix: "found 'Pendulm'; did you mean 'Pendulum'?"),
        Case(row: "did-you-mean", tool: .bench, arguments: ["train", "ppx"], status: 64,
             line: "mcpo-bench: error: <method>: expected one of ", suffix: "found 'ppx'; did you mean 'PPO'?"),

        // 70 internal error, in every tool
        Case(row: "exit 70", tool: .sweep, arguments: ["status", "--db", "s.sqlite"], setup: .unexpectedError, status: 70,
             line: "mcpo-sweep: error: internal error: a fault injected by MCPO_FAULT_UNEXPECTED_ERROR"),
        Case(row: "exit 70", tool: .report, arguments: ["table1", "--db", "s.sqlite"], setup: .unexpectedError, status: 70,
             line: "mcpo-report: error: internal error: a fault injected by MCPO_FAULT_UNEXPECTED_ERROR"),
        Case(row: "exit 70", tool: .bench, arguments: ["kernel"], setup: .unexpectedError, status: 70,
             line: "mcpo-bench: error: internal error: a fault injected by MCPO_FAULT_UNEXPECTED_ERROR"),

        // 128+N stopped by signal N: a notice, not an error line
        Case(row: "exit 128+N", tool: .sweep, arguments: ["daemon", "--db", "d.sqlite", "--workers", "1"], setup: .sigterm,
             status: 128 + SIGTERM, line: "mcpo-sweep: [", suffix: "] daemon stopped by signal 15; start it again to continue"),

        // completion scripts (and a shell ArgumentParser has none for)
        Case(row: "completion", tool: .sweep, arguments: ["--generate-completion-script", "bash"], status: 0,
             line: "complete -o filenames -F _mcpo-sweep mcpo-sweep"),
        Case(row: "completion", tool: .report, arguments: ["--generate-completion-script", "bash"], status: 0,
             line: "complete -o filenames -F _mcpo-report mcpo-report"),
        Case(row: "completion", tool: .bench, arguments: ["--generate-completion-script", "bash"], status: 0,
             line: "complete -o filenames -F _mcpo-bench mcpo-bench"),
        Case(row: "completion", tool: .sweep, arguments: ["--generate-completion-script", "tcsh"], status: 64,
             line: "mcpo-sweep: error: can't generate completion scripts for 'tcsh'"),
    ]

    @Test(arguments: cases) func theContract(_ c: Case) throws {
        let scratch = try Scratch()
        let result = try Self.run(c, in: scratch)
        #expect(result.status == c.status, "exit \(result.status)\nstdout: \(result.stdout)\nstderr: \(result.stderr)")
        let lines = Self.lines(c.status == 0 ? result.stdout : result.stderr)
        let last = lines.last ?? ""
        #expect(last.hasPrefix(c.line) && c.suffix.map { last.hasSuffix($0) } != false,
                "expected \(c.line)…\(c.suffix ?? ""), found \(last)\nstderr: \(result.stderr)")
        if let forbidden = c.forbidden { #expect(!result.stderr.contains(forbidden), "\(result.stderr)") }
        guard c.status != 0 else { return }
        // The error format: every line `TOOL: …`; one error line, the last (none when stopped by a signal).
        let tool = c.tool.rawValue
        let others = Self.lines(result.stderr).filter { !$0.hasPrefix(tool + ": ") }
        #expect(others.isEmpty, "lines not in the format: \(others)")
        let errors = Self.lines(result.stderr).filter { $0.hasPrefix(tool + ": error: ") }
        if c.status > 128 {
            #expect(errors.isEmpty, "\(errors)")
        } else {
            #expect(errors.count == 1 && errors.last == last, "\(result.stderr)")
        }
    }

    /// The lines of `text`, each as a terminal shows it after its carriage returns, without the
    /// progress lines (`[sweep] runs …`).
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { line in String(line.split(separator: "\r", omittingEmptySubsequences: false).last ?? "") }
            .filter { !$0.isEmpty && !$0.hasPrefix("[") }
    }

    static func run(_ c: Case, in scratch: Scratch) throws -> Tool.Result {
        let tool = try #require(c.tool.path)
        scratch.write("tiny.yaml", tinySweep)
        scratch.write("mixed.yaml", DaemonTests.mixed)
        scratch.write("long.yaml", DaemonTests.long)
        scratch.write("bad.yaml", "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 0}}\n")
        scratch.write("garbage.sqlite", String(repeating: "not a database\n", count: 300))
        switch c.setup {
        case .none:
            return try Tool.run(c.arguments, in: scratch.url, executable: tool)
        case .store:
            try storeTiny(in: scratch, at: "s.sqlite")
            _ = try Store(path: scratch.path("empty.sqlite"))
            return try Tool.run(c.arguments, in: scratch.url, executable: tool)
        case .unexpectedError:
            try storeTiny(in: scratch, at: "s.sqlite")
            return try Tool.run(c.arguments, in: scratch.url, environment: ["MCPO_FAULT_UNEXPECTED_ERROR": "1"], executable: tool)
        case .brokenRun:
            try storeTiny(in: scratch, at: "s.sqlite")
            try Store(path: scratch.path("s.sqlite")).pool.write { try $0.execute(sql: "UPDATE runs SET config_json = '{' WHERE id = 1") }
            return try Tool.run(c.arguments, in: scratch.url, executable: tool)
        case .readOnlyStore:
            let folder = scratch.url.appendingPathComponent("ro")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try storeTiny(in: scratch, at: "ro/s.sqlite")
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: scratch.path("ro/s.sqlite"))
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: scratch.url.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
            return try ReadOnlyStoreCommandsTests.runUnprivileged(tool, c.arguments, in: scratch.url)
        case .lowFileLimit:
            return try Tool.run(["-c", "ulimit -n 128 && exec \"$0\" \"$@\"", tool] + c.arguments, in: scratch.url, executable: "/bin/sh")
        case .cancelWhileRunning, .deleteStoreWhileRunning:
            let db = scratch.path(c.arguments[c.arguments.firstIndex(of: "--db")! + 1])
            let name = "log-\(UUID().uuidString)"
            let process = try Tool.start(c.arguments, in: scratch.url, log: name, executable: tool)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            #expect(Tool.wait(timeout: 30) {
                (try? Store.openReadOnly(path: db).runs(status: .running).contains { $0.stepsDone > 0 }) == true
            }, "the run never started training")
            if case .cancelWhileRunning = c.setup {
                let cancelled = try Tool.run(["cancel", "long", "--db", db], in: scratch.url, executable: tool)
                #expect(cancelled.status == 0, "\(cancelled.stderr)")
            } else {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            }
            process.waitUntilExit()
            return result(of: process, in: scratch, log: name)
        case .sigterm:
            let name = "log-\(UUID().uuidString)"
            let process = try Tool.start(c.arguments, in: scratch.url, log: name, executable: tool)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            #expect(Tool.wait(timeout: 30) {
                ((try? String(contentsOf: scratch.url.appendingPathComponent(name + ".err"), encoding: .utf8)) ?? "").contains(" daemon ")
            }, "the daemon never started")
            process.terminate()
            process.waitUntilExit()
            return result(of: process, in: scratch, log: name)
        }
    }

    /// Stores sweep 'tiny' (4 pending runs) at `path` with `mcpo-sweep submit`.
    static func storeTiny(in scratch: Scratch, at path: String) throws {
        let stored = try Tool.run(["submit", "tiny.yaml", "--db", path], in: scratch.url)
        #expect(stored.status == 0, "\(stored.stderr)")
    }

    static func result(of process: Process, in scratch: Scratch, log name: String) -> Tool.Result {
        Tool.Result(status: process.terminationStatus,
                    stdout: (try? String(contentsOf: scratch.url.appendingPathComponent(name + ".out"), encoding: .utf8)) ?? "",
                    stderr: (try? String(contentsOf: scratch.url.appendingPathComponent(name + ".err"), encoding: .utf8)) ?? "")
    }

    /// The three tools print the same version, the project's.
    @Test func theToolsShareOneVersion() throws {
        let scratch = try Scratch()
        let lines = try [Program.sweep, .report, .bench].map { program in
            try Tool.run(["--version"], in: scratch.url, executable: try #require(program.path)).stdout
        }
        let versions = lines.map { $0.split(separator: " ").dropFirst().joined(separator: " ") }
        #expect(Set(versions).count == 1 && versions[0].hasSuffix("(store schema \(StoreSchema.version))\n"), "\(lines)")
    }

    /// The bash completion script completes commands and an option's values (as docs/cli.md's
    /// install lines use it).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash"))) func bashCompletesValues() throws {
        let scratch = try Scratch()
        // (the tool, the words after it with the one being completed last, the completions)
        let cases: [(Program, [String], String)] = [
            (.sweep, ["list", "--status", ""], "pending running done failed"),
            (.report, ["table1", "--format", ""], "term md latex csv json"),
            (.bench, ["e"], "env"),
        ]
        for (program, words, expected) in cases {
            let path = try #require(program.path)
            let tool = program.rawValue
            let script = try Tool.run(["--generate-completion-script", "bash"], in: scratch.url, executable: path)
            scratch.write("\(tool).bash", script.stdout)
            let all = [tool] + words
            let shell = """
                source ./\(tool).bash
                COMP_WORDS=(\(all.map { "'\($0)'" }.joined(separator: " "))); COMP_CWORD=\(all.count - 1)
                COMP_LINE='\(all.joined(separator: " "))'; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
                _\(tool) \(tool) '\(all[all.count - 1])' '\(all[all.count - 2])'; echo "${COMPREPLY[*]}"
                """
            let completed = try Tool.run(["-c", shell], in: scratch.url, executable: "/bin/bash")
            #expect(completed.status == 0 && completed.stdout == expected + "\n", "\(all): \(completed.stdout) \(completed.stderr)")
        }
    }

    /// Every exit status of docs/cli.md's table is a case above, or names the test that covers it.
    @Test func everyRowOfTheDocumentedTableIsTested() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/cli.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Exit statuses").dropFirst().first)
        let rows = section.components(separatedBy: "\n## ").first!.split(separator: "\n").filter { $0.hasPrefix("| ") }.dropFirst()   // its header
        let codes = rows.map { $0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces) }
        #expect(codes == ["0", "1", "2", "3", "4", "5", "6", "64", "70", "128+N"], "\(codes)")
        for code in codes {
            let status: Int32 = code == "128+N" ? 128 + SIGTERM : Int32(code)!
            #expect(Self.cases.contains { $0.status == status }, "exit \(code) has no case in CLIContractTests")
        }
        // The contract's other sections, each with its cases.
        for (heading, row) in [("## Error format", "error format"), ("## --version", "--version"), ("## --json", "--json"),
                               ("## Did you mean", "did-you-mean"), ("## Shell completion", "completion")] {
            #expect(text.contains(heading) && Self.cases.contains { $0.row.contains(row) }, "\(heading)")
        }
    }
}
