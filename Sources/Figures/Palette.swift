/// Fixed, colour-blind-safe colours (Okabe & Ito 2008), so that a method has the same colour in
/// every figure, whatever else the figure holds.
public enum Palette {
    /// Okabe–Ito without yellow (too pale on white) and black (kept for text).
    public static let okabeIto: [Color] = [
        Color(hex: "#0072B2"),  // blue
        Color(hex: "#D55E00"),  // vermillion
        Color(hex: "#009E73"),  // bluish green
        Color(hex: "#CC79A7"),  // reddish purple
        Color(hex: "#E69F00"),  // orange
        Color(hex: "#56B4E9"),  // sky blue
        Color(hex: "#8C6D31"),  // brown (a darkened yellow)
    ]

    /// The paper's methods, each with its own colour; MCPO is blue in every figure.
    static let byMethod: [String: Int] = [
        "MCPO": 0, "PPO": 1, "KLFixed": 2, "KLAdaptive": 3, "MDPO": 4, "VMPO": 5, "TRPO": 6,
    ]

    /// The colour of a method: fixed for the known ones; others get one from a stable hash of the name.
    public static func color(method: String) -> Color {
        if let i = byMethod[method] { return okabeIto[i] }
        var h: UInt64 = 1469598103934665603
        for b in method.utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        return okabeIto[Int(h % UInt64(okabeIto.count))]
    }

    /// Lines that share a method (its hyperparameter values, as in the paper's Figs 6–11): the
    /// i-th value's colour (the palette in order) and dash pattern, so they differ in both.
    public static func color(index i: Int) -> Color { okabeIto[i % okabeIto.count] }

    public static func dash(index i: Int) -> [Double] {
        let patterns: [[Double]] = [[], [6, 3], [2, 2], [8, 3, 2, 3]]
        return patterns[i % patterns.count]
    }
}
