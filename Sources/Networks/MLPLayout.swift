/// Where each layer of a fully connected network lives inside a flat parameter vector.
/// Layer l maps sizes[l] → sizes[l+1]; its weight is a row-major [sizes[l+1] × sizes[l]] matrix
/// followed by its bias. A layout can start at any offset, so several networks (policy, value,
/// a log-std vector) share one flat θ: Adam, gradient clipping and MCPO's ψ = Σ w_j θ_j then
/// act on a single vector.
public struct MLPLayout: Codable, Hashable, Sendable {
    public let sizes: [Int]
    public let base: Int
    public let weightOffsets: [Int]
    public let biasOffsets: [Int]
    /// Number of parameters of this network.
    public let parameterCount: Int

    public init(sizes: [Int], base: Int = 0) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "an MLP needs ≥ 2 positive sizes")
        self.sizes = sizes
        self.base = base
        var w: [Int] = [], b: [Int] = []
        var offset = base
        for l in 0..<(sizes.count - 1) {
            w.append(offset)
            offset += sizes[l + 1] * sizes[l]
            b.append(offset)
            offset += sizes[l + 1]
        }
        weightOffsets = w
        biasOffsets = b
        parameterCount = offset - base
    }

    public var layerCount: Int { sizes.count - 1 }
    public var inputSize: Int { sizes[0] }
    public var outputSize: Int { sizes[sizes.count - 1] }
    /// One past the last parameter of this network in the flat vector.
    public var end: Int { base + parameterCount }
}
