import Foundation

/// Axis ranges and tick marks at "nice" numbers (1, 2, 2.5, 5 × 10^k).
public enum Ticks {
    public struct Axis: Equatable, Sendable {
        public var lower: Double
        public var upper: Double
        public var step: Double
        public var values: [Double]
    }

    /// A range holding [low, high] whose ends are ticks, with about `target` intervals.
    public static func axis(low: Double, high: Double, target: Int = 5) -> Axis {
        var lo = low, hi = high
        if !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
        if lo > hi { swap(&lo, &hi) }
        if hi - lo < 1e-12 * max(abs(lo), abs(hi), 1) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let step = niceStep((hi - lo) / Double(max(target, 1)))
        let lower = (lo / step).rounded(.down) * step
        let upper = (hi / step).rounded(.up) * step
        var values: [Double] = []
        var i = 0.0
        while lower + i * step <= upper + step * 1e-9 {
            let v = lower + i * step
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            i += 1
        }
        return Axis(lower: lower, upper: upper, step: step, values: values)
    }

    /// A range that is exactly [low, high] (from 0 when low is near it), with nice ticks inside:
    /// for the x axis, where data end wherever training stopped.
    public static func tightAxis(low: Double, high: Double, target: Int = 5) -> Axis {
        let nice = axis(low: low, high: high, target: target)
        guard low.isFinite, high.isFinite, high > low else { return nice }
        let lower = low >= 0 && low <= 0.1 * (high - low) ? 0 : low
        let values = nice.values.filter { $0 >= lower - nice.step * 1e-9 && $0 <= high + nice.step * 1e-9 }
        return Axis(lower: lower, upper: high, step: nice.step, values: values)
    }

    /// The smallest of 1, 2, 2.5, 5 × 10^k not below `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= raw * (1 - 1e-12) { return m * magnitude }
        return 10 * magnitude
    }

    /// A tick label: SI suffixes from 10⁴ on ("200k", "1.5M"), otherwise as many decimals as the
    /// step needs ("0.25", "-150"); never "-0".
    public static func label(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        for (scale, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where a >= 1e4 && a >= scale && step >= scale / 100 {
            var text = plain(v / scale, step: step / scale)
            if text.contains(".") {   // "1.0M" beside "800k" reads as 1M
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text + suffix
        }
        return plain(v, step: step)
    }

    private static func plain(_ v: Double, step: Double) -> String {
        var decimals = 0
        var s = step
        while decimals < 6 && abs(s - s.rounded()) > 1e-9 * max(1, abs(s)) {
            s *= 10
            decimals += 1
        }
        let text = String(format: "%.\(decimals)f", v)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
        return text
    }
}
