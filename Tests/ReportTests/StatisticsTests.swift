import Testing
@testable import Report

private typealias S = Statistics.Summary

@Suite struct StatisticsTests {
    @Test func meanAndSampleStdByHand() throws {
        // 1, 2, 3, 4: mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; 5 / 3.
        #expect(Statistics.mean([1, 2, 3, 4]) == 2.5)
        let s = try #require(Statistics.sampleStandardDeviation([1, 2, 3, 4]))
        #expect(abs(s - (5.0 / 3.0).squareRoot()) < 1e-15)
        #expect(abs(s - 1.2909944487358056) < 1e-15)
        // 10, 12, 14: mean 12, deviations 4 + 0 + 4 = 8, 8 / 2 = 4, std 2.
        #expect(Statistics.sampleStandardDeviation([10, 12, 14]) == 2)
    }

    @Test func emptyAndSingleSample() {
        #expect(Statistics.mean([]) == nil)
        #expect(Statistics.sampleStandardDeviation([]) == nil)
        #expect(S([]) == nil)
        // n = 1: no spread can be estimated; reported as std 0 with n = 1.
        #expect(Statistics.mean([-140.5]) == -140.5)
        #expect(Statistics.sampleStandardDeviation([-140.5]) == 0)
        #expect(S([-140.5]) == S(mean: -140.5, std: 0, n: 1))
    }

    @Test func pooledStdByHand() throws {
        // ((3−1)·1² + (3−1)·2²) / (3+3−2) = 10 / 4.
        let p = try #require(Statistics.pooledStandardDeviation(n1: 3, s1: 1, n2: 3, s2: 2))
        #expect(abs(p - 2.5.squareRoot()) < 1e-15)
        // n1 = 1 contributes no variance but one observation: (0 + 2·4) / (1+3−2) = 4.
        #expect(Statistics.pooledStandardDeviation(n1: 1, s1: 0, n2: 3, s2: 2) == 2)
        // Two single-seed cells: no degrees of freedom.
        #expect(Statistics.pooledStandardDeviation(n1: 1, s1: 0, n2: 1, s2: 0) == nil)
    }

    @Test func cohensDByHand() {
        // (12 − 11) / sqrt((2·4 + 2·4) / 4) = 1 / 2.
        #expect(Statistics.cohensD(best: S(mean: 12, std: 2, n: 3), cell: S(mean: 11, std: 2, n: 3)) == 0.5)
        // (12 − 2) / 2 = 5.
        #expect(Statistics.cohensD(best: S(mean: 12, std: 2, n: 3), cell: S(mean: 2, std: 2, n: 3)) == 5)
    }

    @Test func cohensDEdgeCases() {
        // s_pooled = 0 (both spreads zero): equal means ⇒ 0, different ⇒ +∞ (not indifferent).
        #expect(Statistics.cohensD(best: S(mean: 3, std: 0, n: 4), cell: S(mean: 3, std: 0, n: 4)) == 0)
        #expect(Statistics.cohensD(best: S(mean: 3, std: 0, n: 4), cell: S(mean: 2.9, std: 0, n: 4)) == .infinity)
        // n1 + n2 − 2 = 0 (two single seeds): same rule.
        #expect(Statistics.cohensD(best: S(mean: 5, std: 0, n: 1), cell: S(mean: 5, std: 0, n: 1)) == 0)
        #expect(Statistics.cohensD(best: S(mean: 5, std: 0, n: 1), cell: S(mean: 3, std: 0, n: 1)) == .infinity)
        // n = 1 against n = 3 is defined: (5 − 4.5) / sqrt((0 + 2·0.25) / 2) = 0.5 / 0.5.
        #expect(Statistics.cohensD(best: S(mean: 5, std: 0, n: 1), cell: S(mean: 4.5, std: 0.5, n: 3)) == 1)
    }

    @Test func handWorkedThreeCellColumn() throws {
        // A = 10, 12, 14 → 12 ± 2;  B = 10.5, 11.5, 12.5 → 11.5 ± 1;  C = 0, 2, 4 → 2 ± 2.
        let a = try #require(S([10, 12, 14]))
        let b = try #require(S([10.5, 11.5, 12.5]))
        let c = try #require(S([0, 2, 4]))
        #expect(a == S(mean: 12, std: 2, n: 3))
        #expect(b == S(mean: 11.5, std: 1, n: 3))
        #expect(c == S(mean: 2, std: 2, n: 3))
        let marks = Statistics.marks([b, c, a])
        // A is best. B: s_pooled = sqrt((2·4 + 2·1)/4) = 1.5811…, d = 0.5 / 1.5811… = 0.3162… < 0.5.
        #expect(marks[2] == Statistics.Mark(bold: true, underline: false, d: 0))
        #expect(!marks[0].bold && marks[0].underline)
        #expect(abs(marks[0].d - 0.5 / 2.5.squareRoot()) < 1e-12)
        #expect(abs(marks[0].d - 0.31622776601683794) < 1e-12)
        // C: d = 10 / 2 = 5.
        #expect(marks[1] == Statistics.Mark(bold: false, underline: false, d: 5))
    }

    @Test func thresholdIsStrict() {
        // d = exactly 0.5 is not "< 0.5".
        let marks = Statistics.marks([S(mean: 12, std: 2, n: 3), S(mean: 11, std: 2, n: 3)])
        #expect(marks[1] == Statistics.Mark(bold: false, underline: false, d: 0.5))
    }

    @Test func tiedBestsAreAllBoldAndTheClosestBestDecides() {
        // A and B tie at 10. C against A: 1 / 1 = 1; against B: 1 / sqrt((4·1 + 4·25)/8) = 0.277…
        let cells = [S(mean: 10, std: 1, n: 5), S(mean: 9, std: 1, n: 5), S(mean: 10, std: 5, n: 5)]
        let marks = Statistics.marks(cells)
        #expect(marks[0].bold && marks[2].bold)
        #expect(!marks[0].underline && !marks[2].underline)
        #expect(!marks[1].bold && marks[1].underline)
        #expect(abs(marks[1].d - 1 / 13.0.squareRoot()) < 1e-12)
    }

    @Test func identicalCellsAreAllBold() {
        let cell = S(mean: -150, std: 7, n: 5)
        let marks = Statistics.marks([cell, cell, cell])
        #expect(marks.allSatisfy { $0 == Statistics.Mark(bold: true, underline: false, d: 0) })
        // Constant cells (std 0): the lower one differs with no noise to explain it.
        let constant = Statistics.marks([S(mean: 1, std: 0, n: 3), S(mean: 1, std: 0, n: 3), S(mean: 0, std: 0, n: 3)])
        #expect(constant.map(\.bold) == [true, true, false])
        #expect(constant[2].d == .infinity && !constant[2].underline)
    }

    @Test func singleSeedCells() {
        // All n = 1: the best is bold; every other cell has d = +∞, never underlined.
        let marks = Statistics.marks([S([-200])!, S([-150])!, S([-150.5])!])
        #expect(marks.map(\.bold) == [false, true, false])
        #expect(marks.map(\.underline) == [false, false, false])
        #expect(marks[0].d == .infinity)
        // One seed tying with one seed: both bold.
        #expect(Statistics.marks([S([3])!, S([3])!]).map(\.bold) == [true, true])
    }

    @Test func singleCellColumnAndEmptyColumn() {
        #expect(Statistics.marks([S(mean: 1, std: 1, n: 2)]) == [Statistics.Mark(bold: true, underline: false, d: 0)])
        #expect(Statistics.marks([]).isEmpty)
    }
}
