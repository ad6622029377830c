import Foundation

/// Decodes what `BinaryEncoder` wrote. The bytes are parsed and checked once (every length
/// against the input), then the value is decoded from the tree.
public struct BinaryDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let root: DecodedNode = try data.withUnsafeBytes { bytes in
            var reader = NodeReader(bytes)
            let node = try reader.node()
            guard reader.offset == bytes.count else { throw BinaryCodingError.trailingBytes(count: bytes.count - reader.offset) }
            return node
        }
        return try Decoding.decode(T.self, from: root, codingPath: [])
    }
}

enum Decoding {
    static func decode<T: Decodable>(_ type: T.Type, from node: DecodedNode, codingPath: [CodingKey]) throws -> T {
        if case let .leaf(leaf) = node {
            if T.self == [Float].self, case let .floats(values) = leaf { return values as! T }
            if T.self == [Double].self, case let .doubles(values) = leaf { return values as! T }
        }
        return try T(from: NodeDecoder(node: node, codingPath: codingPath))
    }

    static func mismatch<T>(_ type: T.Type, _ node: DecodedNode, _ codingPath: [CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found \(node.kindName)"))
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ node: DecodedNode, _ codingPath: [CodingKey]) throws -> T {
        let value: T?
        switch node {
        case let .leaf(.int(i)): value = T(exactly: i)
        case let .leaf(.uint(u)): value = T(exactly: u)
        default: throw mismatch(type, node, codingPath)
        }
        guard let value else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "integer out of range for \(type)"))
        }
        return value
    }

    static func bool(_ node: DecodedNode, _ codingPath: [CodingKey]) throws -> Bool {
        guard case let .leaf(.bool(b)) = node else { throw mismatch(Bool.self, node, codingPath) }
        return b
    }

    static func string(_ node: DecodedNode, _ codingPath: [CodingKey]) throws -> String {
        guard case let .leaf(.string(s)) = node else { throw mismatch(String.self, node, codingPath) }
        return s
    }

    static func float(_ node: DecodedNode, _ codingPath: [CodingKey]) throws -> Float {
        guard case let .leaf(.float(f)) = node else { throw mismatch(Float.self, node, codingPath) }
        return f
    }

    static func double(_ node: DecodedNode, _ codingPath: [CodingKey]) throws -> Double {
        guard case let .leaf(.double(d)) = node else { throw mismatch(Double.self, node, codingPath) }
        return d
    }

    static func isNull(_ node: DecodedNode) -> Bool {
        if case .leaf(.null) = node { return true }
        return false
    }
}

struct NodeDecoder: Decoder {
    let node: DecodedNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .keyed(entries) = node else { throw Decoding.mismatch([String: Any].self, node, codingPath) }
        return KeyedDecodingContainer(KeyedNodeDecoder<Key>(entries: entries, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        switch node {
        case let .unkeyed(items): return UnkeyedNodeDecoder(items: .nodes(items), codingPath: codingPath)
        case let .leaf(.floats(values)): return UnkeyedNodeDecoder(items: .floats(values), codingPath: codingPath)
        case let .leaf(.doubles(values)): return UnkeyedNodeDecoder(items: .doubles(values), codingPath: codingPath)
        default: throw Decoding.mismatch([Any].self, node, codingPath)
        }
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        SingleNodeDecoder(node: node, codingPath: codingPath)
    }
}

struct KeyedNodeDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [String: DecodedNode]
    let codingPath: [CodingKey]

    var allKeys: [Key] { entries.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { entries[key.stringValue] != nil }

    private func node(_ key: Key) throws -> DecodedNode {
        guard let node = entries[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for key '\(key.stringValue)'"))
        }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool { Decoding.isNull(try node(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Decoding.bool(node(key), codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try Decoding.string(node(key), codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Decoding.double(node(key), codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try Decoding.float(node(key), codingPath + [key]) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Decoding.integer(type, node(key), codingPath + [key]) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Decoding.integer(type, node(key), codingPath + [key]) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Decoding.integer(type, node(key), codingPath + [key]) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Decoding.integer(type, node(key), codingPath + [key]) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Decoding.integer(type, node(key), codingPath + [key]) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try Decoding.integer(type, node(key), codingPath + [key]) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try Decoding.integer(type, node(key), codingPath + [key]) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try Decoding.integer(type, node(key), codingPath + [key]) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try Decoding.integer(type, node(key), codingPath + [key]) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try Decoding.integer(type, node(key), codingPath + [key]) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try Decoding.decode(type, from: node(key), codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(node: node(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try NodeDecoder(node: node(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        NodeDecoder(node: entries["super"] ?? .leaf(.null), codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> Decoder {
        NodeDecoder(node: entries[key.stringValue] ?? .leaf(.null), codingPath: codingPath + [key])
    }
}

struct UnkeyedNodeDecoder: UnkeyedDecodingContainer {
    enum Items {
        case nodes([DecodedNode])
        case floats([Float])
        case doubles([Double])
    }

    let items: Items
    let codingPath: [CodingKey]
    private(set) var currentIndex = 0

    init(items: Items, codingPath: [CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? {
        switch items {
        case let .nodes(n): return n.count
        case let .floats(f): return f.count
        case let .doubles(d): return d.count
        }
    }

    var isAtEnd: Bool { currentIndex >= count! }

    private mutating func next() throws -> DecodedNode {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "unkeyed container is at its end"))
        }
        defer { currentIndex += 1 }
        switch items {
        case let .nodes(n): return n[currentIndex]
        case let .floats(f): return .leaf(.float(f[currentIndex]))
        case let .doubles(d): return .leaf(.double(d[currentIndex]))
        }
    }

    mutating func decodeNil() throws -> Bool {
        guard case let .nodes(n) = items, !isAtEnd, Decoding.isNull(n[currentIndex]) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try Decoding.bool(next(), codingPath) }
    mutating func decode(_ type: String.Type) throws -> String { try Decoding.string(next(), codingPath) }
    mutating func decode(_ type: Double.Type) throws -> Double { try Decoding.double(next(), codingPath) }
    mutating func decode(_ type: Float.Type) throws -> Float { try Decoding.float(next(), codingPath) }
    mutating func decode(_ type: Int.Type) throws -> Int { try Decoding.integer(type, next(), codingPath) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try Decoding.integer(type, next(), codingPath) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try Decoding.integer(type, next(), codingPath) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try Decoding.integer(type, next(), codingPath) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try Decoding.integer(type, next(), codingPath) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try Decoding.integer(type, next(), codingPath) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try Decoding.integer(type, next(), codingPath) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try Decoding.integer(type, next(), codingPath) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try Decoding.integer(type, next(), codingPath) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try Decoding.integer(type, next(), codingPath) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Decoding.decode(type, from: next(), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(node: next(), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        try NodeDecoder(node: next(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder { NodeDecoder(node: try next(), codingPath: codingPath) }
}

struct SingleNodeDecoder: SingleValueDecodingContainer {
    let node: DecodedNode
    let codingPath: [CodingKey]

    func decodeNil() -> Bool { Decoding.isNull(node) }
    func decode(_ type: Bool.Type) throws -> Bool { try Decoding.bool(node, codingPath) }
    func decode(_ type: String.Type) throws -> String { try Decoding.string(node, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Decoding.double(node, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try Decoding.float(node, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try Decoding.integer(type, node, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Decoding.integer(type, node, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Decoding.integer(type, node, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Decoding.integer(type, node, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Decoding.integer(type, node, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Decoding.integer(type, node, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Decoding.integer(type, node, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Decoding.integer(type, node, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Decoding.integer(type, node, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Decoding.integer(type, node, codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Decoding.decode(type, from: node, codingPath: codingPath)
    }
}
