/// An sRGB colour, 0…1 per channel.
public struct Color: Hashable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From "#rrggbb".
    public init(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        let v = UInt32(digits, radix: 16) ?? 0
        self.init(red: Double((v >> 16) & 0xff) / 255, green: Double((v >> 8) & 0xff) / 255, blue: Double(v & 0xff) / 255)
    }

    /// "#rrggbb".
    public var hex: String {
        func byte(_ x: Double) -> String {
            let b = Int((min(max(x, 0), 1) * 255).rounded())
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }
        return "#" + byte(red) + byte(green) + byte(blue)
    }

    public static let black = Color(hex: "#000000")
    public static let white = Color(hex: "#ffffff")
    /// Axis text and frames.
    public static let ink = Color(hex: "#222222")
    /// Grid lines.
    public static let grid = Color(hex: "#e3e3e3")
    public static let muted = Color(hex: "#666666")
}
