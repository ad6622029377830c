/// "Did you mean …?": the close match of a misspelt name among the valid ones, one rule for
/// every tool (sweep-file keys and values, report options, command-line values).
public enum Suggestion {
    /// The candidate spelt the same but for case; else the nearest by edit distance when it is
    /// within max(1, min(3, length/3)); else the first candidate that starts with the input (of 3+
    /// characters). nil when nothing is close.
    public static func closest(to input: String, among candidates: [String]) -> String? {
        let lower = input.lowercased()
        if let same = candidates.first(where: { $0.lowercased() == lower }) { return same }
        let scored = candidates.map { ($0, editDistance(lower, $0.lowercased())) }
        if let (best, d) = scored.min(by: { $0.1 < $1.1 }), d <= max(1, min(3, input.count / 3)) { return best }
        if lower.count >= 3, let prefixed = candidates.first(where: { $0.lowercased().hasPrefix(lower) }) { return prefixed }
        return nil
    }

    /// "; did you mean 'x'?" or "".
    public static func clause(for input: String, among candidates: [String]) -> String {
        closest(to: input, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
