import ExperimentStore
import Foundation

/// Opens the store a `--db` value names: `postgres://…` (or `postgresql://…`) is a PostgreSQL
/// store, anything else the path of an SQLite file.
public enum Stores {
    /// The `--db` default: `MCPO_DB` when set, else `mcpo.sqlite`.
    public static var defaultAddress: String {
        let value = ProcessInfo.processInfo.environment["MCPO_DB"] ?? ""
        return value.isEmpty ? "mcpo.sqlite" : value
    }

    public static func isPostgres(_ address: String) -> Bool { PostgresURL.isPostgres(address) }

    /// For writing: an SQLite file is created when missing; a PostgreSQL database must exist and
    /// gets the store's schema when it has none.
    public static func open(_ address: String) throws -> AnyStore {
        if isPostgres(address) { return try PostgresStore(url: PostgresURL(address)) }
        return try Store(path: address)
    }

    /// For writing, without creating an SQLite file (`noSuchStore`). `maxPageCount` is SQLite's
    /// fault injection (`Store.init(path:maxPageCount:)`).
    public static func openExisting(_ address: String, maxPageCount: Int? = nil) throws -> AnyStore {
        if isPostgres(address) { return try PostgresStore(url: PostgresURL(address)) }
        return try Store.openExisting(path: address, maxPageCount: maxPageCount)
    }

    /// For reading only: never creates, migrates or writes anything.
    public static func openReadOnly(_ address: String) throws -> AnyStore {
        if isPostgres(address) { return try PostgresStore.openReadOnly(url: PostgresURL(address)) }
        return try Store.openReadOnly(path: address)
    }
}
