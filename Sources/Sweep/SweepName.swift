import ExperimentStore

/// What a sweep's name may be (the file's `name`, `--new-name`): one non-empty line without
/// control characters (C0, DEL, C1: NUL would be cut off by C strings, ESC starts terminal escape
/// sequences that `status`, `list` and the report would print) or bidirectional overrides.
enum SweepName {
    /// Why `name` cannot be a sweep's name ("a name without control characters" …), or nil.
    static func problem(_ name: String) -> (expected: String, found: String)? {
        if name.isEmpty { return ("a non-empty one-line name", "an empty name") }
        if let bad = name.unicodeScalars.first(where: isForbidden) {
            let what = bad.properties.generalCategory == .control ? "the control character" : "the formatting character"
            return ("a one-line name without control characters",
                    "a name with \(what) U+\(String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4))")
        }
        return nil
    }

    static func isForbidden(_ s: Unicode.Scalar) -> Bool { PrintableName.isUnsafe(s) }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
