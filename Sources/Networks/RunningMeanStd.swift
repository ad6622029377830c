/// Running per-feature mean and (population) variance, merged batch by batch with Chan et al.'s
/// parallel formula. `count` starts at 1e-4 as in common PPO code (mean 0, variance 1).
public struct RunningMeanStd: Codable, Equatable, Sendable {
    public let dimension: Int
    public private(set) var mean: [Double]
    public private(set) var variance: [Double]
    public private(set) var count: Double

    public init(dimension: Int, count: Double = 1e-4) {
        precondition(dimension > 0, "RunningMeanStd needs at least one feature")
        self.dimension = dimension
        mean = Array(repeating: 0, count: dimension)
        variance = Array(repeating: 1, count: dimension)
        self.count = count
    }

    /// Merges `rows` samples stored row-major ([rows × dimension]).
    public mutating func update(_ batch: UnsafePointer<Float>, rows: Int) {
        merge(batch, rows: rows)
    }

    /// Merges `rows` samples stored row-major ([rows × dimension]).
    public mutating func update(_ batch: UnsafePointer<Double>, rows: Int) {
        merge(batch, rows: rows)
    }

    /// In place: (x − mean) / sqrt(var + epsilon), clipped to ±clip. x: [rows × dimension].
    public func normalize(_ x: UnsafeMutablePointer<Float>, rows: Int, clip: Float = 10, epsilon: Double = 1e-8) {
        let bound = Double(clip)
        for j in 0..<dimension {
            let m = mean[j]
            let scale = 1 / (variance[j] + epsilon).squareRoot()
            var p = x + j
            for _ in 0..<rows {
                let z = (Double(p.pointee) - m) * scale
                p.pointee = Float(min(max(z, -bound), bound))
                p += dimension
            }
        }
    }

    @inline(__always)
    private mutating func merge<T: BinaryFloatingPoint>(_ batch: UnsafePointer<T>, rows: Int) {
        guard rows > 0 else { return }
        let n = Double(rows)
        let total = count + n
        for j in 0..<dimension {
            var sum = 0.0
            for r in 0..<rows { sum += Double(batch[r * dimension + j]) }
            let batchMean = sum / n
            var squares = 0.0
            for r in 0..<rows {
                let d = Double(batch[r * dimension + j]) - batchMean
                squares += d * d
            }
            let delta = batchMean - mean[j]
            let m2 = variance[j] * count + squares + delta * delta * count * n / total
            mean[j] += delta * n / total
            variance[j] = m2 / total
        }
        count = total
    }
}
