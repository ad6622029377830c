import ExperimentStore
import Foundation

/// Databases on a server, for tests and for setting a cluster up (`docs/cluster.md`).
public enum PostgresAdmin {
    /// Creates database `name` on the server of `server` (connecting to `server`'s database) and
    /// returns its address. The name must be a plain identifier (letters, digits, `_`).
    @discardableResult
    public static func createDatabase(_ name: String, on server: PostgresURL) throws -> PostgresURL {
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first) || first == "_",
              name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "_" }), name.count < 64 else {
            throw StoreError.invalidAddress(address: name, reason: "a database name is letters, digits and _")
        }
        let session = PostgresSession(url: server)
        defer { session.close() }
        try session.executeAlone("CREATE DATABASE \"\(name)\"")
        var url = server
        url.database = name
        return url
    }

    /// Drops database `name` (closing its other connections first), if it exists.
    public static func dropDatabase(_ name: String, on server: PostgresURL) throws {
        let session = PostgresSession(url: server)
        defer { session.close() }
        try session.executeAlone("DROP DATABASE IF EXISTS \"\(name.replacingOccurrences(of: "\"", with: "\"\""))\" WITH (FORCE)")
    }
}
