import Foundation

/// Orthogonal initialisation: a row-major [rows × cols] matrix whose rows (if rows ≤ cols) or
/// columns (otherwise) are orthonormal, times `gain`. Built by modified Gram–Schmidt on a
/// Gaussian matrix drawn from `normal` (which returns standard normal draws).
public enum OrthogonalInit {
    public static func matrix(rows: Int, cols: Int, gain: Double, normal: () -> Double) -> [Float] {
        // Orthonormalise the `short` vectors of length `long`.
        let short = min(rows, cols), long = max(rows, cols)
        var v = [[Double]](repeating: [Double](repeating: 0, count: long), count: short)
        for i in 0..<short { for j in 0..<long { v[i][j] = normal() } }
        for i in 0..<short {
            for k in 0..<i {
                var d = 0.0
                for j in 0..<long { d += v[i][j] * v[k][j] }
                for j in 0..<long { v[i][j] -= d * v[k][j] }
            }
            var norm = 0.0
            for j in 0..<long { norm += v[i][j] * v[i][j] }
            norm = norm.squareRoot()
            for j in 0..<long { v[i][j] /= norm }
        }
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols {
                out[r * cols + c] = Float(gain * (rows <= cols ? v[r][c] : v[c][r]))
            }
        }
        return out
    }

    /// Initialises every layer of `layout` inside θ: hidden layers with `hiddenGain`, the output
    /// layer with `outputGain`, biases 0.
    public static func initialize(
        _ layout: MLPLayout, in θ: UnsafeMutablePointer<Float>, hiddenGain: Double, outputGain: Double,
        normal: () -> Double
    ) {
        for l in 0..<layout.layerCount {
            let rows = layout.sizes[l + 1], cols = layout.sizes[l]
            let gain = l == layout.layerCount - 1 ? outputGain : hiddenGain
            let w = matrix(rows: rows, cols: cols, gain: gain, normal: normal)
            w.withUnsafeBufferPointer { (θ + layout.weightOffsets[l]).update(from: $0.baseAddress!, count: w.count) }
            (θ + layout.biasOffsets[l]).update(repeating: 0, count: rows)
        }
    }
}
