/// A fixed-size, heap-allocated Float vector with a stable base address, for kernels that want raw
/// pointers without Array copy-on-write checks. Allocated once, reused for the whole run.
/// Codable as one `[Float]` value (a plain array of numbers in JSON, exact since Float
/// round-trips through text; raw bits in one piece for coders that special-case `[Float]`).
public final class FloatBuffer: Codable, @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    public init(count: Int, value: Float = 0) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { pointer.deallocate() }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    public subscript(i: Int) -> Float {
        @inline(__always) get { pointer[i] }
        @inline(__always) set { pointer[i] = newValue }
    }

    public func fill(_ value: Float) { pointer.update(repeating: value, count: count) }

    public func copy(from other: FloatBuffer) {
        precondition(other.count == count, "FloatBuffer size mismatch")
        pointer.update(from: other.pointer, count: count)
    }

    /// Copies `count` floats from `source`.
    public func copy(fromPointer source: UnsafePointer<Float>) {
        pointer.update(from: source, count: count)
    }

    public func clone() -> FloatBuffer {
        let b = FloatBuffer(count: count)
        b.copy(from: self)
        return b
    }

    public convenience init(from decoder: Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([Float].self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(array)
    }
}
