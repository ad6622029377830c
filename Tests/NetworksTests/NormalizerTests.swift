import Foundation
import Testing
@testable import Networks

@Suite struct RunningMeanStdTests {
    @Test func startsAtZeroMeanUnitVariance() {
        let rms = RunningMeanStd(dimension: 3)
        #expect(rms.mean == [0, 0, 0])
        #expect(rms.variance == [1, 1, 1])
        #expect(rms.count == 1e-4)
    }

    /// With no prior mass the first batch gives its own mean and population variance:
    /// column 1: {1, 2, 3} → 2, 2/3; column 2: {10, 20, 60} → 30, (400 + 100 + 900)/3.
    @Test func firstBatchWithoutPriorIsPlainMeanAndVariance() {
        var rms = RunningMeanStd(dimension: 2, count: 0)
        let batch: [Float] = [1, 10, 2, 20, 3, 60]
        rms.update(batch, rows: 3)
        #expect(abs(rms.mean[0] - 2) < 1e-12)
        #expect(abs(rms.mean[1] - 30) < 1e-12)
        #expect(abs(rms.variance[0] - 2.0 / 3.0) < 1e-12)
        #expect(abs(rms.variance[1] - 1400.0 / 3.0) < 1e-10)
        #expect(rms.count == 3)
    }

    /// Same batch against the 1e-4 prior (mean 0, var 1): values computed by hand with
    /// Chan's formula (total 3.0001; mean = 3·m_b/3.0001; M2 = 1e-4 + 3·v_b + m_b²·3e-4/3.0001).
    @Test func firstBatchWithDefaultPrior() {
        var rms = RunningMeanStd(dimension: 2)
        let batch: [Float] = [1, 10, 2, 20, 3, 60]
        rms.update(batch, rows: 3)
        #expect(abs(rms.mean[0] - 1.9999333355554814) < 1e-12)
        #expect(abs(rms.mean[1] - 29.99900003333222) < 1e-11)
        #expect(abs(rms.variance[0] - 0.6668111018523086) < 1e-12)
        #expect(abs(rms.variance[1] - 466.6811429619346) < 1e-9)
        #expect(abs(rms.count - 3.0001) < 1e-12)
    }

    /// One batch, single rows and uneven chunks all give the statistics of the whole data.
    @Test func batchEqualsSequentialUpdates() {
        let rows = 10, dim = 3
        var data = [Float]()
        for r in 0..<rows { for j in 0..<dim { data.append(Float((r * 7 + j * 3) % 11) * 0.5 - Float(j)) } }

        var whole = RunningMeanStd(dimension: dim, count: 0)
        var single = RunningMeanStd(dimension: dim, count: 0)
        var chunked = RunningMeanStd(dimension: dim, count: 0)
        var priorWhole = RunningMeanStd(dimension: dim)
        var priorSingle = RunningMeanStd(dimension: dim)
        data.withUnsafeBufferPointer { p in
            whole.update(p.baseAddress!, rows: rows)
            priorWhole.update(p.baseAddress!, rows: rows)
            for r in 0..<rows {
                single.update(p.baseAddress! + r * dim, rows: 1)
                priorSingle.update(p.baseAddress! + r * dim, rows: 1)
            }
            chunked.update(p.baseAddress!, rows: 3)
            chunked.update(p.baseAddress! + 3 * dim, rows: 5)
            chunked.update(p.baseAddress! + 8 * dim, rows: 2)
        }
        for j in 0..<dim {
            let column = (0..<rows).map { Double(data[$0 * dim + j]) }
            let mean = column.reduce(0, +) / Double(rows)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rows)
            for rms in [whole, single, chunked] {
                #expect(abs(rms.mean[j] - mean) < 1e-12)
                #expect(abs(rms.variance[j] - variance) < 1e-12)
            }
            #expect(abs(priorWhole.mean[j] - priorSingle.mean[j]) < 1e-12)
            #expect(abs(priorWhole.variance[j] - priorSingle.variance[j]) < 1e-12)
            // The tiny prior barely moves the result.
            #expect(abs(priorWhole.mean[j] - mean) < 1e-4)
        }
        #expect(abs(single.count - Double(rows)) < 1e-12)
        #expect(abs(priorSingle.count - (Double(rows) + 1e-4)) < 1e-12)
    }

    @Test func doubleAndFloatUpdatesAgree() {
        var a = RunningMeanStd(dimension: 1)
        var b = RunningMeanStd(dimension: 1)
        let f: [Float] = [0.5, -1.25, 4]
        let d: [Double] = [0.5, -1.25, 4]
        a.update(f, rows: 3)
        b.update(d, rows: 3)
        #expect(a == b)
    }

    @Test func normalizeCentresScalesAndClips() {
        var rms = RunningMeanStd(dimension: 2, count: 0)
        // column 0: {0, 4} → mean 2, var 4; column 1: {10, 10} → mean 10, var 0.
        let batch: [Float] = [0, 10, 4, 10]
        rms.update(batch, rows: 2)
        var x: [Float] = [6, 10, 2, 10.5, -100, 9.99]
        x.withUnsafeMutableBufferPointer { rms.normalize($0.baseAddress!, rows: 3, clip: 5) }
        #expect(abs(x[0] - 2) < 1e-6)          // (6 − 2) / 2
        #expect(x[1] == 0)
        #expect(x[2] == 0)
        #expect(x[3] == 5)                      // 0.5 / 1e-4 clipped
        #expect(x[4] == -5)                     // −51 clipped
        #expect(x[5] == -5)                     // −0.01 / 1e-4 clipped
        var y: [Float] = [3]
        var one = RunningMeanStd(dimension: 1)
        one.update([Float(1)], rows: 1)         // mean ≈ 1, var ≈ 1e-4
        y.withUnsafeMutableBufferPointer { one.normalize($0.baseAddress!, rows: 1) }
        #expect(y[0] == 10)                     // default clip
    }

    @Test func codableRoundTrip() throws {
        var rms = RunningMeanStd(dimension: 2)
        rms.update([Float(1), 2, 3, 5], rows: 2)
        let data = try JSONEncoder().encode(rms)
        let back = try JSONDecoder().decode(RunningMeanStd.self, from: data)
        #expect(back == rms)
    }
}

@Suite struct RewardScalerTests {
    /// γ = 0.5, two actors. Step 1: r = (1, 3), returns (1, 3), actor 0 done.
    /// Step 2: r = (2, −1), returns (0·0.5 + 2, 3·0.5 − 1) = (2, 0.5). Variances by hand with
    /// the 1e-4 prior: step 1 var = (1e-4 + 2·1 + 4·2e-4/2.0001)/2.0001 = 1.0001999800015.
    @Test func handComputedTwoSteps() {
        var scaler = RewardScaler(actors: 2, gamma: 0.5)
        var out = [Float](repeating: .nan, count: 2)
        scaler.scale(rewards: [1, 3], dones: [true, false], into: &out)
        #expect(scaler.returns == [0, 3])
        #expect(abs(scaler.statistics.variance[0] - 1.0001999800015) < 1e-12)
        #expect(abs(out[0] - 0.9999000430107117) < 1e-6)
        #expect(abs(out[1] - 2.9997000694274902) < 1e-6)

        scaler.scale(rewards: [2, -1], dones: [false, false], into: &out)
        #expect(scaler.returns == [2, 0.5])
        #expect(abs(scaler.statistics.mean[0] - 1.6249593760155996) < 1e-12)
        #expect(abs(scaler.statistics.variance[0] - 0.9219429654005157) < 1e-12)
        #expect(abs(out[0] - 2.0829458236694336) < 1e-6)
        #expect(abs(out[1] - -1.0414729118347168) < 1e-6)
    }

    /// Many zero returns shrink the variance toward 0, so a unit reward scales past ±10.
    @Test func clipsToTen() {
        var scaler = RewardScaler(actors: 2, gamma: 0.99)
        var out = [Float](repeating: 0, count: 2)
        for _ in 0..<1000 { scaler.scale(rewards: [0, 0], dones: [false, false], into: &out) }
        #expect(out == [0, 0])
        scaler.scale(rewards: [1, -1], dones: [false, false], into: &out)
        #expect(out == [10, -10])
    }

    /// Per-vector-step updates equal one RunningMeanStd fed the returns by hand.
    @Test func matchesManualReturnStatistics() {
        let gamma = 0.9
        var scaler = RewardScaler(actors: 3, gamma: gamma)
        var rms = RunningMeanStd(dimension: 1)
        var returns = [0.0, 0.0, 0.0]
        var out = [Float](repeating: 0, count: 3)
        for t in 0..<50 {
            let rewards = (0..<3).map { Double(($0 + 1) * ((t * 5 + $0) % 7)) - 3 }
            let dones = (0..<3).map { (t + $0) % 11 == 0 }
            for i in 0..<3 { returns[i] = returns[i] * gamma + rewards[i] }
            rms.update(returns, rows: 3)
            scaler.scale(rewards: rewards, dones: dones, into: &out)
            for i in 0..<3 {
                let expected = min(max(rewards[i] / (rms.variance[0] + 1e-8).squareRoot(), -10), 10)
                #expect(abs(Double(out[i]) - expected) < 1e-5 * max(1, abs(expected)))
                if dones[i] { returns[i] = 0 }
            }
        }
        #expect(scaler.statistics == rms)
        #expect(scaler.returns == returns)
    }
}
