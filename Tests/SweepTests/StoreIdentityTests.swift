@testable import ExperimentStore
import Foundation
import Testing
@testable import Sweep

/// Issue 11, defect 4: a store deleted or replaced while a sweep runs is noticed at once; the
/// scheduler kills its workers, writes nothing more and stops with one line (exit 6). A
/// replacement store is left byte for byte as it was, and the old store's write-ahead log is
/// moved aside so that SQLite never applies it to the new file.
@Suite(.serialized) struct StoreIdentityTests {
    static let long = """
        name: long
        seeds: 2
        defaults: {horizon: 64, epochs: 2, minibatch_size: 64, actors: 2}
        envs:
          Pendulum: {steps: 5000000}
        methods:
          PPO: {clip: 0.2}

        """

    /// Starts the long sweep and waits until both of its runs are trained by their workers.
    static func startLongSweep(in scratch: Scratch) throws -> Process {
        scratch.write("long.yaml", long)
        let scheduler = try Tool.start(["run", "long.yaml", "--workers", "2"], in: scratch.url, log: "s")
        #expect(Tool.wait(timeout: 30) {
            guard let store = try? Store.openReadOnly(path: scratch.path("mcpo.sqlite")) else { return false }
            return [1, 2].allSatisfy { (try? store.attempts(runID: $0).count) == 1 }
        })
        return scheduler
    }

    static func lines(_ scratch: Scratch) -> [String] {
        let log = (try? String(contentsOf: scratch.url.appendingPathComponent("s.err"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map(String.init).filter { !$0.contains("\r") && !$0.hasPrefix("[long]") }
    }

    @Test(.timeLimit(.minutes(2))) func aDeletedStoreStopsTheSweepWithOneLine() throws {
        let scratch = try Scratch()
        let scheduler = try Self.startLongSweep(in: scratch)
        let workers = Tool.children(of: scheduler.processIdentifier)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch.path("mcpo.sqlite" + suffix)) }
        scheduler.waitUntilExit()
        #expect(scheduler.terminationStatus == 6)
        #expect(Self.lines(scratch) == ["mcpo-sweep: sweep 'long': 2 runs stored in mcpo.sqlite",
                                        "mcpo-sweep: error: sweep 'long': mcpo.sqlite: the store was deleted while in use; stopped (what it held is gone with it)"])
        #expect(workers.count == 2 && workers.allSatisfy { kill($0, 0) != 0 })  // no worker trains on
        #expect(!FileManager.default.fileExists(atPath: scratch.path("mcpo.sqlite")))  // nothing recreated it
    }

    @Test(.timeLimit(.minutes(2))) func aReplacedStoreIsLeftAsItWas() throws {
        let scratch = try Scratch()
        // The other store: a small sweep of 4 runs, closed.
        scratch.write("tiny.yaml", tinySweep)
        let other = scratch.path("other.sqlite")
        #expect(try Tool.run(["submit", "tiny.yaml", "--db", other], in: scratch.url).status == 0)
        let bytes = try #require(FileManager.default.contents(atPath: other))
        #expect(!FileManager.default.fileExists(atPath: other + "-wal"))
        let scheduler = try Self.startLongSweep(in: scratch)
        #expect(rename(other, scratch.path("mcpo.sqlite")) == 0)
        scheduler.waitUntilExit()
        #expect(scheduler.terminationStatus == 6)
        #expect(Self.lines(scratch).last?.hasPrefix("mcpo-sweep: error: sweep 'long': mcpo.sqlite: the store was replaced by another file while in use; stopped without writing to it") == true,
                "\(Self.lines(scratch))")
        #expect(FileManager.default.contents(atPath: scratch.path("mcpo.sqlite")) == bytes)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("mcpo.sqlite-wal")))  // the old log moved aside
        let reopened = try Store.openReadOnly(path: scratch.path("mcpo.sqlite"))
        #expect(try reopened.runs().count == 4 && reopened.sweeps().map(\.name) == ["tiny"])
    }
}

extension StoreIdentityTests {
    /// The write-ahead log deleted mid-sweep (issue 11, defect 3's third case): stop with one line
    /// (exit 6), the store left consistent.
    @Test(.timeLimit(.minutes(3))) func aDeletedWriteAheadLogStopsTheSweepWithOneLine() throws {
        let scratch = try Scratch()
        let scheduler = try Self.startLongSweep(in: scratch)
        #expect(unlink(scratch.path("mcpo.sqlite-wal")) == 0)
        scheduler.waitUntilExit()
        #expect(scheduler.terminationStatus == 6)
        #expect(Self.lines(scratch).last == "mcpo-sweep: error: sweep 'long': mcpo.sqlite: the store's write-ahead log (mcpo.sqlite-wal) was deleted "
                + "while in use; stopped after copying what it held into the store (run the command again to continue)")
        let store = try Store.openReadOnly(path: scratch.path("mcpo.sqlite"))
        #expect(try store.runs().count == 2)
        #expect(try store.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }
}
