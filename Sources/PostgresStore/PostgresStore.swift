import ExperimentStore
import Foundation
import PostgresNIO

/// The experiment store in a PostgreSQL database: the same contract (`RunQueue`,
/// `ResultsReader`) and guarantees as `Store`, the SQLite file, for sweeps run by workers on
/// many machines (a Slurm cluster).
///
/// - The schema is `schema/postgres/*.sql`, applied in order under an advisory lock (so two
///   processes opening a new database at once migrate it once); each file records its version
///   in `schema_migrations`. A database with a version this binary does not know is refused
///   (`newerSchema`) and left untouched.
/// - Every operation is one transaction: writes at READ COMMITTED, where every change to a held
///   run is a single `UPDATE … WHERE status = 'running' AND worker = $holder` (the lease check and
///   the write are one atomic statement), and claims take the lowest pending run with
///   `FOR UPDATE SKIP LOCKED`, so concurrent claimers on any number of hosts never take one run
///   twice; reads in one snapshot (REPEATABLE READ).
/// - Waiting for a row lock gives up after 30 s (`lock_timeout`), like SQLite's busy timeout:
///   the operation then fails as `unavailable`, nothing written.
/// - A database dropped while in use is `storeGone`; one dropped and created again under its
///   name (another oid) is `storeGone(replaced: true)`.
public final class PostgresStore: @unchecked Sendable {
    public let url: PostgresURL
    public let isReadOnly: Bool
    let session: PostgresSession
    /// The database's oid when opened (`checkIdentity`).
    let databaseOID: Int64

    public var path: String { url.description }

    static let setUp = ["SET lock_timeout = '30s'", "SET application_name = 'mcpo'", "SET client_min_messages = warning"]

    /// Opens the store in the database at `url`, applying the migrations it lacks. The database
    /// must exist (`createdb`); `noSuchStore` otherwise.
    public init(url: PostgresURL) throws {
        self.url = url
        isReadOnly = false
        session = PostgresSession(url: url, setUp: Self.setUp)
        try Self.migrate(session)
        databaseOID = try Self.oid(session)
    }

    public convenience init(_ address: String) throws {
        try self.init(url: PostgresURL(address))
    }

    private init(readOnly url: PostgresURL) throws {
        self.url = url
        isReadOnly = true
        session = PostgresSession(url: url, setUp: Self.setUp + ["SET default_transaction_read_only = on"])
        try session.transaction(.read) { tx in _ = try Self.appliedVersions(tx, path: url.description, required: true) }
        databaseOID = try Self.oid(session)
    }

    /// Opens an existing store for reading only: never migrates, and every transaction is
    /// read-only on the server. `uninitialized` for a database without the store's schema,
    /// `newerSchema` for one migrated by a newer mcpo.
    public static func openReadOnly(url: PostgresURL) throws -> PostgresStore {
        try PostgresStore(readOnly: url)
    }

    /// Closes the connection (the next operation opens one again).
    public func close() { session.close() }

    private static func migrate(_ session: PostgresSession) throws {
        let path = session.url.description
        try session.transaction(.write) { tx in
            // One migrating process at a time: the others wait here, then find nothing to do.
            try tx.execute("SELECT pg_advisory_xact_lock(7131, 1)")
            let applied = try appliedVersions(tx, path: path, required: false)
            for migration in PostgresMigrations.all where !applied.contains(migration.version) {
                try tx.script(migration.sql)
                guard try tx.value(Int64.self, "SELECT count(*) FROM schema_migrations WHERE version = $1",
                                   [.int(Int64(migration.version))]) == 1 else {
                    throw StoreError.refused(path: path, reason: "migration \(migration.version) did not record itself")
                }
            }
        }
    }

    /// The versions recorded in `schema_migrations`; throws `newerSchema` for one this binary
    /// does not know, and (when `required`) `uninitialized` for a database without the table.
    private static func appliedVersions(_ tx: Transaction, path: String, required: Bool) throws -> Set<Int> {
        guard try tx.value(String.self, "SELECT to_regclass('schema_migrations')::text") != nil else {
            if required { throw StoreError.uninitialized(path: path) }
            return []
        }
        let applied = Set(try tx.query("SELECT version FROM schema_migrations").map { Int(try $0.first!.decode(Int32.self)) })
        if required && applied.isEmpty { throw StoreError.uninitialized(path: path) }
        let known = Set(PostgresMigrations.all.map(\.version))
        if let unknown = applied.subtracting(known).sorted().first {
            throw StoreError.newerSchema(path: path, migration: String(format: "%03d (schema/postgres)", unknown))
        }
        return applied
    }

    private static func oid(_ session: PostgresSession) throws -> Int64 {
        try session.transaction(.read) { tx in
            try tx.value(Int64.self, "SELECT oid::bigint FROM pg_database WHERE datname = current_database()") ?? 0
        }
    }

    /// The store's schema version (the highest migration applied).
    public func schemaVersion() throws -> Int {
        try session.transaction(.read) { tx in Int(try tx.value(Int32.self, "SELECT max(version) FROM schema_migrations") ?? 0) }
    }

    /// Throws `storeGone` when the database was dropped (or dropped and created again) since it
    /// was opened; `unavailable` when the server cannot be reached to tell.
    public func checkIdentity() throws {
        do {
            let now = try session.transaction(.read) { tx in
                try tx.value(Int64.self, "SELECT oid::bigint FROM pg_database WHERE datname = current_database()")
            }
            if now != databaseOID { throw StoreError.storeGone(path: path, replaced: now != nil) }
        } catch StoreError.noSuchStore {
            throw StoreError.storeGone(path: path, replaced: false)
        }
    }

    func write<T>(_ body: (Transaction) throws -> T) throws -> T { try session.transaction(.write, body) }
    func read<T>(_ body: (Transaction) throws -> T) throws -> T { try session.transaction(.read, body) }
}

extension PostgresStore: RunQueue, ResultsReader {}
