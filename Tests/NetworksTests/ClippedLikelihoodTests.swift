import Foundation
import Testing
@testable import Networks

/// Φ(x) by hand, for the hand-computed values.
private func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

@Test func clippedLikelihoodValuesInEachRegionByHand() {
    // One dimension, bounds [−1, 2], μ = 0.5, σ = e^−0.3: one sample below, one inside, one above.
    let bounds = DiagGaussian.Bounds(low: -1, high: 2)
    let mean: [Float] = [0.5, 0.5, 0.5], logStd: [Float] = [-0.3], actions: [Float] = [-1.7, 0.9, 2.0]
    var out = [Float](repeating: 0, count: 3)
    DiagGaussian.logProb(mean: mean, logStd: logStd, actions: actions, rows: 3, dim: 1, bounds: bounds, into: &out)
    let σ = exp(-0.3)
    let below = log(normalCDF((-1 - 0.5) / σ))                      // P(a ≤ −1)
    let z = (0.9 - 0.5) / σ
    let inside = -0.5 * z * z + 0.3 - 0.5 * log(2 * Double.pi)    // the Gaussian density
    let above = log(1 - normalCDF((2 - 0.5) / σ))                  // P(a ≥ 2), the bound itself included
    #expect(abs(Double(out[0]) - below) < 1e-5)
    #expect(abs(Double(out[1]) - inside) < 1e-5)
    #expect(abs(Double(out[2]) - above) < 1e-5)
    // Far in the tail (50 σ past the bound) log Φ stays finite and close to its asymptote.
    DiagGaussian.logProb(mean: [60], logStd: [0], actions: [-3], rows: 1, dim: 1, bounds: bounds, into: &out)
    let x = -61.0
    #expect(abs(Double(out[0]) - (-0.5 * x * x - log(-x) - 0.5 * log(2 * Double.pi))) < 1e-2 * abs(Double(out[0])))
}

@Test func clippedLikelihoodGradientMatchesFiniteDifferences() {
    // Two dimensions, six rows, bounds [−0.4, 0.5] so that samples fall in all three regions.
    let bounds = DiagGaussian.Bounds(low: -0.4, high: 0.5)
    let n = 6, d = 2
    var mean = randomFloats(n * d, scale: 0.6, seed: 21)
    var logStd: [Float] = [-0.2, 0.4]
    let actions = randomFloats(n * d, scale: 1.2, seed: 22)
    #expect(actions.contains { $0 >= 0.5 } && actions.contains { $0 <= -0.4 } && actions.contains { $0 > -0.4 && $0 < 0.5 })
    let scale: [Float] = [0.5, -1.2, 2.0, 0.7, -0.3, 1.1]
    func f(_ m: [Float], _ ls: [Float]) -> Double {
        var out = [Float](repeating: 0, count: n)
        DiagGaussian.logProb(mean: m, logStd: ls, actions: actions, rows: n, dim: d, bounds: bounds, into: &out)
        return zip(out, scale).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    }
    var dMean = [Float](repeating: 0, count: n * d), dLogStd: [Float] = [0, 0]
    DiagGaussian.logProbBackward(mean: mean, logStd: logStd, actions: actions, rows: n, dim: d, bounds: bounds,
                                 scale: scale, dMean: &dMean, dLogStd: &dLogStd)
    let ls = logStd, m = mean
    #expect(relativeError(dMean.map(Double.init), finiteDifferenceGradient(&mean, epsilon: 1e-3) { f($0, ls) }) < 1e-3)
    #expect(relativeError(dLogStd.map(Double.init), finiteDifferenceGradient(&logStd, epsilon: 1e-3) { f(m, $0) }) < 1e-3)
}
