/// Splits a file of SQL statements at the semicolons that end them, for a driver that runs one
/// statement at a time: semicolons inside quotes ('…', "…"), dollar-quoted bodies ($$…$$,
/// $tag$…$tag$) and comments (-- to the end of the line, /* … */) do not end a statement.
/// Statements that hold only comments and white space are dropped.
enum SQLScript {
    static func statements(_ sql: String) -> [String] {
        let chars = Array(sql.unicodeScalars)
        var statements: [String] = [], current = String.UnicodeScalarView(), meaningful = false
        var i = 0
        func take(_ n: Int) {
            current.append(contentsOf: chars[i..<min(i + n, chars.count)])
            i += n
        }
        func starts(_ text: String, at j: Int) -> Bool {
            let t = Array(text.unicodeScalars)
            return j + t.count <= chars.count && Array(chars[j..<j + t.count]) == t
        }
        while i < chars.count {
            let c = chars[i]
            if starts("--", at: i) {
                while i < chars.count && chars[i] != "\n" { take(1) }
            } else if starts("/*", at: i) {
                take(2)
                while i < chars.count && !starts("*/", at: i) { take(1) }
                take(2)
            } else if c == "'" || c == "\"" {
                meaningful = true
                take(1)
                while i < chars.count {
                    if chars[i] == c { if i + 1 < chars.count && chars[i + 1] == c { take(2); continue }; take(1); break }
                    take(1)
                }
            } else if c == "$", let tag = dollarTag(chars, at: i) {
                meaningful = true
                take(tag.count)
                while i < chars.count && !starts(tag, at: i) { take(1) }
                take(tag.count)
            } else if c == ";" {
                if meaningful { statements.append(String(current)) }
                current = String.UnicodeScalarView()
                meaningful = false
                i += 1
            } else {
                if !c.properties.isWhitespace { meaningful = true }
                take(1)
            }
        }
        if meaningful { statements.append(String(current)) }
        return statements
    }

    /// `$$` or `$tag$` starting at `j`, if one does.
    private static func dollarTag(_ chars: [Unicode.Scalar], at j: Int) -> String? {
        var k = j + 1
        while k < chars.count, chars[k] == "_" || chars[k].properties.isAlphabetic { k += 1 }
        guard k < chars.count, chars[k] == "$" else { return nil }
        return String(String.UnicodeScalarView(chars[j...k]))
    }
}
