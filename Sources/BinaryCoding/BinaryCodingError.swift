/// Bytes that are not a value written by `BinaryEncoder` (truncated, or damaged). A value of the
/// wrong shape for the requested type is a `DecodingError`, as with Foundation's coders.
public enum BinaryCodingError: Error, Equatable, CustomStringConvertible {
    case corrupt(offset: Int, String)
    /// Bytes left over after the value.
    case trailingBytes(count: Int)

    public var description: String {
        switch self {
        case let .corrupt(offset, why): return "corrupt binary value at byte \(offset): \(why)"
        case let .trailingBytes(count): return "corrupt binary value: \(count) bytes after its end"
        }
    }
}
