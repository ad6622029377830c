import BinaryCoding
import Foundation
import Testing

/// Values of every shape the coders handle go in and come back out equal, bit for bit.
@Suite struct RoundTripTests {
    enum Mode: Codable, Equatable {
        case plain
        case scaled(Float, label: String)
        case nested(Inner)
    }

    struct Inner: Codable, Equatable {
        var weights: [Float]
        var moments: [Double]
        var counts: [Int]
        var optional: Int?
        var missing: String?
    }

    struct Everything: Codable, Equatable {
        var flag = true
        var small: Int8 = -7
        var big: Int64 = .min
        var unsigned: UInt64 = .max
        var word: UInt32 = 0xDEAD_BEEF
        var ratio: Float = -0.0
        var precise: Double = .pi
        var text = "θ, ψ and ✓"
        var empty = ""
        var floats: [Float] = [1, -2.5, .infinity, .leastNonzeroMagnitude, 0x1.fffffep127]
        var doubles: [Double] = [0.1, -.infinity, .ulpOfOne]
        var modes: [Mode] = [.plain, .scaled(0.5, label: "half"),
                             .nested(Inner(weights: [3, 4], moments: [5], counts: [6, -7], optional: 8, missing: nil))]
        var table: [String: [Float]] = ["a": [1], "b": []]
        var nested: [[Double]] = [[1, 2], [], [3]]
        var noValue: Double? = nil
    }

    @Test func everythingRoundTrips() throws {
        let value = Everything()
        let data = try BinaryEncoder().encode(value)
        let back = try BinaryDecoder().decode(Everything.self, from: data)
        #expect(back == value)
        #expect(back.ratio.sign == .minus)
    }

    @Test func nanPayloadsSurvive() throws {
        let nan = Float(bitPattern: 0x7FC0_1234)
        let back = try BinaryDecoder().decode([Float].self, from: BinaryEncoder().encode([nan, 1]))
        #expect(back.map(\.bitPattern) == [0x7FC0_1234, Float(1).bitPattern])
    }

    @Test func floatArraysCostFourBytesPerValue() throws {
        let values = (0..<10_000).map { Float($0) * 0.37 }
        let data = try BinaryEncoder().encode(Inner(weights: values, moments: [], counts: [], optional: nil, missing: nil))
        #expect(data.count > 40_000 && data.count < 40_100)
        #expect(try JSONEncoder().encode(values).count > 3 * data.count / 2)
    }

    /// Keys are stored, so a decoder may read fields in another order than they were written.
    @Test func keysMayBeReadInAnyOrder() throws {
        struct Written: Encodable { var a = 1; var b = "two" }
        struct Read: Decodable, Equatable {
            var b: String
            var a: Int
            var c: Int
            enum CodingKeys: String, CodingKey { case a, b, c }
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                b = try c.decode(String.self, forKey: .b)
                a = try c.decode(Int.self, forKey: .a)
                self.c = try c.decodeIfPresent(Int.self, forKey: .c) ?? 3
            }
        }
        let back = try BinaryDecoder().decode(Read.self, from: BinaryEncoder().encode(Written()))
        #expect(back.a == 1 && back.b == "two" && back.c == 3)
    }

    @Test func damagedBytesAreRefusedNotMisread() throws {
        let data = try BinaryEncoder().encode(Everything())
        #expect(throws: BinaryCodingError.self) { try BinaryDecoder().decode(Everything.self, from: data.prefix(data.count - 3)) }
        #expect(throws: BinaryCodingError.trailingBytes(count: 1)) {
            try BinaryDecoder().decode(Everything.self, from: data + Data([0]))
        }
        #expect(throws: BinaryCodingError.self) { try BinaryDecoder().decode(Everything.self, from: Data([0xFF])) }
        // A huge count that does not fit in the input is refused before allocating anything.
        #expect(throws: BinaryCodingError.self) {
            try BinaryDecoder().decode([Float].self, from: Data([8, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]))
        }
        // Every truncation fails cleanly.
        for n in 0..<data.count {
            #expect(throws: (any Error).self) { try BinaryDecoder().decode(Everything.self, from: data.prefix(n)) }
        }
    }

    @Test func aValueOfTheWrongShapeIsADecodingError() throws {
        let data = try BinaryEncoder().encode(["x": 1])
        #expect(throws: DecodingError.self) { try BinaryDecoder().decode([Float].self, from: data) }
        #expect(throws: DecodingError.self) { try BinaryDecoder().decode(Int8.self, from: BinaryEncoder().encode(300)) }
    }
}
