import ExperimentStore
import Foundation
@testable import PostgresStore
import Testing

/// The PostgreSQL backend's parts that need no server: addresses, the embedded schema, the
/// splitting of migration files into statements.
@Suite struct PostgresPiecesTests {
    @Test func addressesAreParsedAndBadOnesRefusedWithWhy() throws {
        let url = try PostgresURL("postgres://mcpo:s%40cret@db.example.org:6543/runs", environment: [:])
        #expect(url.user == "mcpo" && url.password == "s@cret" && url.host == "db.example.org" && url.port == 6543 && url.database == "runs")
        #expect(url.description == "postgres://mcpo@db.example.org:6543/runs")   // no password in messages
        let plain = try PostgresURL("postgresql://u@h/d?sslmode=disable", environment: ["PGPASSWORD": "p"])
        #expect(plain.port == 5432 && plain.password == "p")
        for (bad, why) in [("postgres://h/d", "no user"), ("postgres://u@h", "no database"), ("postgres://u@h/d?sslmode=require", "unsupported option"),
                           ("postgres://u:pw@h:99999/d", "out of range"), ("postgres://u@/d", "no host")] {
            do {
                _ = try PostgresURL(bad, environment: [:])
                Issue.record("accepted \(bad)")
            } catch let error as StoreError {
                guard case let .invalidAddress(shown, reason) = error else { Issue.record("\(error)"); continue }
                #expect(reason.contains(why), "\(bad): \(reason)")
                #expect(!shown.contains("pw"), "the password is shown: \(shown)")
            }
        }
        #expect(Stores.isPostgres("postgres://u@h/d") && !Stores.isPostgres("postgres.sqlite"))
    }

    /// schema/postgres/*.sql is the source of truth; PostgresMigrations.swift is generated from
    /// it by scripts/embed-schema.sh, numbered from the file names.
    @Test func embeddedMigrationsEqualTheFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("schema/postgres")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(PostgresMigrations.all.map(\.version) == files.map { Int($0.prefix { $0.isNumber })! })
        #expect(PostgresMigrations.all.map(\.version) == Array(1...files.count))
        for (file, migration) in zip(files, PostgresMigrations.all) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(migration.sql + "\n" == text, "\(file) differs from PostgresMigrations.swift: run scripts/embed-schema.sh")
        }
    }

    @Test func scriptsSplitAtTheSemicolonsThatEndStatements() {
        let sql = """
            -- a comment; not a statement
            CREATE TABLE t (a TEXT CHECK (a <> ';'), "b;c" INT); /* block; comment */
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'x;y'; RETURN NULL; END $$;
            DO $body$ BEGIN PERFORM 1; END $body$;
            INSERT INTO t VALUES ('it''s; fine', 1)
            """
        let statements = SQLScript.statements(sql).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(statements.count == 4, "\(statements)")
        #expect(statements[0].hasSuffix(#""b;c" INT)"#))
        #expect(statements[1].hasSuffix("RETURN NULL; END $$"))
        #expect(statements[2] == "DO $body$ BEGIN PERFORM 1; END $body$")
        #expect(statements[3] == "INSERT INTO t VALUES ('it''s; fine', 1)")
        // The shipped migrations: one statement per CREATE/ALTER/INSERT.
        for migration in PostgresMigrations.all {
            let pieces = SQLScript.statements(migration.sql)
            #expect(pieces.allSatisfy { piece in ["CREATE", "ALTER", "INSERT"].contains { piece.contains($0) } })
        }
    }

    /// A database migrated by a newer mcpo is refused, read-only or not, and left as it is; a
    /// database without the schema is `uninitialized` for readers (writers create it).
    @Test func newerAndUninitialisedDatabasesAreRefused() throws {
        let url = try TestPostgres.freshDatabase()
        #expect(throws: StoreError.uninitialized(path: url.description)) { try PostgresStore.openReadOnly(url: url) }
        let store = try PostgresStore(url: url)
        #expect(try store.schemaVersion() == PostgresMigrations.all.count)
        _ = try store.session.transaction(.write) { tx in
            try tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 'later')")
        }
        for open in [{ try PostgresStore(url: url) }, { try PostgresStore.openReadOnly(url: url) }] {
            #expect {
                _ = try open()
            } throws: { error in
                guard case let .newerSchema(_, migration)? = error as? StoreError else { return false }
                return migration.hasPrefix("999")
            }
        }
        // Read-only handles cannot write, on the server's word.
        var cleared = try PostgresStore(url: try TestPostgres.freshDatabase())
        cleared = try PostgresStore.openReadOnly(url: cleared.url)
        #expect(throws: StoreError.self) {
            try cleared.insertSweep(NewSweep(name: "s", specJSON: "{}", specHash: "h"), runs: [], now: 0)
        }
    }
}
