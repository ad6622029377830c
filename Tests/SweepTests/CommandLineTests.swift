import ExperimentStore
import Foundation
import Testing
@testable import Sweep

/// `mcpo-sweep` itself, on tiny budgets (a few seconds in all). The binary is the one built
/// next to this test bundle by `swift test`.
@Suite(.serialized) struct CommandLineTests {
    static let binary: String? = {
        let dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [dir.appendingPathComponent("mcpo-sweep").path,
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mcpo-sweep").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func start(_ arguments: [String], in dir: URL) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.binary))
        process.arguments = arguments
        process.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    func finish(_ p: (Process, Pipe, Pipe)) -> Result {
        let out = p.1.fileHandleForReading.readDataToEndOfFile()
        let err = p.2.fileHandleForReading.readDataToEndOfFile()
        p.0.waitUntilExit()
        return Result(status: p.0.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    func sweep(_ arguments: [String], in dir: URL) throws -> Result { finish(try start(arguments, in: dir)) }

    @Test func runStatusAndRunAgain() throws {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep)
        let first = try sweep(["run", "tiny.yaml", "--workers", "2"], in: scratch.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("sweep 'tiny': 4 runs stored in mcpo.sqlite"))
        #expect(first.stderr.contains("[tiny] runs 4/4 done"))
        let status = try sweep(["status", "--json"], in: scratch.url)
        #expect(status.status == 0)
        #expect(status.stdout == "{\"total\": 4, \"runs\": {\"pending\": 0, \"running\": 0, \"done\": 4, \"failed\": 0}}\n")

        let store = try Store.openExisting(path: scratch.path("mcpo.sqlite"))
        let before = try store.runs()
        #expect(before.allSatisfy { $0.status == .done && $0.attempts == 1 })
        let again = try sweep(["run", "tiny.yaml"], in: scratch.url)
        #expect(again.status == 0)
        #expect(again.stderr.contains("already stored in mcpo.sqlite: 4 done, 0 failed, 0 to run"))
        #expect(try store.runs() == before)   // nothing inserted, nothing re-run

        let table = try sweep(["status"], in: scratch.url)
        #expect(table.stdout.contains("tiny"))
    }

    @Test func badInputIsOneLineAndTheStoreIsUntouched() throws {
        let scratch = try Scratch()
        scratch.write("tiny.yaml", tinySweep)
        #expect(try sweep(["run", "tiny.yaml", "--db", "s.sqlite"], in: scratch.url).status == 0)
        let before = scratch.bytes(scratch.path("s.sqlite"))
        let cases: [(file: String, text: String, message: String)] = [
            ("bad.yaml", "name: x\nseeds: [0, 1\n", "mcpo-sweep: error: bad.yaml:3:1: malformed YAML"),
            ("bad.yaml", "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 0}}\n", "mcpo-sweep: error: bad.yaml:3:26: key 'envs.Pendulum.steps'"),
            ("changed.yaml", tinySweep.replacingOccurrences(of: "seeds: 2", with: "seeds: 3"),
             "mcpo-sweep: error: changed.yaml: s.sqlite: sweep 'tiny' is already stored with a different spec (seeds: [0, 1] → [0, 1, 2])"),
        ]
        for c in cases {
            scratch.write(c.file, c.text)
            let result = try sweep(["run", c.file, "--db", "s.sqlite"], in: scratch.url)
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix(c.message), "\(result.stderr)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
            #expect(scratch.bytes(scratch.path("s.sqlite")) == before)
        }
        let missing = try sweep(["status", "--db", "none.sqlite", "--json"], in: scratch.url)
        #expect(missing.status == 2)
        #expect(missing.stderr == "mcpo-sweep: error: none.sqlite: no such store\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("none.sqlite")))
        let flag = try sweep(["run", "tiny.yaml", "--workers", "zero"], in: scratch.url)
        #expect(flag.status == 64)
        #expect(flag.stderr.filter { $0 == "\n" }.count == 1, "\(flag.stderr)")
    }

    @Test func sigtermStopsWorkersAndPutsTheirRunsBack() throws {
        let scratch = try Scratch()
        scratch.write("long.yaml", """
            name: long
            seeds: 3
            defaults: {horizon: 128, epochs: 1, minibatch_size: 64, actors: 2}
            envs: {Pendulum: {steps: 100000000}}
            methods: {PPO: {clip: 0.2}}
            """)
        let running = try start(["run", "long.yaml", "--workers", "2"], in: scratch.url)
        let db = scratch.path("mcpo.sqlite")
        var store: Store?
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: db), let s = try? Store.openExisting(path: db),
               let runs = try? s.runs(status: .running), runs.count == 2, runs.allSatisfy({ $0.stepsDone > 0 }) {
                store = s
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let s = try #require(store, "the sweep never had 2 runs making progress")
        let stopped = Date()
        running.0.terminate()
        let result = finish(running)
        #expect(Date().timeIntervalSince(stopped) < 6)
        #expect(result.status == 128 + SIGTERM, "\(result.stderr)")
        #expect(result.stderr.contains("put back to pending"))
        let runs = try s.runs()
        #expect(runs.allSatisfy { $0.status == .pending && $0.worker == nil })
        #expect(runs.map(\.attempts) == [1, 1, 0])
    }
}
