import ExperimentStore
import Foundation

/// A PostgreSQL store's address, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (also
/// `postgresql://`), as `--db` and `MCPO_DB` take it. The password may instead come from
/// `PGPASSWORD`; TLS is not used (`?sslmode=disable` is accepted, any other mode is refused:
/// run the store server on a trusted network or through a tunnel).
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    /// Whether `text` names a PostgreSQL store rather than an SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `text`; throws `StoreError.invalidAddress` saying what is wrong (a password shown as ***).
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgres(text), let parts = URLComponents(string: text) else {
            throw Self.invalid(text, "expected postgres://USER@HOST[:PORT]/DATABASE")
        }
        guard let host = parts.host, !host.isEmpty else { throw Self.invalid(text, "no host") }
        guard let user = parts.user, !user.isEmpty else {
            throw Self.invalid(text, "no user (postgres://USER@\(host)/...)")
        }
        let database = String(parts.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw Self.invalid(text, "no database name (postgres://\(user)@\(host)/DATABASE)")
        }
        for item in parts.queryItems ?? [] {
            guard item.name == "sslmode", item.value == "disable" else {
                throw Self.invalid(text, "unsupported option '\(item.name)=\(item.value ?? "")' (only sslmode=disable)")
            }
        }
        if let port = parts.port, !(1...65535).contains(port) { throw Self.invalid(text, "port \(port) out of range") }
        self.user = user.removingPercentEncoding ?? user
        self.password = parts.password.map { $0.removingPercentEncoding ?? $0 } ?? environment["PGPASSWORD"]
        self.host = host
        self.port = parts.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
    }

    /// The address without the password, for messages and `path`.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    static func invalid(_ text: String, _ reason: String) -> StoreError {
        let shown = (try? NSRegularExpression(pattern: "(//[^:@/]*):[^@/]*@"))?.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1:***@") ?? text
        return StoreError.invalidAddress(address: shown, reason: reason)
    }
}
