import Foundation

/// Encodes a `Codable` value into the compact byte layout of `BinaryNode.swift`: keys are kept
/// (so decoding does not depend on the order fields are written in), and `[Float]`/`[Double]`
/// values are written as raw bits in one piece instead of number by number.
public struct BinaryEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let root = EncodingNode()
        try Encoding.encode(value, into: root, codingPath: [])
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        root.write(to: &bytes)
        return Data(bytes)
    }
}

enum Encoding {
    /// Encodes `value` into `node`, taking the raw path for float arrays.
    static func encode<T: Encodable>(_ value: T, into node: EncodingNode, codingPath: [CodingKey]) throws {
        if let floats = value as? [Float] {
            node.setLeaf(.floats(floats))
        } else if let doubles = value as? [Double] {
            node.setLeaf(.doubles(doubles))
        } else {
            try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
        }
    }
}

struct NodeEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeKeyed()
        return KeyedEncodingContainer(KeyedNodeEncoder(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        node.becomeUnkeyed()
        return UnkeyedNodeEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer {
        SingleNodeEncoder(node: node, codingPath: codingPath)
    }
}

struct KeyedNodeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [CodingKey]

    private func put(_ leaf: Leaf, _ key: Key) { node.child(forKey: key.stringValue).setLeaf(leaf) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(.float(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.uint(UInt64(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.uint(UInt64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.uint(UInt64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.uint(UInt64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.uint(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try Encoding.encode(value, into: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(forKey: key.stringValue)
        child.becomeKeyed()
        return KeyedEncodingContainer(KeyedNodeEncoder<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let child = node.child(forKey: key.stringValue)
        child.becomeUnkeyed()
        return UnkeyedNodeEncoder(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> Encoder {
        NodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

struct UnkeyedNodeEncoder: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [CodingKey]
    var count: Int { node.children.count }

    private func put(_ leaf: Leaf) { node.appendChild().setLeaf(leaf) }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.double(value)) }
    mutating func encode(_ value: Float) throws { put(.float(value)) }
    mutating func encode(_ value: Int) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { put(.int(value)) }
    mutating func encode(_ value: UInt) throws { put(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { put(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { put(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { put(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { put(.uint(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try Encoding.encode(value, into: node.appendChild(), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = node.appendChild()
        child.becomeKeyed()
        return KeyedEncodingContainer(KeyedNodeEncoder<NestedKey>(node: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let child = node.appendChild()
        child.becomeUnkeyed()
        return UnkeyedNodeEncoder(node: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> Encoder { NodeEncoder(node: node.appendChild(), codingPath: codingPath) }
}

struct SingleNodeEncoder: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [CodingKey]

    mutating func encodeNil() throws { node.setLeaf(.null) }
    mutating func encode(_ value: Bool) throws { node.setLeaf(.bool(value)) }
    mutating func encode(_ value: String) throws { node.setLeaf(.string(value)) }
    mutating func encode(_ value: Double) throws { node.setLeaf(.double(value)) }
    mutating func encode(_ value: Float) throws { node.setLeaf(.float(value)) }
    mutating func encode(_ value: Int) throws { node.setLeaf(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { node.setLeaf(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { node.setLeaf(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { node.setLeaf(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { node.setLeaf(.int(value)) }
    mutating func encode(_ value: UInt) throws { node.setLeaf(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { node.setLeaf(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { node.setLeaf(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { node.setLeaf(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { node.setLeaf(.uint(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try Encoding.encode(value, into: node, codingPath: codingPath)
    }
}
