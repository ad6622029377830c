import Foundation
import Networks
import Testing

@Test func adamFirstTwoStepsByHand() {
    var adam = Adam(count: 2, learningRate: 0.1)
    var θ: [Float] = [1, -2]
    adam.update(parameters: &θ, gradient: [0.5, -4])
    // Step 1: m̂ = g, v̂ = g², θ −= lr·g/(|g| + ε).
    #expect(abs(θ[0] - (1 - 0.1 * 0.5 / (0.5 + 1e-5))) < 1e-6)
    #expect(abs(θ[1] - (-2 + 0.1 * 4 / (4 + 1e-5))) < 1e-6)
    let before = θ
    adam.update(parameters: &θ, gradient: [1, 0])
    // Step 2 for θ0: m = 0.9·0.05 + 0.1·1 = 0.145, v = 0.999·0.00025 + 0.001·1 = 0.00124975,
    // m̂ = m/(1−0.81), v̂ = v/(1−0.998001).
    let m = 0.145 / 0.19, v = 0.00124975 / (1 - 0.998001)
    #expect(abs(Double(θ[0]) - (Double(before[0]) - 0.1 * m / (v.squareRoot() + 1e-5))) < 1e-5)
    #expect(adam.step == 2)
}

@Test func gradientClippingScalesToTheMaximumNorm() {
    var g: [Float] = [3, 4]  // norm 5
    let norm = GradientClipping.clipGlobalNorm(&g, count: 2, maxNorm: 0.5)
    #expect(norm == 5)
    #expect(abs(g[0] - 0.3) < 1e-5 && abs(g[1] - 0.4) < 1e-5)
    var small: [Float] = [0.1, 0.2]
    GradientClipping.clipGlobalNorm(&small, count: 2, maxNorm: 0.5)
    #expect(small == [0.1, 0.2])
}
