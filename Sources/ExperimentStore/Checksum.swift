import Foundation

/// CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, initial value and final xor
/// 0xFFFFFFFF; "123456789" → 0xE3069283), the checksum of checkpoints and of each step's metrics.
public enum Checksum {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0x82F6_3B78 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func crc32c(_ data: Data, continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        data.withUnsafeBytes { raw in
            table.withUnsafeBufferPointer { t in
                for byte in raw { c = t[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
            }
        }
        return ~c
    }

    /// A checkpoint's checksum as stored: "crc32c:" and 8 hex digits.
    public static func text(_ data: Data) -> String {
        let hex = String(crc32c(data), radix: 16)
        return "crc32c:" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The checksum of one step's metrics: CRC-32C of its rows sorted by key, each as the UTF-8
    /// key, a 0 byte and the value's bits (8 bytes, little-endian).
    public static func metrics(_ values: [(key: String, value: Double)]) -> UInt32 {
        var c: UInt32 = ~0
        table.withUnsafeBufferPointer { t in
            @inline(__always) func add(_ byte: UInt8) { c = t[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
            let sorted = values.sorted { $0.key < $1.key }
            for (key, value) in sorted {
                var key = key
                key.withUTF8 { for b in $0 { add(b) } }
                add(0)
                var bits = value.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { for b in $0 { add(b) } }
            }
        }
        return ~c
    }

    /// `corruptMetrics` unless each stored checksum (step → CRC-32C) matches the checksum of
    /// that step's rows among `records`: the one comparison of both backends.
    public static func verify(runID: Int64, records: [MetricRecord], checksums: [Int64: Int64]) throws {
        var steps: [Int64: [(key: String, value: Double)]] = [:]
        for r in records { steps[r.step, default: []].append((r.key, r.value)) }
        for (step, expected) in checksums.sorted(by: { $0.key < $1.key })
        where Int64(metrics(steps[step] ?? [])) != expected {
            throw StoreError.corruptMetrics(runID: runID, step: Int(step))
        }
    }
}
