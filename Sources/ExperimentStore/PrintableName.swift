/// Names as a terminal may show them. A sweep's name may not contain control characters (C0,
/// DEL, C1) or bidirectional controls (the parser refuses them), but a store written before that
/// rule, or by hand, may hold one: shown raw, ESC starts an escape sequence (a name could clear
/// the screen). Commands print `SweepRecord.displayName`, with such characters as `\u{1B}`.
public enum PrintableName {
    /// Whether `s` may not appear in a name.
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        s.properties.generalCategory == .control || (0x202A...0x202E).contains(s.value)
            || (0x2066...0x2069).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
    }

    /// `name` with every unsafe character written as `\u{XXXX}`.
    public static func escaped(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: isUnsafe) else { return name }
        var out = ""
        for s in name.unicodeScalars {
            if isUnsafe(s) { out += "\\u{\(hex(s))}" } else { out.unicodeScalars.append(s) }
        }
        return out
    }

    /// The code point in at least 4 upper-case hex digits ("001B").
    public static func hex(_ s: Unicode.Scalar) -> String {
        let digits = String(s.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension SweepRecord {
    /// `name` safe to print on a terminal (`PrintableName.escaped`).
    public var displayName: String { PrintableName.escaped(name) }
}
