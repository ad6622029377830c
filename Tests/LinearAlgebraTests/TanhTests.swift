import Foundation
import LinearAlgebra
import Testing

@Test func vectorisedTanhMatchesLibm() {
    // Dense sweep over [-12, 12] plus values around the small-argument switch (4e-4) and the clamp (7.905).
    var xs: [Float] = stride(from: -12.0, through: 12.0, by: 0.000_37).map { Float($0) }
    xs += [0, -0, 0.0004, -0.0004, 0.000_399_99, 1e-30, -1e-7, 7.905_311, 7.905_312, 9, 9.5, -50, 50]
    var ys = [Float](repeating: .nan, count: xs.count)
    Activations.tanh(xs, &ys, count: xs.count)
    var worst = 0.0
    for (x, y) in zip(xs, ys) {
        let exact = Foundation.tanh(Double(x))
        worst = max(worst, abs(Double(y) - exact))
        #expect(abs(y) <= 1)
    }
    #expect(worst < 4e-7, "max abs error \(worst)")
    #expect(ys[xs.firstIndex(of: 0)!] == 0)
}

@Test func tanhIsOdd() {
    let xs: [Float] = [0.0001, 0.0005, 0.1, 0.39, 0.41, 1, 2.5, 7, 8, 20]
    var pos = [Float](repeating: 0, count: xs.count), neg = pos
    Activations.tanh(xs, &pos, count: xs.count)
    Activations.tanh(xs.map { -$0 }, &neg, count: xs.count)
    #expect(zip(pos, neg).allSatisfy { $0 == -$1 })
}

@Test func tanhBackwardIsOneMinusYSquared() {
    let y: [Float] = [0, 0.5, -0.9, 0.99]
    let dy: [Float] = [1, 2, -1, 3]
    var dx = [Float](repeating: 0, count: 4)
    Activations.tanhBackward(y: y, dy: dy, dx: &dx, count: 4)
    let expected: [Float] = [1, 1.5, -(1 - Float(0.9) * Float(0.9)), 3 * (1 - Float(0.99) * Float(0.99))]
    #expect(dx == expected)
}

@Test func gemmMatchesNaiveProductForEveryTransposition() {
    let m = 3, n = 4, k = 5
    let a: [Float] = (0..<(m * k)).map { Float($0 % 7) - 3 }        // m×k
    let b: [Float] = (0..<(k * n)).map { Float(($0 * 5) % 11) / 4 }  // k×n
    func naive(_ a: [Float], _ b: [Float]) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for l in 0..<k { c[i * n + j] += a[i * k + l] * b[l * n + j] } } }
        return c
    }
    func transpose(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        var t = [Float](repeating: 0, count: x.count)
        for i in 0..<rows { for j in 0..<cols { t[j * rows + i] = x[i * cols + j] } }
        return t
    }
    let expected = naive(a, b)
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
        let aa = ta ? transpose(a, rows: m, cols: k) : a
        let bb = tb ? transpose(b, rows: k, cols: n) : b
        var c = [Float](repeating: 1, count: m * n)
        BLAS.gemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 2, a: aa, lda: ta ? m : k,
                  b: bb, ldb: tb ? k : n, beta: 0.5, c: &c, ldc: n)
        #expect(c == expected.map { 2 * $0 + 0.5 }, "transA \(ta) transB \(tb)")
    }
}

@Test func floatBufferCodableRoundTripIsExact() throws {
    let b = FloatBuffer([1.5, -0.1, .leastNonzeroMagnitude, 3.402_823_5e38, 0.333_333_34])
    let data = try JSONEncoder().encode(b)
    let c = try JSONDecoder().decode(FloatBuffer.self, from: data)
    #expect(c.array == b.array)
}
