import LinearAlgebra

/// MCPO's policy memory M (method.md §3.2): a FIFO buffer of at most N past parameter vectors θ_j
/// (policy and value parameters). Slots are numbered oldest first (logical slot 0 is the oldest);
/// physically it is a ring, so a write never moves the stored vectors.
struct PolicyMemory: Codable {
    let capacity: Int
    let parameterCount: Int
    /// [capacity × parameterCount], row-major, physical order.
    let storage: FloatBuffer
    private(set) var count = 0
    /// Physical row of logical slot 0.
    private(set) var start = 0
    /// Writes since the start of training.
    private(set) var writes = 0

    init(capacity: Int, parameterCount: Int) {
        self.capacity = capacity
        self.parameterCount = parameterCount
        storage = FloatBuffer(count: capacity * parameterCount)
    }

    /// Physical row holding logical slot j.
    @inline(__always)
    func physical(_ j: Int) -> Int { (start + j) % capacity }

    /// θ_j, logical slot j (0 = oldest).
    func slot(_ j: Int) -> UnsafeMutablePointer<Float> { storage.pointer + physical(j) * parameterCount }

    /// Appends θ; when |M| would exceed N the oldest slot is dropped.
    mutating func push(_ θ: UnsafePointer<Float>) {
        let row: Int
        if count < capacity {
            row = physical(count)
            count += 1
        } else {
            row = start
            start = (start + 1) % capacity
        }
        (storage.pointer + row * parameterCount).update(from: θ, count: parameterCount)
        writes += 1
    }

    /// ψ = Σ_j w_j·θ_j for logical weights w (w_j = 0 beyond `count`), via one gemv over the
    /// physical rows; `physicalWeights` is scratch of `capacity` floats.
    func combine(weights w: UnsafePointer<Float>, physicalWeights: UnsafeMutablePointer<Float>,
                 into ψ: UnsafeMutablePointer<Float>) {
        physicalWeights.update(repeating: 0, count: capacity)
        for j in 0..<count { physicalWeights[physical(j)] = w[j] }
        BLAS.gemv(trans: true, m: capacity, n: parameterCount, a: storage.pointer, lda: parameterCount,
                  x: physicalWeights, beta: 0, y: ψ)
    }

    /// out_j = ⟨g, θ_j⟩ over the first `prefix` parameters, for every logical slot j < count
    /// (∂/∂w_j of a function of ψ whose gradient g is zero beyond `prefix`).
    func innerProducts(with g: UnsafePointer<Float>, prefix: Int, physicalScratch: UnsafeMutablePointer<Float>,
                       into out: UnsafeMutablePointer<Float>) {
        BLAS.gemv(trans: false, m: capacity, n: prefix, a: storage.pointer, lda: parameterCount,
                  x: g, beta: 0, y: physicalScratch)
        for j in 0..<capacity { out[j] = j < count ? physicalScratch[physical(j)] : 0 }
    }
}
