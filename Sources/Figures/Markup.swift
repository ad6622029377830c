/// Escaping for XML and HTML text and attribute values: a string from a sweep file (a sweep
/// named `<script>…`) is shown as text, never read as markup.
public enum Markup {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case _ where c.value < 0x20 && c != "\n" && c != "\t": out += "\u{FFFD}"  // not allowed in XML 1.0
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
