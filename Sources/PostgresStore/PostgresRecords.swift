import ExperimentStore
import Foundation
import PostgresNIO

/// Rows as the store's records. The records are `Codable` with their columns' names as keys (the
/// SQLite store decodes them the same way), so a row becomes a JSON object of its columns and is
/// decoded from it: integers stay exact, doubles round-trip (shortest representation).
enum RecordDecoding {
    private enum Cell: Encodable {
        case null, int(Int64), double(Double), text(String), bool(Bool)

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case let .int(x): try c.encode(x)
            case let .double(x): try c.encode(x)
            case let .text(x): try c.encode(x)
            case let .bool(x): try c.encode(x)
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ row: PostgresRow) throws -> T {
        var object: [String: Cell] = [:]
        for cell in row {
            guard cell.bytes != nil else { object[cell.columnName] = .null; continue }
            switch cell.dataType {
            case .int2, .int4, .int8: object[cell.columnName] = .int(try cell.decode(Int64.self))
            case .float4, .float8: object[cell.columnName] = .double(try cell.decode(Double.self))
            case .bool: object[cell.columnName] = .bool(try cell.decode(Bool.self))
            default: object[cell.columnName] = .text(try cell.decode(String.self))
            }
        }
        return try JSONDecoder().decode(T.self, from: JSONEncoder().encode(object))
    }

    static func decodeAll<T: Decodable>(_ type: T.Type, _ rows: [PostgresRow]) throws -> [T] {
        try rows.map { try decode(T.self, $0) }
    }
}

extension Transaction {
    func records<T: Decodable>(_ type: T.Type, _ sql: String, _ arguments: [Argument] = []) throws -> [T] {
        try RecordDecoding.decodeAll(T.self, query(sql, arguments))
    }

    func record<T: Decodable>(_ type: T.Type, _ sql: String, _ arguments: [Argument] = []) throws -> T? {
        try query(sql, arguments).first.map { try RecordDecoding.decode(T.self, $0) }
    }

    func run(id: Int64) throws -> RunRecord? {
        try record(RunRecord.self, "SELECT * FROM runs WHERE id = $1", [.int(id)])
    }

    func sweep(named name: String) throws -> SweepRecord? {
        try record(SweepRecord.self, "SELECT * FROM sweeps WHERE name = $1", [.text(name)])
    }
}
