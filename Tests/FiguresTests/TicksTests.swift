import Testing
@testable import Figures

@Suite struct TicksTests {
    @Test func niceStepsAreOneTwoTwoHalfOrFiveTimesAPowerOfTen() {
        #expect(Ticks.niceStep(0.7) == 1)
        #expect(Ticks.niceStep(1.3) == 2)
        #expect(Ticks.niceStep(2.2) == 2.5)
        #expect(Ticks.niceStep(3) == 5)
        #expect(Ticks.niceStep(230_000) == 250_000)
        #expect(Ticks.niceStep(0.0041) == 0.005)
    }

    @Test func axisHoldsTheDataAndEndsOnTicks() {
        let a = Ticks.axis(low: -1_234, high: -140)
        #expect(a.lower <= -1_234 && a.upper >= -140)
        #expect(a.values.first == a.lower && a.values.last == a.upper)
        #expect(a.step == 250)
        #expect(a.values == [-1_250, -1_000, -750, -500, -250, 0])
        let flat = Ticks.axis(low: 3, high: 3)
        #expect(flat.lower < 3 && flat.upper > 3)
    }

    @Test func labelsUseSISuffixesForLargeNumbersAndNeverMinusZero() {
        #expect(Ticks.label(200_000, step: 200_000) == "200k")
        #expect(Ticks.label(1_500_000, step: 500_000) == "1.5M")
        #expect(Ticks.label(1_000_000, step: 200_000) == "1M")
        #expect(Ticks.label(0.25, step: 0.25) == "0.25")
        #expect(Ticks.label(-150, step: 50) == "-150")
        #expect(Ticks.label(5_000, step: 1_000) == "5000")
        #expect(Ticks.label(-1e-13, step: 0.1) == "0.0")
    }
}

extension TicksTests {
    @Test func tightAxisEndsAtTheDataWithTicksInside() {
        let a = Ticks.tightAxis(low: 8_192, high: 1_007_616)
        #expect(a.lower == 0 && a.upper == 1_007_616)
        #expect(a.values == [0, 200_000, 400_000, 600_000, 800_000, 1_000_000])
        let b = Ticks.tightAxis(low: 500, high: 900)
        #expect(b.lower == 500 && b.upper == 900 && b.values.allSatisfy { $0 >= 500 && $0 <= 900 })
    }
}
