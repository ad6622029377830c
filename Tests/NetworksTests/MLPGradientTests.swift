import Environments
import Networks
import Testing

/// loss = Σ_r,j c_rj · out_rj for a fixed random c: its gradient is the backward pass of dOut = c.
@Test func mlpBackwardMatchesFiniteDifferences() {
    let layout = MLPLayout(sizes: [3, 5, 4, 2], base: 7)  // non-zero base: offsets must be honoured
    let rows = 4
    var θ = [Float](repeating: 0, count: layout.end + 3)
    let initial = randomFloats(layout.parameterCount, scale: 0.7, seed: 1)
    for i in 0..<layout.parameterCount { θ[layout.base + i] = initial[i] }
    var input = randomFloats(rows * 3, seed: 2)
    let c = randomFloats(rows * 2, seed: 3)
    let ws = MLPWorkspace(layout: layout, capacity: rows)

    func loss(_ θ: [Float], _ x: [Float]) -> Double {
        let out = MLP.forward(parameters: θ, input: x, rows: rows, workspace: ws)
        var s = 0.0
        for k in 0..<(rows * 2) { s += Double(c[k]) * Double(out[k]) }
        return s
    }
    MLP.forward(parameters: θ, input: input, rows: rows, workspace: ws)
    var g = [Float](repeating: 0, count: θ.count)
    var dInput = [Float](repeating: 0, count: input.count)
    MLP.backward(parameters: θ, input: input, rows: rows, outputGradient: c, gradient: &g, workspace: ws,
                 inputGradient: &dInput)

    let fd = finiteDifferenceGradient(&θ) { loss($0, input) }
    #expect(relativeError(g.map(Double.init), fd) < 2e-3)
    // Parameters outside the layout get no gradient.
    #expect(g[0..<layout.base].allSatisfy { $0 == 0 } && g[layout.end...].allSatisfy { $0 == 0 })
    let theta = θ
    let fdInput = finiteDifferenceGradient(&input) { loss(theta, $0) }
    #expect(relativeError(dInput.map(Double.init), fdInput) < 2e-3)
}

@Test func mlpBackwardAccumulatesIntoGradient() {
    let layout = MLPLayout(sizes: [2, 3, 1])
    let θ = randomFloats(layout.parameterCount, seed: 4)
    let x = randomFloats(2, seed: 5)
    let ws = MLPWorkspace(layout: layout, capacity: 1)
    MLP.forward(parameters: θ, input: x, rows: 1, workspace: ws)
    var once = [Float](repeating: 0, count: θ.count)
    MLP.backward(parameters: θ, input: x, rows: 1, outputGradient: [1], gradient: &once, workspace: ws)
    var twice = once
    MLP.backward(parameters: θ, input: x, rows: 1, outputGradient: [1], gradient: &twice, workspace: ws)
    #expect(zip(once, twice).allSatisfy { abs(2 * $0 - $1) <= 1e-6 * max(1, abs($1)) })
    #expect(once.contains { $0 != 0 })
}

@Test func orthogonalInitRowsOrColumnsAreOrthonormalTimesGain() {
    var rng = SeededGenerator(seed: 1)
    for (rows, cols) in [(4, 7), (7, 4), (5, 5)] {
        let gain = 1.7
        let w = OrthogonalInit.matrix(rows: rows, cols: cols, gain: gain, normal: { rng.normal() })
        let short = min(rows, cols)
        for i in 0..<short {
            for j in 0..<short {
                var d = 0.0
                if rows <= cols {
                    for k in 0..<cols { d += Double(w[i * cols + k]) * Double(w[j * cols + k]) }
                } else {
                    for k in 0..<rows { d += Double(w[k * cols + i]) * Double(w[k * cols + j]) }
                }
                #expect(abs(d - (i == j ? gain * gain : 0)) < 1e-5, "\(rows)×\(cols) [\(i),\(j)] = \(d)")
            }
        }
    }
}

@Test func actorCriticLayoutAndInit() {
    let net = ActorCritic(observationSize: 3, head: .gaussian(dimension: 1))
    // policy 3→64→64→1, log σ (1), value 3→64→64→1
    let policy = 3 * 64 + 64 + 64 * 64 + 64 + 64 + 1
    #expect(net.policy.parameterCount == policy)
    #expect(net.logStdOffset == policy)
    #expect(net.value.base == policy + 1)
    #expect(net.parameterCount == policy + 1 + policy)
    var θ = [Float](repeating: 9, count: net.parameterCount)
    var rng = SeededGenerator(seed: 3)
    net.initialize(&θ, normal: { rng.normal() })
    #expect(θ[net.logStdOffset] == 0)
    #expect(θ[net.policy.biasOffsets[0]..<(net.policy.biasOffsets[0] + 64)].allSatisfy { $0 == 0 })
    // Policy head rows have norm 0.01 (orthogonal with gain 0.01, 1 row of 64).
    let head = θ[net.policy.weightOffsets[2]..<(net.policy.weightOffsets[2] + 64)]
    let norm = head.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    #expect(abs(norm - 0.01) < 1e-6)
    let categorical = ActorCritic(observationSize: 148, head: .categorical(count: 7))
    #expect(categorical.value.base == categorical.policy.end)
}
