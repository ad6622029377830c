@testable import ExperimentStore
import Foundation
import GRDB
import Testing
@testable import Sweep

/// Bad input to the new commands: one line `mcpo-sweep: error: …` on standard error, a non-zero
/// exit, and the store's bytes unchanged (a missing store is not created).
@Suite(.serialized) struct CommandInputTests {
    struct Case {
        let arguments: [String]
        let status: Int32
        let message: String
    }

    @Test func badInputIsOneLineAndLeavesTheStoreAlone() throws {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep)
        #expect(try Tool.run(["run", "tiny.yaml", "--db", "s.sqlite"], in: scratch.url).status == 0)
        scratch.write("more.yaml", tinySweep.replacingOccurrences(of: "seeds: 2", with: "seeds: 3"))
        scratch.write("longer.yaml", tinySweep.replacingOccurrences(of: "steps: 512", with: "steps: 1024"))
        scratch.write("garbage.sqlite", String(repeating: "not a database\n", count: 300))
        let newer = scratch.path("newer.sqlite")
        do {
            let future = try Store(path: newer)
            try future.pool.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('999_future')") }
            _ = try future.pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        }   // closed here, before its bytes are taken
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let cases: [Case] = [
            Case(arguments: ["retry", "99", "--db", "s.sqlite"], status: 2,
                 message: "mcpo-sweep: error: s.sqlite: no run with id 99 (runs are 1…4; see 'mcpo-sweep list')"),
            Case(arguments: ["retry", "1", "--db", "s.sqlite"], status: 2,
                 message: "mcpo-sweep: error: s.sqlite: run 1 is done; only failed runs are retried"),
            Case(arguments: ["retry", "--db", "s.sqlite"], status: 2,
                 message: "mcpo-sweep: error: expected a run id or --failed (one of them), found neither"),
            Case(arguments: ["retry", "1", "--failed", "--db", "s.sqlite"], status: 2,
                 message: "mcpo-sweep: error: expected a run id or --failed (one of them), found both"),
            Case(arguments: ["retry", "--failed", "--sweep", "tinny", "--db", "s.sqlite"], status: 2,
                 message: "mcpo-sweep: error: s.sqlite: no sweep named 'tinny' (stored: tiny); did you mean 'tiny'?"),
            Case(arguments: ["cancel", "tinny", "--db", "s.sqlite"], status: 2,
                 message: "mcpo-sweep: error: s.sqlite: no sweep named 'tinny' (stored: tiny); did you mean 'tiny'?"),
            Case(arguments: ["logs", "42", "--db", "s.sqlite"], status: 2,
                 message: "mcpo-sweep: error: s.sqlite: no run with id 42"),
            Case(arguments: ["logs", "first", "--db", "s.sqlite"], status: 64,
                 message: "mcpo-sweep: error: <run-id>: expected an integer, found 'first'"),
            Case(arguments: ["list", "--status", "finished", "--db", "s.sqlite"], status: 64,
                 message: "mcpo-sweep: error: --status: expected one of pending, running, done, failed, found 'finished'"),
            Case(arguments: ["status", "--sweep", "Tiny", "--db", "s.sqlite"], status: 2,
                 message: "mcpo-sweep: error: s.sqlite: no sweep named 'Tiny' (stored: tiny); did you mean 'tiny'?"),
            Case(arguments: ["run", "more.yaml", "--db", "s.sqlite"], status: 2,
                 message: "mcpo-sweep: error: more.yaml: s.sqlite: sweep 'tiny' is already stored with a different spec (seeds: [0, 1] → [0, 1, 2]); store it separately with --new-name NAME, or add its new runs to 'tiny' with --extend"),
            Case(arguments: ["submit", "longer.yaml", "--db", "s.sqlite", "--extend"], status: 2,
                 message: "mcpo-sweep: error: longer.yaml: s.sqlite: cannot --extend sweep 'tiny': the edited file no longer expands to 4 of its stored runs (e.g. run 1 (PPO clip=0.1 Pendulum seed 0)) because of envs.Pendulum.steps: 512 → 1024; --extend only adds runs: store it separately with --new-name NAME"),
            Case(arguments: ["run", "more.yaml", "--db", "s.sqlite", "--extend", "--new-name", "x"], status: 2,
                 message: "mcpo-sweep: error: --new-name and --extend cannot be combined: pick one"),
            Case(arguments: ["submit", "more.yaml", "--db", "s.sqlite", "--new-name", ""], status: 2,
                 message: "mcpo-sweep: error: more.yaml: --new-name: expected a non-empty one-line name, found an empty name"),
            Case(arguments: ["submit", "more.yaml", "--db", "s.sqlite", "--new-name", "a\u{1B}[2Jb"], status: 2,
                 message: "mcpo-sweep: error: more.yaml: --new-name: expected a one-line name without control characters, found a name with the control character U+001B"),
            Case(arguments: ["run", "tiny.yaml", "--db", "s.sqlite", "--checkpoint-seconds", "0"], status: 2,
                 message: "mcpo-sweep: error: --checkpoint-seconds: expected a number of seconds > 0, found 0.0"),
            Case(arguments: ["daemon", "--db", "s.sqlite", "--workers", "0"], status: 2,
                 message: "mcpo-sweep: error: --workers: expected an integer in [1, \(4 * cores)] (4 per core on this machine's \(cores); --force-workers allows more), found 0"),
            Case(arguments: ["run", "tiny.yaml", "--db", "s.sqlite", "--workers", "1000000"], status: 2,
                 message: "mcpo-sweep: error: --workers: expected an integer in [1, \(4 * cores)] (4 per core on this machine's \(cores); --force-workers allows more), found 1000000"),
            Case(arguments: ["run", "tiny.yaml", "--db", "s.sqlite", "--workers", "1000000", "--force-workers"], status: 2,
                 message: "mcpo-sweep: error: --workers: expected an integer in [1, 1024] (the most --force-workers allows), found 1000000"),
            Case(arguments: ["run", "tiny.yaml", "--db", ""], status: 2,
                 message: "mcpo-sweep: error: --db: expected the path of the store, found an empty path"),
            Case(arguments: ["status", "--db", ""], status: 2,
                 message: "mcpo-sweep: error: --db: expected the path of the store, found an empty path"),
            Case(arguments: ["run", "tiny.yaml", "--db", "garbage.sqlite"], status: 2,
                 message: "mcpo-sweep: error: garbage.sqlite: cannot open the store as an SQLite database (file is not a database)"),
            Case(arguments: ["daemon", "--db", "garbage.sqlite"], status: 2,
                 message: "mcpo-sweep: error: garbage.sqlite: cannot open the store as an SQLite database (file is not a database)"),
            Case(arguments: ["list", "--db", "garbage.sqlite"], status: 2,
                 message: "mcpo-sweep: error: garbage.sqlite: cannot open the store as an SQLite database (file is not a database)"),
            Case(arguments: ["submit", "tiny.yaml", "--db", "newer.sqlite"], status: 2,
                 message: "mcpo-sweep: error: newer.sqlite: written by a newer mcpo (unknown schema migration 999_future); upgrade mcpo to read it"),
            Case(arguments: ["daemon", "--db", "newer.sqlite"], status: 2,
                 message: "mcpo-sweep: error: newer.sqlite: written by a newer mcpo (unknown schema migration 999_future); upgrade mcpo to read it"),
            Case(arguments: ["cancel", "tiny", "--db", "none.sqlite"], status: 2, message: "mcpo-sweep: error: none.sqlite: no such store"),
            Case(arguments: ["run", "tiny.yaml", "--db", "adir"], status: 2,
                 message: "mcpo-sweep: error: adir: cannot open the store as an SQLite database (it is a directory)"),
            Case(arguments: ["rn", "tiny.yaml"], status: 64,
                 message: "mcpo-sweep: error: unknown command 'rn' (commands: run, daemon, submit, status, list, show, logs, retry, cancel, slurm, copy); did you mean 'run'?"),
        ]
        try FileManager.default.createDirectory(atPath: scratch.path("adir"), withIntermediateDirectories: true)
        let files = ["s.sqlite", "garbage.sqlite", "newer.sqlite"]
        let before = files.map { scratch.bytes(scratch.path($0)) }
        for c in cases {
            let result = try Tool.run(c.arguments, in: scratch.url)
            #expect(result.status == c.status, "\(c.arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix(c.message), "\(c.arguments): \(result.stderr)")
            #expect(result.lines == 1, "\(c.arguments): \(result.stderr)")
            #expect(files.map { scratch.bytes(scratch.path($0)) } == before, "\(c.arguments) changed a store")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("none.sqlite")))
    }

    @Test func anEditedSweepIsStoredWithNewNameOrExtended() throws {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep)
        #expect(try Tool.run(["submit", "tiny.yaml"], in: scratch.url).status == 0)
        scratch.write("tiny.yaml", tinySweep.replacingOccurrences(of: "seeds: 2", with: "seeds: 3"))
        let extended = try Tool.run(["submit", "tiny.yaml", "--extend"], in: scratch.url)
        #expect(extended.status == 0 && extended.stderr.contains("sweep 'tiny' extended in mcpo.sqlite: 2 runs added (6 in all)"), "\(extended.stderr)")
        scratch.write("tiny.yaml", tinySweep.replacingOccurrences(of: "steps: 512", with: "steps: 640"))
        let renamed = try Tool.run(["run", "tiny.yaml", "--new-name", "tiny-640"], in: scratch.url)
        #expect(renamed.status == 0 && renamed.stderr.contains("sweep 'tiny-640': 4 runs stored"), "\(renamed.stderr)")
        let store = try Store.openExisting(path: scratch.path("mcpo.sqlite"))
        #expect(try store.sweeps().map(\.name) == ["tiny", "tiny-640"])
        #expect(try store.statusCounts().total == 10)
    }
}
