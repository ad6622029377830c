@testable import ExperimentStore
import Foundation
import GRDB
import Testing

@Suite struct StoreOpeningTests {
    @Test func newStoreIsWALWithForeignKeysAndSchema() throws {
        let t = try TemporaryStore()
        let mode = try t.store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let fk = try t.store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(fk == 1)
        let tables = try t.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(Set(["sweeps", "runs", "metrics"]).isSubset(of: Set(tables)))
    }

    @Test func openingAnExistingStoreTwiceSharesItAndMigratesOnce() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 2)
        let second = try Store(path: t.path)
        let third = try Store(path: t.path)
        #expect(try second.statusCounts().total == 2)
        try second.insertSweep(Fixtures.sweep("b"), runs: Fixtures.runs(1))
        #expect(try t.store.statusCounts().total == 3)
        #expect(try third.sweeps().map(\.name) == ["a", "b"])
        #expect(try t.count("SELECT COUNT(*) FROM grdb_migrations") == SchemaMigrations.all.count)
    }

    @Test func reopeningDoesNotChangeTheFile() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 2)
        _ = try t.store.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        let before = try Data(contentsOf: URL(fileURLWithPath: t.path))
        _ = try Store(path: t.path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: t.path)) == before)
    }

    @Test func storeOfANewerSchemaIsRefusedUntouched() throws {
        let t = try TemporaryStore()
        try t.store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('999_from_the_future')")
        }
        _ = try t.store.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        let before = try Data(contentsOf: URL(fileURLWithPath: t.path))
        #expect(throws: StoreError.newerSchema(path: t.path, migration: "999_from_the_future")) {
            _ = try Store(path: t.path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: t.path)) == before)
    }

    @Test func notADatabaseIsRefusedUntouched() throws {
        let t = try TemporaryStore()
        let path = t.directory.appendingPathComponent("notes.sqlite").path
        let text = Data(String(repeating: "not a database\n", count: 100).utf8)
        _ = FileManager.default.createFile(atPath: path, contents: text)
        #expect {
            _ = try Store(path: path)
        } throws: { error in
            guard case .cannotOpen = error as? StoreError else { return false }
            return true
        }
        #expect(FileManager.default.contents(atPath: path) == text)
    }

    @Test func openExistingDoesNotCreateAFile() throws {
        let t = try TemporaryStore()
        let path = t.directory.appendingPathComponent("missing.sqlite").path
        #expect(throws: StoreError.noSuchStore(path: path)) { _ = try Store.openExisting(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

@Suite struct ReadOnlyStoreTests {
    @Test func aReadOnlyHandleReadsWithoutChangingTheFile() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 2)
        _ = try t.store.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        let before = try Data(contentsOf: URL(fileURLWithPath: t.path))
        let ro = try Store.openReadOnly(path: t.path)
        #expect(ro.isReadOnly && !t.store.isReadOnly)
        #expect(try ro.statusCounts().pending == 2)
        #expect(try ro.sweeps().map(\.name) == ["a"])
        #expect(try ro.runs().count == 2 && ro.runIDRange() == 1...2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: t.path)) == before)
        // Read-only: writing through it fails, and changes nothing.
        #expect(throws: DatabaseError.self) { try ro.pool.write { db in try db.execute(sql: "DELETE FROM runs") } }
        #expect(throws: DatabaseError.self) { try ro.insertSweep(Fixtures.sweep("b"), runs: Fixtures.runs(1)) }
        #expect(try t.store.statusCounts().total == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: t.path)) == before)
    }

    @Test func checkSweepRefusesAChangeWithoutWriting() throws {
        let t = try TemporaryStore()
        try t.sweep("a", runs: 2)
        let ro = try Store.openReadOnly(path: t.path)
        let changed = Fixtures.sweep("a", spec: #"{"methods":{"PPO":{"clip":[0.3]}},"seeds":[0,1,2]}"#)
        #expect(throws: StoreError.sweepChanged(name: "a", changes: ["methods.PPO.clip: [0.1, 0.2] → [0.3]"])) {
            try ro.checkSweep(changed, runs: Fixtures.runs(2))
        }
        #expect(try ro.checkSweep(Fixtures.sweep("a"), runs: Fixtures.runs(2))?.name == "a")
        #expect(try ro.checkSweep(Fixtures.sweep("b"), runs: []) == nil)
    }

    @Test func aReadOnlyHandleRefusesMissingNewerAndForeignFiles() throws {
        let t = try TemporaryStore()
        let missing = t.directory.appendingPathComponent("missing.sqlite").path
        #expect(throws: StoreError.noSuchStore(path: missing)) { _ = try Store.openReadOnly(path: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))
        let text = t.directory.appendingPathComponent("text.sqlite").path
        _ = FileManager.default.createFile(atPath: text, contents: Data(String(repeating: "hello\n", count: 200).utf8))
        #expect {
            _ = try Store.openReadOnly(path: text)
        } throws: { error in
            guard case .cannotOpen = error as? StoreError else { return false }
            return true
        }
        try t.store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('999_from_the_future')")
        }
        #expect(throws: StoreError.newerSchema(path: t.path, migration: "999_from_the_future")) {
            _ = try Store.openReadOnly(path: t.path)
        }
    }

    /// A store of migration 001 only (no checkpoints, events or attempts tables) is read as it
    /// is: nothing is migrated.
    @Test func aReadOnlyHandleReadsAnOlderSchemaWithoutMigratingIt() throws {
        let t = try TemporaryStore()
        let path = try t.olderStore("old.sqlite", migrations: 1,
                                    extra: "INSERT INTO metrics (run_id, step, key, value) VALUES (1, 10, 'score', -3);")
        let ro = try Store.openReadOnly(path: path)
        #expect(try ro.runs().map(\.id) == [1])
        // Metrics written before checksums existed read unverified (no metric_checksums table).
        #expect(try ro.metrics(runID: 1).map(\.value) == [-3] && ro.lastMetric(runID: 1, key: "score")?.value == -3)
        #expect(try ro.checkpointInfos().isEmpty && ro.events(runID: 1).isEmpty && ro.attempts(runID: 1).isEmpty)
        #expect(try ro.liveSchedulers().isEmpty)
        #expect(try ro.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") } == 1)
    }
}

/// Issue 11, defect 6: a new store that cannot be written in full (a full disk, here a cap of
/// two pages) leaves no half-made file behind.
@Test func aStoreThatCannotBeCreatedInFullLeavesNoFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-full-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("new.sqlite").path
    #expect { _ = try Store(path: path, maxPageCount: 2) } throws: { Store.isUnavailable($0) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [], "\((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])")
}
