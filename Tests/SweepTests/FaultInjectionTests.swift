@testable import ExperimentStore
import Foundation
import GRDB
import Testing
import Trainer
@testable import Sweep

/// Issues 5 and 11: a small sweep whose processes are SIGKILLed at random moments, at least 30
/// times — a worker alone, the scheduler alone (its workers notice and give their runs back),
/// the scheduler with its workers, and a worker stopped inside a checkpoint transaction just
/// before its commit — still ends with every run done, each run's metrics equal, bit for bit
/// and row for row, to those of an uninterrupted reference run (trained in this process), no
/// duplicate row and no checkpoint left.
@Suite(.serialized) struct FaultInjectionTests {
    /// 6 runs (PPO and MCPO, 2 seeds), ~4 s each on one core, in iterations of 64 steps.
    static let sweep = """
        name: fault
        seeds: 2
        defaults: {horizon: 32, epochs: 2, minibatch_size: 32, actors: 2}
        envs:
          Pendulum: {steps: 400000}
        methods:
          PPO: {clip: [0.1, 0.3]}
          MCPO: {N: 3}

        """
    static let minimumKills = 30

    enum Victim: String, CaseIterable { case worker, scheduler, everything, checkpointWrite }

    /// This test's workers (of any parent: orphans of a killed scheduler too) stopped (state T)
    /// in a checkpoint transaction by the fault hook.
    static func stoppedWorkers(in dir: URL) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap(Int32.init).filter { pid in
            guard WorkerID.isProcessStopped(pid),
                  let cmdline = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8), cmdline.contains("worker"),
                  let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else { return false }
            return URL(fileURLWithPath: cwd).standardizedFileURL.path == dir.standardizedFileURL.path
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func sigkillsAtRandomMomentsLoseNothing() throws {
        let scratch = try Scratch()
        scratch.write("fault.yaml", Self.sweep)
        let arguments = ["run", "fault.yaml", "--workers", "2", "--checkpoint-seconds", "0.05",
                         // Kills land before an attempt's first checkpoint often enough that the
                         // default limit of 3 such attempts in a row could fail a run by chance.
                         "--max-stalls", "1000"]
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededGeneratorForTests(seed: seed)
        // One checkpoint transaction in eight stops its worker just before the commit.
        let faults = ["MCPO_FAULT_STOP_BEFORE_CHECKPOINT_COMMIT": "0.125"]
        var scheduler = try Tool.start(arguments, in: scratch.url, log: "scheduler-0", environment: faults)
        var kills: [Victim: Int] = [:]
        var processesKilled = 0
        var restarts = 0
        let db = scratch.path("mcpo.sqlite")
        // The store exists once the first scheduler stored the sweep.
        #expect(Tool.wait(timeout: 30) { FileManager.default.fileExists(atPath: db) })
        while kills.values.reduce(0, +) < Self.minimumKills {
            Thread.sleep(forTimeInterval: 0.1 + 0.3 * rng.unit())
            if !scheduler.isRunning {
                #expect(scheduler.terminationStatus == 0, "a scheduler ended with \(scheduler.terminationStatus) before the kills were done")
                break
            }
            // Workers stopped in a checkpoint transaction: killed there, or let go on.
            var victim = Victim.allCases[Int(rng.unit() * 3)]
            let stopped = Self.stoppedWorkers(in: scratch.url)
            for pid in stopped {
                if rng.unit() < 0.6 { kill(pid, SIGKILL); processesKilled += 1; victim = .checkpointWrite } else { kill(pid, SIGCONT) }
            }
            switch victim {
            case .checkpointWrite:
                break
            case .worker:
                let workers = Tool.children(of: scheduler.processIdentifier)
                guard !workers.isEmpty else { continue }
                kill(workers[Int(rng.unit() * Double(workers.count))], SIGKILL)
                processesKilled += 1
            case .scheduler, .everything:
                kill(scheduler.processIdentifier, SIGSTOP)   // frozen: it starts no new worker meanwhile
                if victim == .everything {
                    for worker in Tool.children(of: scheduler.processIdentifier) {
                        kill(worker, SIGKILL)
                        processesKilled += 1
                    }
                }
                kill(scheduler.processIdentifier, SIGKILL)
                processesKilled += 1
                scheduler.waitUntilExit()
                restarts += 1
                scheduler = try Tool.start(arguments, in: scratch.url, log: "scheduler-\(restarts)", environment: faults)
            }
            kills[victim, default: 0] += 1
        }
        // The last scheduler finishes the sweep; its workers still stop in checkpoints: let them go on.
        while scheduler.isRunning {
            for pid in Self.stoppedWorkers(in: scratch.url) { kill(pid, SIGCONT) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let log = (try? String(contentsOf: scratch.url.appendingPathComponent("scheduler-\(restarts).err"), encoding: .utf8)) ?? ""
        #expect(scheduler.terminationStatus == 0, "\(log)")

        let store = try Store.openExisting(path: db)
        let runs = try store.runs()
        #expect(runs.count == 6 && runs.allSatisfy { $0.status == .done }, "\(runs.map { "\($0.id) \($0.status) \($0.error ?? "")" })")
        let totalKills = kills.values.reduce(0, +)
        #expect(totalKills >= Self.minimumKills, "only \(totalKills) kills landed before the sweep ended (seed \(seed))")
        #expect((kills[.checkpointWrite] ?? 0) >= 1, "no kill inside a checkpoint transaction (seed \(seed))")
        let resumes = try store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM run_events WHERE kind = 'resumed'")! }
        #expect(resumes > 0, "no run ever resumed from a checkpoint")
        #expect(try store.checkpointInfos().isEmpty)
        #expect(try store.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        let duplicates = try store.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT run_id, key, step FROM metrics GROUP BY run_id, key, step HAVING COUNT(*) > 1)
                """)!
        }
        #expect(duplicates == 0)

        // Every run's metrics, row for row and bit for bit, against an uninterrupted run in this
        // process: bit-identity holds on one BLAS kernel, which every attempt ran.
        for run in runs {
            #expect(try store.attempts(runID: run.id).allSatisfy { $0.platform == Worker.platform },
                    "run \(run.id) ran on another platform than this process (\(Worker.platform))")
            #expect(try !store.events(runID: run.id).contains { $0.kind == .platformChanged })
            let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(run.configJSON.utf8))
            let sink = MemoryMetricSink()
            try Trainer(config: config).train(sink: sink)
            let expected = sink.rows.flatMap { row in row.metrics.map { "\($0.key) \(row.step) \($0.value.bitPattern)" } }.sorted()
            let stored = try store.metrics(runID: run.id).map { "\($0.key) \($0.step) \($0.value.bitPattern)" }.sorted()
            #expect(stored.count == expected.count, "run \(run.id): \(stored.count) metric rows, expected \(expected.count)")
            if stored != expected {
                let first = zip(stored, expected).first { $0 != $1 }.map { "stored '\($0.0)', reference '\($0.1)'" } ?? "in length"
                Issue.record("run \(run.id) (\(run.label)) differs from its uninterrupted reference (key step bits): first at \(first)")
            }
        }
        let attempts = runs.map(\.attempts).reduce(0, +)
        print("fault injection (seed \(seed)): \(totalKills) kills (\(kills[.worker] ?? 0) of a worker, \(kills[.scheduler] ?? 0) of the scheduler, "
            + "\(kills[.everything] ?? 0) of the scheduler and its workers, \(kills[.checkpointWrite] ?? 0) in a checkpoint transaction; "
            + "\(processesKilled) processes SIGKILLed), "
            + "\(restarts) scheduler restarts, \(attempts) attempts for 6 runs, \(resumes) resumes from checkpoints; "
            + "every run equals its uninterrupted reference")
    }
}

/// SplitMix64, for the kill schedule (its seed is printed when the test fails).
struct SeededGeneratorForTests {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
