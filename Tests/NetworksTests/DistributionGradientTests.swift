import Foundation
import Networks
import Testing

// Gaussian with dim 2 over 3 rows; categorical with 4 actions over 3 rows.
let dim = 2, rows = 3, nActions = 4

@Test func gaussianLogProbAndItsGradient() {
    var mean = randomFloats(rows * dim, seed: 10)
    var logStd: [Float] = [0.3, -0.5]
    let actions = randomFloats(rows * dim, seed: 11)
    let scale: [Float] = [0.5, -1.2, 2.0]
    func f(_ m: [Float], _ ls: [Float]) -> Double {
        var out = [Float](repeating: 0, count: rows)
        DiagGaussian.logProb(mean: m, logStd: ls, actions: actions, rows: rows, dim: dim, into: &out)
        return zip(out, scale).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    }
    // Hand value for row 0: Σ −½z² − log σ − ½ log 2π.
    var out = [Float](repeating: 0, count: rows)
    DiagGaussian.logProb(mean: mean, logStd: logStd, actions: actions, rows: rows, dim: dim, into: &out)
    var hand = 0.0
    for i in 0..<dim {
        let z = Double(actions[i] - mean[i]) / exp(Double(logStd[i]))
        hand += -0.5 * z * z - Double(logStd[i]) - 0.5 * log(2 * Double.pi)
    }
    #expect(abs(Double(out[0]) - hand) < 1e-5)

    var dMean = [Float](repeating: 0, count: rows * dim), dLogStd: [Float] = [0, 0]
    DiagGaussian.logProbBackward(mean: mean, logStd: logStd, actions: actions, rows: rows, dim: dim, scale: scale,
                                 dMean: &dMean, dLogStd: &dLogStd)
    let ls = logStd, m = mean
    #expect(relativeError(dMean.map(Double.init), finiteDifferenceGradient(&mean, epsilon: 1e-3) { f($0, ls) }) < 1e-3)
    #expect(relativeError(dLogStd.map(Double.init), finiteDifferenceGradient(&logStd, epsilon: 1e-3) { f(m, $0) }) < 1e-3)
}

@Test func gaussianEntropyClosedForm() {
    let logStd: [Float] = [0.3, -0.5]
    let h = DiagGaussian.entropy(logStd: logStd, dim: 2)
    let expected = (0.3 - 0.5) + 2 * 0.5 * (1 + log(2 * Double.pi))
    #expect(abs(Double(h) - expected) < 1e-6)
}

@Test func gaussianKLValueAndGradientsOfBothSides() {
    var meanP = randomFloats(rows * dim, seed: 12), meanQ = randomFloats(rows * dim, seed: 13)
    var logStdP: [Float] = [0.2, -0.4], logStdQ: [Float] = [-0.1, 0.5]
    let scale: [Float] = [1, -0.5, 0.25]
    func f(_ mp: [Float], _ lp: [Float], _ mq: [Float], _ lq: [Float]) -> Double {
        var out = [Float](repeating: 0, count: rows)
        DiagGaussian.kl(meanP: mp, logStdP: lp, meanQ: mq, logStdQ: lq, rows: rows, dim: dim, into: &out)
        return zip(out, scale).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    }
    // KL(p‖p) = 0 and KL ≥ 0.
    var same = [Float](repeating: 1, count: rows)
    DiagGaussian.kl(meanP: meanP, logStdP: logStdP, meanQ: meanP, logStdQ: logStdP, rows: rows, dim: dim, into: &same)
    #expect(same.allSatisfy { abs($0) < 1e-6 })
    var kl = [Float](repeating: 0, count: rows)
    DiagGaussian.kl(meanP: meanP, logStdP: logStdP, meanQ: meanQ, logStdQ: logStdQ, rows: rows, dim: dim, into: &kl)
    #expect(kl.allSatisfy { $0 > 0 })

    var dmp = [Float](repeating: 0, count: rows * dim), dmq = dmp
    var dlp: [Float] = [0, 0], dlq: [Float] = [0, 0]
    DiagGaussian.klBackward(meanP: meanP, logStdP: logStdP, meanQ: meanQ, logStdQ: logStdQ, rows: rows, dim: dim,
                            scale: scale, dMeanP: &dmp, dLogStdP: &dlp, dMeanQ: &dmq, dLogStdQ: &dlq)
    let (mp, lp, mq, lq) = (meanP, logStdP, meanQ, logStdQ)
    #expect(relativeError(dmp.map(Double.init), finiteDifferenceGradient(&meanP, epsilon: 1e-3) { f($0, lp, mq, lq) }) < 1e-3)
    #expect(relativeError(dlp.map(Double.init), finiteDifferenceGradient(&logStdP, epsilon: 1e-3) { f(mp, $0, mq, lq) }) < 1e-3)
    #expect(relativeError(dmq.map(Double.init), finiteDifferenceGradient(&meanQ, epsilon: 1e-3) { f(mp, lp, $0, lq) }) < 1e-3)
    #expect(relativeError(dlq.map(Double.init), finiteDifferenceGradient(&logStdQ, epsilon: 1e-3) { f(mp, lp, mq, $0) }) < 1e-3)
}

@Test func categoricalLogProbEntropyAndGradients() {
    var logits = randomFloats(rows * nActions, seed: 14)
    let actions: [Float] = [0, 3, 2]
    let scale: [Float] = [0.7, -1.1, 1.3]
    var scratch = [Float](repeating: 0, count: 2 * nActions)
    func logProb(_ z: [Float]) -> Double {
        var out = [Float](repeating: 0, count: rows), s = scratch
        Categorical.logProb(logits: z, actions: actions, rows: rows, n: nActions, scratch: &s, into: &out)
        return zip(out, scale).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    }
    func entropy(_ z: [Float]) -> Double {
        var out = [Float](repeating: 0, count: rows), s = scratch
        Categorical.entropy(logits: z, rows: rows, n: nActions, scratch: &s, into: &out)
        return zip(out, scale).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    }
    // Hand values on row 0.
    let z0 = logits[0..<nActions].map(Double.init)
    let lse = log(z0.map(exp).reduce(0, +))
    var lp = [Float](repeating: 0, count: rows)
    Categorical.logProb(logits: logits, actions: actions, rows: rows, n: nActions, scratch: &scratch, into: &lp)
    #expect(abs(Double(lp[0]) - (z0[0] - lse)) < 1e-6)
    var h = [Float](repeating: 0, count: rows)
    Categorical.entropy(logits: logits, rows: rows, n: nActions, scratch: &scratch, into: &h)
    let handH = -z0.map { exp($0 - lse) * ($0 - lse) }.reduce(0, +)
    #expect(abs(Double(h[0]) - handH) < 1e-6)
    // Uniform logits: entropy log n.
    var uniformH = [Float](repeating: 0, count: 1)
    Categorical.entropy(logits: [2, 2, 2, 2], rows: 1, n: 4, scratch: &scratch, into: &uniformH)
    #expect(abs(Double(uniformH[0]) - log(4)) < 1e-6)

    var dLogits = [Float](repeating: 0, count: rows * nActions)
    Categorical.logProbBackward(logits: logits, actions: actions, rows: rows, n: nActions, scale: scale,
                                scratch: &scratch, dLogits: &dLogits)
    #expect(relativeError(dLogits.map(Double.init), finiteDifferenceGradient(&logits, epsilon: 1e-3, logProb)) < 1e-3)
    var dH = [Float](repeating: 0, count: rows * nActions)
    Categorical.entropyBackward(logits: logits, rows: rows, n: nActions, scale: scale, scratch: &scratch, dLogits: &dH)
    #expect(relativeError(dH.map(Double.init), finiteDifferenceGradient(&logits, epsilon: 1e-3, entropy)) < 1e-3)
}

@Test func categoricalKLAndGradientsOfBothSides() {
    var p = randomFloats(rows * nActions, seed: 15), q = randomFloats(rows * nActions, seed: 16)
    let scale: [Float] = [1, 0.5, -2]
    var scratch = [Float](repeating: 0, count: 2 * nActions)
    func f(_ p: [Float], _ q: [Float]) -> Double {
        var out = [Float](repeating: 0, count: rows), s = scratch
        Categorical.kl(logitsP: p, logitsQ: q, rows: rows, n: nActions, scratch: &s, into: &out)
        return zip(out, scale).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    }
    var self0 = [Float](repeating: 1, count: rows)
    Categorical.kl(logitsP: p, logitsQ: p, rows: rows, n: nActions, scratch: &scratch, into: &self0)
    #expect(self0.allSatisfy { abs($0) < 1e-6 })
    var dp = [Float](repeating: 0, count: rows * nActions), dq = dp
    Categorical.klBackward(logitsP: p, logitsQ: q, rows: rows, n: nActions, scale: scale, scratch: &scratch,
                           dLogitsP: &dp, dLogitsQ: &dq)
    let (pp, qq) = (p, q)
    #expect(relativeError(dp.map(Double.init), finiteDifferenceGradient(&p, epsilon: 1e-3) { f($0, qq) }) < 1e-3)
    #expect(relativeError(dq.map(Double.init), finiteDifferenceGradient(&q, epsilon: 1e-3) { f(pp, $0) }) < 1e-3)
}

@Test func categoricalSamplingFollowsTheProbabilities() {
    let logits: [Float] = [0, log(3), 0, log(4)]  // p = 1/9, 3/9, 1/9, 4/9
    var counts = [Int](repeating: 0, count: 4)
    var scratch = [Float](repeating: 0, count: 8)
    var u = 0.0
    let draws = 9000
    for k in 0..<draws {
        var a: [Float] = [0]
        u = (Double(k) + 0.5) / Double(draws)  // stratified: exact frequencies expected
        Categorical.sample(logits: logits, rows: 1, n: 4, scratch: &scratch, into: &a, uniform: { u })
        counts[Int(a[0])] += 1
    }
    #expect(counts == [1000, 3000, 1000, 4000])
}
