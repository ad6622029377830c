import Foundation

/// Names what changed between two JSON documents (the stored and the new spec of a sweep), as
/// lines `path: old → new` where path is the dotted key path of a changed leaf (lists are leaves).
public enum SpecDiff {
    public static func changes(from old: String, to new: String) -> [String] {
        let a = flatten(parse(old))
        let b = flatten(parse(new))
        var lines: [String] = []
        for path in Set(a.keys).union(b.keys).sorted() where a[path] != b[path] {
            lines.append("\(path.isEmpty ? "(spec)" : path): \(a[path] ?? "(absent)") → \(b[path] ?? "(absent)")")
        }
        return lines
    }

    private indirect enum JSONValue: Decodable, Equatable {
        case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let d = try? c.decode(Double.self) { self = .number(d) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
            else { self = .object(try c.decode([String: JSONValue].self)) }
        }

        var text: String {
            switch self {
            case .null: return "null"
            case let .bool(b): return b ? "true" : "false"
            case let .number(d): return formatNumber(d)
            case let .string(s): return "'\(s)'"
            case let .array(xs): return "[" + xs.map(\.text).joined(separator: ", ") + "]"
            case let .object(o): return "{" + o.keys.sorted().map { "\($0): \(o[$0]!.text)" }.joined(separator: ", ") + "}"
            }
        }
    }

    private static func parse(_ json: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))) ?? .string(json)
    }

    private static func flatten(_ value: JSONValue, prefix: String = "") -> [String: String] {
        guard case let .object(o) = value, !o.isEmpty else { return [prefix: value.text] }
        var out: [String: String] = [:]
        for (k, v) in o {
            out.merge(flatten(v, prefix: prefix.isEmpty ? k : "\(prefix).\(k)")) { a, _ in a }
        }
        return out
    }
}
