import ExperimentStore

/// What a sweep's name may be (the file's `name`, `--new-name`): one non-empty line without
/// the characters `PrintableName.isUnsafe` names (C0, DEL, C1: NUL would be cut off by C strings,
/// ESC starts terminal escape sequences that `status`, `list` and the report would print; and
/// bidirectional overrides).
enum SweepName {
    /// Why `name` cannot be a sweep's name, as (expected, found), or nil.
    static func problem(_ name: String) -> (expected: String, found: String)? {
        if name.isEmpty { return ("a non-empty one-line name", "an empty name") }
        if let bad = name.unicodeScalars.first(where: PrintableName.isUnsafe) {
            let what = bad.properties.generalCategory == .control ? "the control character" : "the formatting character"
            return ("a one-line name without control characters", "a name with \(what) U+\(PrintableName.hex(bad))")
        }
        return nil
    }
}
