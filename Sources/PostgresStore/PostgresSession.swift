import ExperimentStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One connection to the store's server, used by one process's threads in turn (a lock), with
/// the store's operations as transactions. The store's protocols are synchronous, so every
/// query waits for its answer on the calling thread (never an event-loop thread). A lost
/// connection is opened again by the next transaction; what failed reports `unavailable`.
final class PostgresSession: @unchecked Sendable {
    let url: PostgresURL
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var nextID = 0
    /// Statements run in every new connection before the first transaction.
    private let setUp: [String]
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let logger = Logger(label: "mcpo.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(url: PostgresURL, setUp: [String] = []) {
        self.url = url
        self.setUp = setUp
    }

    deinit { _ = try? connection?.close().wait() }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        _ = try? connection?.close().wait()
        connection = nil
    }

    /// How a transaction sees the data: writes at READ COMMITTED with row locks where a row is
    /// read, then changed (claims use `FOR UPDATE SKIP LOCKED`); reads in one snapshot.
    enum Mode: String {
        case write = "BEGIN ISOLATION LEVEL READ COMMITTED"
        case read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    }

    /// Runs `body` as one transaction: committed when it returns, rolled back when it throws.
    /// A deadlock or serialization failure (another transaction got there first) runs it again,
    /// up to 8 times.
    func transaction<T>(_ mode: Mode, _ body: (Transaction) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        var attempt = 0
        while true {
            let connection = try connected()
            do {
                try run(connection, mode.rawValue)
                let result = try body(Transaction(connection: connection, session: self))
                try run(connection, "COMMIT")
                return result
            } catch {
                if connection.isClosed || Self.isConnectionError(error) {
                    self.connection = nil
                    _ = try? connection.close().wait()
                } else {
                    try? run(connection, "ROLLBACK")
                }
                attempt += 1
                if Self.isRetryable(error) && attempt < 8 {
                    Thread.sleep(forTimeInterval: 0.005 * Double(attempt))
                    continue
                }
                throw map(error)
            }
        }
    }

    /// Runs one statement outside any transaction block (CREATE DATABASE cannot run in one).
    func executeAlone(_ sql: String) throws {
        lock.lock()
        defer { lock.unlock() }
        do {
            try run(try connected(), sql)
        } catch {
            throw map(error)
        }
    }

    /// The connection, opened when there is none.
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                             password: url.password, database: url.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        nextID += 1
        do {
            let opened = try PostgresConnection.connect(on: Self.group.next(), configuration: configuration, id: nextID,
                                                        logger: Self.logger).wait()
            for statement in setUp { try run(opened, statement) }
            connection = opened
            return opened
        } catch {
            throw map(error)
        }
    }

    private func run(_ connection: PostgresConnection, _ sql: String) throws {
        _ = try connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger).wait()
    }

    // MARK: Errors

    /// The server's SQLSTATE of an error, if it came from the server.
    static func sqlState(_ error: Error) -> String? {
        guard let e = error as? PSQLError, e.code == .server else { return nil }
        return e.serverInfo?[.sqlState]
    }

    static func serverMessage(_ error: Error) -> String? {
        guard let e = error as? PSQLError, e.code == .server else { return nil }
        return e.serverInfo?[.message]
    }

    /// A deadlock or a serialization failure: the transaction may succeed if run again.
    static func isRetryable(_ error: Error) -> Bool {
        ["40001", "40P01"].contains(sqlState(error) ?? "")
    }

    /// The connection is gone (refused, reset, closed by the server, timed out).
    static func isConnectionError(_ error: Error) -> Bool {
        if let state = sqlState(error) { return state.hasPrefix("08") || state.hasPrefix("57P") }
        guard let e = error as? PSQLError else { return error is ChannelError || error is IOError }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown,
                .messageDecodingFailure, .unexpectedBackendMessage].contains(e.code)
    }

    /// The store's error for a failure: `StoreError`s pass; the server being out of reach or out
    /// of resources is `unavailable`; a database that does not exist is `noSuchStore`; the rest
    /// (a constraint, a permission, a bad password) is `refused`.
    func map(_ error: Error) -> Error {
        if error is StoreError { return error }
        let path = url.description
        if let state = Self.sqlState(error) {
            let message = Self.serverMessage(error) ?? "SQLSTATE \(state)"
            if state == "3D000" { return StoreError.noSuchStore(path: path) }
            if ["08", "53", "57", "58"].contains(String(state.prefix(2))) {
                return StoreError.unavailable(path: path, reason: "\(message) (SQLSTATE \(state))")
            }
            return StoreError.refused(path: path, reason: "\(message) (SQLSTATE \(state))")
        }
        if Self.isConnectionError(error) {
            let underlying = (error as? PSQLError)?.underlying.map { "\($0)" } ?? "\(error)"
            return StoreError.unavailable(path: path, reason: "cannot reach the server at \(url.host):\(url.port): \(underlying)")
        }
        return StoreError.unavailable(path: path, reason: "\(error)")
    }
}

/// Arguments of a statement, in order (`$1`, `$2`, …).
enum Argument {
    case int(Int64), double(Double), text(String), bytes(Data), null
    case ints([Int64]), doubles([Double]), texts([String])
}

extension Optional where Wrapped == Double {
    var argument: Argument { map(Argument.double) ?? .null }
}

extension Optional where Wrapped == String {
    var argument: Argument { map(Argument.text) ?? .null }
}

extension Optional where Wrapped == Int64 {
    var argument: Argument { map(Argument.int) ?? .null }
}

/// The statements of one transaction.
struct Transaction {
    let connection: PostgresConnection
    let session: PostgresSession

    /// Runs several statements without arguments (a migration file), one by one.
    func script(_ sql: String) throws {
        for statement in SQLScript.statements(sql) { try query(statement) }
    }

    /// Runs `sql` and returns its rows.
    @discardableResult
    func query(_ sql: String, _ arguments: [Argument] = []) throws -> [PostgresRow] {
        try result(sql, arguments).rows
    }

    /// Runs `sql` and returns how many rows it changed (INSERT, UPDATE, DELETE).
    @discardableResult
    func execute(_ sql: String, _ arguments: [Argument] = []) throws -> Int {
        try result(sql, arguments).metadata.rows ?? 0
    }

    private func result(_ sql: String, _ arguments: [Argument]) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case let .int(x): binds.append(x)
            case let .double(x): binds.append(x)
            case let .text(x): binds.append(x)
            case let .bytes(x): try binds.append(x)
            case .null: binds.appendNull()
            case let .ints(x): binds.append(x)
            case let .doubles(x): binds.append(x)
            case let .texts(x): binds.append(x)
            }
        }
        return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: PostgresSession.logger).wait()
    }

    /// The first column of the first row, or nil without rows (or when it is NULL).
    func value<T: PostgresDecodable>(_ type: T.Type, _ sql: String, _ arguments: [Argument] = []) throws -> T? {
        guard let cell = try query(sql, arguments).first?.first, cell.bytes != nil else { return nil }
        return try cell.decode(T.self)
    }
}
