#if !_endian(little)
#error("BinaryCoding stores float arrays as raw little-endian bits; big-endian hosts are not supported")
#endif

/// The tree both coders work on, and its byte layout.
///
/// A value is one tag byte and a payload (integers little-endian; lengths and counts as LEB128
/// varints):
///
/// | tag | value | payload |
/// |---|---|---|
/// | 0 | nil | – |
/// | 1, 2 | false, true | – |
/// | 3 | signed integer | zigzag varint |
/// | 4 | unsigned integer | varint |
/// | 5 | Float | 4 bytes (IEEE 754 bits) |
/// | 6 | Double | 8 bytes |
/// | 7 | String | varint byte count, UTF-8 |
/// | 8 | [Float] | varint count, 4 bytes each |
/// | 9 | [Double] | varint count, 8 bytes each |
/// | 10 | keyed container | varint count, then per entry: varint key length, key (UTF-8), value |
/// | 11 | unkeyed container | varint count, values |
///
/// Float and Double arrays are stored as their raw bits, so a parameter vector costs 4 bytes per
/// value and round-trips exactly (NaN payloads included).
enum Leaf {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case string(String)
    case floats([Float])
    case doubles([Double])
}

enum Tag: UInt8 {
    case null = 0, falseValue, trueValue, int, uint, float, double, string, floats, doubles, keyed, unkeyed
}

/// A node being encoded: a leaf, a keyed or an unkeyed container (reference type, because a
/// container keeps writing into it after it was handed out).
final class EncodingNode {
    enum Shape { case unset, leaf, keyed, unkeyed }
    var shape = Shape.unset
    var leaf = Leaf.null
    var keys: [String] = []
    var children: [EncodingNode] = []

    func setLeaf(_ value: Leaf) {
        shape = .leaf
        leaf = value
    }

    /// Makes this node keyed (keeping entries written by an earlier keyed container over it).
    func becomeKeyed() {
        if shape != .keyed { shape = .keyed; keys = []; children = [] }
    }

    func becomeUnkeyed() {
        if shape != .unkeyed { shape = .unkeyed; keys = []; children = [] }
    }

    func child(forKey key: String) -> EncodingNode {
        becomeKeyed()
        let node = EncodingNode()
        keys.append(key)
        children.append(node)
        return node
    }

    func appendChild() -> EncodingNode {
        becomeUnkeyed()
        let node = EncodingNode()
        children.append(node)
        return node
    }

    /// Appends this node's bytes to `out`.
    func write(to out: inout [UInt8]) {
        switch shape {
        case .unset: out.append(Tag.keyed.rawValue); out.appendVarint(0)   // a value that encoded nothing: {}
        case .leaf: out.append(leaf)
        case .keyed:
            out.append(Tag.keyed.rawValue)
            out.appendVarint(UInt64(keys.count))
            for (key, child) in zip(keys, children) {
                out.appendString(key)
                child.write(to: &out)
            }
        case .unkeyed:
            out.append(Tag.unkeyed.rawValue)
            out.appendVarint(UInt64(children.count))
            for child in children { child.write(to: &out) }
        }
    }
}

/// A node read back.
indirect enum DecodedNode {
    case leaf(Leaf)
    case keyed([String: DecodedNode])
    case unkeyed([DecodedNode])

    var kindName: String {
        switch self {
        case let .leaf(leaf):
            switch leaf {
            case .null: return "nil"
            case .bool: return "a Bool"
            case .int, .uint: return "an integer"
            case .float: return "a Float"
            case .double: return "a Double"
            case .string: return "a String"
            case .floats: return "a Float array"
            case .doubles: return "a Double array"
            }
        case .keyed: return "a keyed container"
        case .unkeyed: return "an unkeyed container"
        }
    }
}

extension [UInt8] {
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }

    mutating func appendFixed<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendString(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            appendVarint(UInt64(utf8.count))
            append(contentsOf: utf8)
        }
    }

    mutating func append(_ leaf: Leaf) {
        switch leaf {
        case .null: append(Tag.null.rawValue)
        case let .bool(b): append(b ? Tag.trueValue.rawValue : Tag.falseValue.rawValue)
        case let .int(i):
            append(Tag.int.rawValue)
            appendVarint(UInt64(bitPattern: (i << 1) ^ (i >> 63)))
        case let .uint(u):
            append(Tag.uint.rawValue)
            appendVarint(u)
        case let .float(f):
            append(Tag.float.rawValue)
            appendFixed(f.bitPattern)
        case let .double(d):
            append(Tag.double.rawValue)
            appendFixed(d.bitPattern)
        case let .string(s):
            append(Tag.string.rawValue)
            appendString(s)
        case let .floats(values):
            append(Tag.floats.rawValue)
            appendVarint(UInt64(values.count))
            appendRaw(values)
        case let .doubles(values):
            append(Tag.doubles.rawValue)
            appendVarint(UInt64(values.count))
            appendRaw(values)
        }
    }

    /// The elements' raw bytes (little-endian: the host's order, see the #error above).
    mutating func appendRaw<T: BinaryFloatingPoint>(_ values: [T]) {
        values.withUnsafeBytes { append(contentsOf: $0) }
    }
}

/// Reads the byte layout back into `DecodedNode`s, checking every length against the input.
struct NodeReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    /// Nesting depth guard, so corrupt input cannot overflow the stack.
    var depth = 0
    static let maxDepth = 256

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func corrupt(_ why: String) -> BinaryCodingError { .corrupt(offset: offset, why) }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw corrupt("unexpected end of data") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw corrupt("varint longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    /// A count of items of `width` bytes each that must fit in the remaining input.
    mutating func count(width: Int) throws -> Int {
        let n = try varint()
        guard n <= UInt64(bytes.count - offset) / UInt64(Swift.max(width, 1)) else {
            throw corrupt("count \(n) exceeds the remaining \(bytes.count - offset) bytes")
        }
        return Int(n)
    }

    mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - offset >= size else { throw corrupt("unexpected end of data") }
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])) }
        offset += size
        return T(littleEndian: value)
    }

    mutating func string() throws -> String {
        let n = try count(width: 1)
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n]), as: UTF8.self)
        offset += n
        return s
    }

    mutating func raw<T: BinaryFloatingPoint>(_: T.Type) throws -> [T] {
        let width = MemoryLayout<T>.size
        let n = try count(width: width)
        var values = [T](repeating: 0, count: n)
        values.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n * width])) }
        offset += n * width
        return values
    }

    mutating func node() throws -> DecodedNode {
        let start = offset
        guard let tag = Tag(rawValue: try byte()) else { offset = start; throw corrupt("unknown tag \(bytes[start])") }
        switch tag {
        case .null: return .leaf(.null)
        case .falseValue: return .leaf(.bool(false))
        case .trueValue: return .leaf(.bool(true))
        case .int:
            let z = try varint()
            return .leaf(.int(Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)))
        case .uint: return .leaf(.uint(try varint()))
        case .float: return .leaf(.float(Float(bitPattern: try fixed(UInt32.self))))
        case .double: return .leaf(.double(Double(bitPattern: try fixed(UInt64.self))))
        case .string: return .leaf(.string(try string()))
        case .floats: return .leaf(.floats(try raw(Float.self)))
        case .doubles: return .leaf(.doubles(try raw(Double.self)))
        case .keyed:
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw corrupt("nesting deeper than \(Self.maxDepth)") }
            let n = try count(width: 2)
            var entries: [String: DecodedNode] = [:]
            entries.reserveCapacity(n)
            for _ in 0..<n {
                let key = try string()
                entries[key] = try node()
            }
            return .keyed(entries)
        case .unkeyed:
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw corrupt("nesting deeper than \(Self.maxDepth)") }
            let n = try count(width: 1)
            var items: [DecodedNode] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try node()) }
            return .unkeyed(items)
        }
    }
}
