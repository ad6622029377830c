import Foundation
import GRDB

/// The experiment store: one SQLite file (WAL mode) holding sweeps, runs and metrics.
///
/// Contract:
/// - The schema is `schema/*.sql`, applied in order by `DatabaseMigrator`; migrations only append.
/// - Invariants live in SQL (NOT NULL, CHECK, UNIQUE, foreign keys, which are enforced).
/// - Opening a store never changes existing rows; opening one written by a newer schema fails
///   with `StoreError.newerSchema` and leaves the file untouched.
/// - Every operation is one transaction (IMMEDIATE for writes), so several processes (a
///   scheduler and its workers, or two schedulers) may share one store.
/// - A sweep's name is unique; inserting a sweep is idempotent (`insertSweep`).
/// - A run is executed by the holder of its lease (`runs.worker`, "host:pid"), which it gets by
///   `claimNextRun`/`claimRun`/`adoptRun` and keeps by renewing it; every write a worker makes
///   about its run (metrics, done, failed, release) checks that it still holds the lease and
///   throws `StoreError.leaseLost` otherwise, so a reclaimed run is never recorded twice.
/// - A running run has at most one checkpoint (`checkpoints`), written by its holder in the
///   same transaction as the metrics it covers and `steps_done` (`saveCheckpoint`). Claiming
///   the run again deletes the metrics recorded after the checkpoint (or all of them, without
///   one), so the resumed run appends exactly what an uninterrupted run would have. A run that
///   ends loses its checkpoint (an SQL trigger).
/// - What happens to a run is logged in `run_events`; schedulers announce themselves in
///   `schedulers`; a cancelled sweep (`sweeps.cancelled_at`) has none of its runs claimed.
/// - A write that fails because the store is unavailable (full disk, I/O error: see
///   `isUnavailable`) is rolled back by SQLite: the store is never left half-written.
/// - A store opened with `openReadOnly` never migrates and never writes its file (SQLite
///   read-only connection, `query_only`); it reads stores of any older schema, also in a
///   read-only directory. Its write operations throw.
/// - SQL lives in this module only: other modules use these typed operations.
/// - The operations a scheduler and its workers need (`RunQueue`) and those a reader needs
///   (`ResultsReader`) are protocols (StoreContract.swift), which a second backend implements
///   with the same guarantees; `StoreContractTests` runs through them for every backend.
public final class Store: @unchecked Sendable {
    /// The connection(s): a WAL pool when writable, one read-only connection otherwise.
    let pool: any DatabaseWriter
    public let path: String
    /// Opened by `openReadOnly`: reads only.
    public let isReadOnly: Bool
    /// The file this store opened (`checkIdentity`), and its write-ahead log and shared memory.
    let identity: FileIdentity?
    private(set) var walIdentity: FileIdentity?
    private(set) var shmIdentity: FileIdentity?

    /// Opens (creating it if needed) the store at `path`. `maxPageCount` caps the database's
    /// size in pages for this process's connections (`PRAGMA max_page_count`): writes that
    /// would grow it fail with SQLITE_FULL, exactly as on a full disk (fault injection).
    public init(path: String, maxPageCount: Int? = nil) throws {
        self.path = path
        try Store.refuseDirectory(path)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        if let maxPageCount {
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA max_page_count = \(maxPageCount)") }
        }
        // An existing file is checked read-only first: opening it writable is itself a write
        // (GRDB's WAL set-up creates and drops a table), which a foreign or newer file must not get.
        let existed = FileManager.default.fileExists(atPath: path)
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 {
            do { _ = try Store.openReadOnly(path: path) } catch StoreError.uninitialized {}
        }
        if existed { try Store.refuseUnwritable(path) }
        do {
            // Opening switches the file to WAL mode: see `waitingWhileLocked`.
            pool = try Store.waitingWhileLocked { try DatabasePool(path: path, configuration: config) }
        } catch {
            if !existed { Store.removeHalfCreated(path) }
            throw StoreError.cannotOpen(path: path, reason: Store.reason(error))
        }
        isReadOnly = false
        identity = FileIdentity.of(path)
        do {
            try migrate()
        } catch where !existed && Store.isUnavailable(error) {
            // A new store that could not be written in full (a full disk): no half-made file stays.
            try? pool.close()
            Store.removeHalfCreated(path)
            throw error
        }
        walIdentity = FileIdentity.of(path + "-wal")
        shmIdentity = FileIdentity.of(path + "-shm")
    }

    /// Throws `notWritable` when the existing store, or its directory (WAL mode creates files
    /// beside it), cannot be written: a read-only file system, or permissions.
    static func refuseUnwritable(_ path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        for target in [path, directory.isEmpty ? "." : directory] where access(target, W_OK) != 0 {
            throw StoreError.notWritable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Deletes a store file this process began to create (and its companions).
    static func removeHalfCreated(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    private init(path: String, readOnly queue: DatabaseQueue) {
        self.path = path
        pool = queue
        isReadOnly = true
        identity = FileIdentity.of(path)
    }

    /// Opens an existing store; throws `StoreError.noSuchStore` rather than creating a file.
    public static func openExisting(path: String, maxPageCount: Int? = nil) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.noSuchStore(path: path) }
        return try Store(path: path, maxPageCount: maxPageCount)
    }

    /// Opens an existing store for reading only, without writing to its file: a read-only
    /// connection (no migration, no GRDB set-up write, `PRAGMA query_only`), for commands that
    /// must leave the store untouched (`status`, `list`, `logs`, `mcpo-report`, refusing a
    /// changed sweep). Reads a store of any older schema. SQLite may leave empty `-wal`/`-shm`
    /// companions where it can; in a directory it cannot write, a store without a pending
    /// write-ahead log is read as immutable. Throws `noSuchStore`, `uninitialized`,
    /// `newerSchema` or `cannotOpen`.
    public static func openReadOnly(path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.noSuchStore(path: path) }
        try refuseDirectory(path)
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
        do {
            func open(_ name: String) throws -> DatabaseQueue {
                try waitingWhileLocked {
                    let queue = try DatabaseQueue(path: name, configuration: config)
                    try queue.read { db in try checkSchema(db, path: path) }
                    return queue
                }
            }
            do {
                return Store(path: path, readOnly: try open(path))
            } catch let error as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode)
                        && !hasPendingLog(path) {
                // WAL mode needs a -shm file beside the store; where it cannot be created (a
                // read-only directory or medium) and no log is pending, the file alone is the store.
                return Store(path: path, readOnly: try open(immutableURI(path)))
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: reason(error))
        }
    }

    /// Runs `open`, again every 0.1 s for up to 10 s while it fails with "database is locked":
    /// another process creating the store, or switching it to WAL mode, makes opening fail at
    /// once, before any busy handler runs.
    private static func waitingWhileLocked<T>(_ open: () throws -> T) throws -> T {
        for _ in 0..<100 {
            do {
                return try open()
            } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        return try open()
    }

    /// Throws unless `db` holds a store this binary knows: `uninitialized` (no schema yet, or
    /// being created) or `newerSchema`.
    private static func checkSchema(_ db: Database, path: String) throws {
        guard try db.tableExists("grdb_migrations") else { throw StoreError.uninitialized(path: path) }
        let applied = try Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        // GRDB creates its table before the first migration commits: being created.
        guard !applied.isEmpty else { throw StoreError.uninitialized(path: path) }
        if let unknown = applied.subtracting(SchemaMigrations.all.map(\.id)).sorted().first {
            throw StoreError.newerSchema(path: path, migration: unknown)
        }
    }

    /// Whether a non-empty write-ahead log lies beside the store (writes not yet checkpointed).
    private static func hasPendingLog(_ path: String) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int
        return (size ?? 0) > 0
    }

    /// `file:PATH?immutable=1` (Debian's SQLite reads URI file names).
    private static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }

    /// A directory or an unreadable file is refused with a clear reason (SQLite would say
    /// "disk I/O error" or "unable to open database file").
    private static func refuseDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue { throw StoreError.cannotOpen(path: path, reason: "it is a directory") }
        if !FileManager.default.isReadableFile(atPath: path) {
            throw StoreError.cannotOpen(path: path, reason: "permission denied: the file is not readable")
        }
    }

    private func migrate() throws {
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all {
            migrator.registerMigration(migration.id) { db in try db.execute(sql: migration.sql) }
        }
        let known = Set(SchemaMigrations.all.map(\.id))
        let applied: Set<String>
        do {
            applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Store.reason(error))
        }
        if let unknown = applied.subtracting(known).sorted().first {
            throw StoreError.newerSchema(path: path, migration: unknown)
        }
        if applied == known { return }   // nothing to do: do not even open a write transaction
        // Another process may be creating or migrating the same store at the same moment (each
        // migration is its own transaction): on failure, wait for it to finish, up to 10 s.
        var lastError: Error?
        for _ in 0..<50 {
            do {
                try migrator.migrate(pool)
                return
            } catch where Store.isUnavailable(error) && ![.SQLITE_BUSY, .SQLITE_LOCKED].contains((error as? DatabaseError)?.resultCode) {
                throw error  // a full disk or an I/O error: waiting for another process does not help
            } catch {
                lastError = error
                if let now = try? pool.read({ db in try migrator.appliedIdentifiers(db) }), known.isSubset(of: now) { return }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        throw StoreError.cannotOpen(path: path, reason: Store.reason(lastError!))
    }

    /// Whether `error` is the store being unavailable for a while rather than a bug or bad
    /// input: a full disk, an I/O error, a lock held too long. The transaction was rolled back;
    /// the operation can be retried later.
    public static func isUnavailable(_ error: Error) -> Bool {
        if case .unavailable? = error as? StoreError { return true }
        guard let e = error as? DatabaseError else { return false }
        return [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CANTOPEN, .SQLITE_NOMEM].contains(e.resultCode)
    }

    /// Whether `error` came from SQLite (rather than from the store's own checks).
    public static func isDatabaseError(_ error: Error) -> Bool {
        switch error as? StoreError {
        case .unavailable?, .refused?: return true
        default: return error is DatabaseError
        }
    }

    /// SQLite's message for a database error (the error's description otherwise).
    public static func reason(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        if case let .unavailable(_, reason)? = error as? StoreError { return reason }
        if case let .refused(_, reason)? = error as? StoreError { return reason }
        return "\(error)"
    }

    /// Current time as unix seconds (the unit of `lease_expires_at`).
    public static func unixNow() -> Double { Date().timeIntervalSince1970 + clockOffset }

    /// Fault injection for tests: `MCPO_FAULT_CLOCK_OFFSET_SECONDS` shifts this process's wall
    /// clock (a clock set wrong, or a jump), as every lease and timestamp sees it.
    static let clockOffset: Double = ProcessInfo.processInfo.environment["MCPO_FAULT_CLOCK_OFFSET_SECONDS"]
        .flatMap(Double.init) ?? 0

    /// ISO 8601 UTC text of a unix time (the format of the `*_at` text columns).
    public static func timestamp(_ unix: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: unix))
    }
}

public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case newerSchema(path: String, migration: String)
    case noSuchStore(path: String)
    /// An SQLite file without the store's schema (empty, or being created by another process).
    case uninitialized(path: String)
    /// A sweep of that name is stored with another spec; `changes` are `path: old → new` lines.
    case sweepChanged(name: String, changes: [String])
    /// The holder no longer holds the run's lease (it was reclaimed, finished or released).
    case leaseLost(runID: Int64, worker: String)
    case noSuchRun(id: Int64)
    case noSuchSweep(name: String, stored: [String])
    /// The run is not in a state that allows the operation (e.g. claiming a run that is done).
    case runNotClaimable(id: Int64, status: RunStatus)
    case nonFiniteMetric(runID: Int64, key: String, step: Int, value: Double)
    /// `--extend` would drop stored runs (`dropped` of them, e.g. `example`).
    case cannotExtend(name: String, dropped: Int, example: String, changes: [String])
    case corruptCheckpoint(runID: Int64, reason: String)
    case runNotRetryable(id: Int64, status: RunStatus)
    /// The store exists but cannot be written here (read-only file system, permissions).
    case notWritable(path: String, reason: String)
    /// A step's stored metrics do not match their checksum: the store's data is damaged.
    case corruptMetrics(runID: Int64, step: Int)
    /// The store's file was deleted, or replaced by another file, while in use.
    case storeGone(path: String, replaced: Bool)
    /// The store's write-ahead log was deleted or replaced while in use.
    case logGone(path: String)
    /// A database server cannot be reached or cannot take the write now (connection lost, disk
    /// full, shutting down): nothing was written, the operation can be retried later (another
    /// backend's counterpart of SQLite's SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY).
    case unavailable(path: String, reason: String)
    /// A `--db` value that names no store (a malformed `postgres://` address).
    case invalidAddress(address: String, reason: String)
    /// A database server refused the operation (a constraint, a permission): nothing was written.
    case refused(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): cannot open the store as an SQLite database (\(reason))"
        case let .newerSchema(path, migration):
            return "\(path): written by a newer mcpo (unknown schema migration \(migration)); upgrade mcpo to read it"
        case let .noSuchStore(path):
            return "\(path): no such store"
        case let .uninitialized(path):
            return "\(path): not an mcpo store (no schema)"
        case let .sweepChanged(name, changes):
            return "sweep '\(name)' is already stored with a different spec (\(changes.joined(separator: "; "))); "
                + "store it separately with --new-name NAME, or add its new runs to '\(name)' with --extend"
        case let .cannotExtend(name, dropped, example, changes):
            return "cannot --extend sweep '\(name)': the edited file no longer expands to \(dropped) of its stored runs "
                + "(e.g. \(example))" + (changes.isEmpty ? "" : " because of \(changes.joined(separator: "; "))")
                + "; --extend only adds runs: store it separately with --new-name NAME"
        case let .corruptCheckpoint(runID, reason):
            return "run \(runID): its checkpoint is damaged (\(reason))"
        case let .runNotRetryable(id, status):
            return "run \(id) is \(status.rawValue); only failed runs are retried"
        case let .notWritable(path, reason):
            return "\(path): the store cannot be written here (\(reason)); status, list, logs and mcpo-report can read it"
        case let .corruptMetrics(runID, step):
            return "run \(runID): its metrics at step \(step) do not match their checksum (the store's data is damaged)"
        case let .logGone(path):
            return "\(path): the store's write-ahead log (\(path)-wal) was deleted while in use; stopped after copying "
                + "what it held into the store (run the command again to continue)"
        case let .storeGone(path, replaced):
            return replaced
                ? "\(path): the store was replaced by another file while in use; stopped without writing to it "
                    + "(the old store's write-ahead log, if left, is moved aside as \(path)-wal.stale-PID)"
                : "\(path): the store was deleted while in use; stopped (what it held is gone with it)"
        case let .unavailable(path, reason):
            return "\(path): the store cannot be reached or written now (\(reason))"
        case let .invalidAddress(address, reason):
            return "\(address): not a PostgreSQL store address (\(reason))"
        case let .refused(path, reason):
            return "\(path): the store refused the operation (\(reason))"
        case let .leaseLost(runID, worker):
            return "run \(runID): \(worker) no longer holds its lease"
        case let .noSuchRun(id):
            return "no run with id \(id)"
        case let .noSuchSweep(name, stored):
            return "no sweep named '\(name)' (stored: \(stored.isEmpty ? "none" : stored.joined(separator: ", ")))"
        case let .runNotClaimable(id, status):
            return "run \(id) is \(status.rawValue), not pending"
        case let .nonFiniteMetric(runID, key, step, value):
            return "run \(runID): metric '\(key)' is \(value) at step \(step) (diverged)"
        }
    }
}
