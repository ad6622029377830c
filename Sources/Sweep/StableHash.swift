/// FNV-1a over 128 bits: a stable, platform-independent hash (unlike `Hasher`, which is seeded
/// per process). A run's identity is `StableHash.hex(of: configJSON)`.
public enum StableHash {
    /// 128-bit FNV offset basis and prime (2^88 + 2^8 + 0x3b), as (high, low) 64-bit words.
    static let offset: (hi: UInt64, lo: UInt64) = (0x6C62_272E_07BB_0142, 0x62B8_2175_6295_C58D)
    static let prime: (hi: UInt64, lo: UInt64) = (0x0000_0000_0100_0000, 0x0000_0000_0000_013B)

    /// The 128-bit FNV-1a hash of `bytes` as (high, low) words.
    public static func fnv1a128<S: Sequence>(_ bytes: S) -> (hi: UInt64, lo: UInt64) where S.Element == UInt8 {
        var (hi, lo) = offset
        for byte in bytes {
            lo ^= UInt64(byte)
            // (hi·2^64 + lo) · (P.hi·2^64 + P.lo) mod 2^128
            let low = lo.multipliedFullWidth(by: prime.lo)
            hi = hi &* prime.lo &+ lo &* prime.hi &+ low.high
            lo = low.low
        }
        return (hi, lo)
    }

    /// 32 lowercase hex digits of the FNV-1a 128 hash of the UTF-8 of `text`.
    public static func hex(of text: String) -> String {
        let (hi, lo) = fnv1a128(text.utf8)
        return hex64(hi) + hex64(lo)
    }

    static func hex64(_ x: UInt64) -> String {
        let digits = String(x, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
