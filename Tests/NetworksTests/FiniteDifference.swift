import Environments

/// Central finite differences of a scalar function of a Float vector, evaluated in Double.
func finiteDifferenceGradient(_ x: inout [Float], epsilon: Float = 1e-2, _ f: ([Float]) -> Double) -> [Double] {
    var g = [Double](repeating: 0, count: x.count)
    for i in 0..<x.count {
        let saved = x[i]
        x[i] = saved + epsilon
        let plus = f(x)
        x[i] = saved - epsilon
        let minus = f(x)
        x[i] = saved
        g[i] = (plus - minus) / Double(2 * epsilon)
    }
    return g
}

/// ‖a − b‖ / max(‖b‖, tiny).
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    var d = 0.0, n = 0.0
    for (x, y) in zip(a, b) { d += (x - y) * (x - y); n += y * y }
    return (d / max(n, 1e-30)).squareRoot()
}

func randomFloats(_ count: Int, scale: Double = 1, seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed, stream: 99)
    return (0..<count).map { _ in Float(rng.normal() * scale) }
}
