import ExperimentStore
import Foundation
import Testing
@testable import Report

/// Learning curves from a store: alignment, bands, smoothing and panels, against hand computations.
@Suite struct CurvesTests {
    static func load(_ f: StoreFixture, sweep: String = "small", _ configure: (inout CurveOptions) -> Void = { _ in })
        throws -> (lines: [Curves.Line], options: CurveOptions)
    {
        var options = CurveOptions()
        configure(&options)
        let id = try #require(try f.store.sweep(named: sweep)?.id)
        return (Curves.lines(Curves.runCurves(try f.store.sweepMetrics(sweepID: id), options: options), options: options), options)
    }

    @Test func runsRecordedAtTheSameStepsAverageExactlyWithTheSampleStd() throws {
        let f = try StoreFixture.standard()
        let (lines, _) = try Self.load(f) { $0.envs = ["Pendulum"]; $0.methods = ["PPO"] }
        let clip02 = try #require(lines.first { $0.row.value == 0.2 })
        #expect(!clip02.interpolated)
        #expect(clip02.x == [1000, 2000, 4000])
        #expect(clip02.mean == [-1200, 999, -160])
        #expect(clip02.counts == [3, 3, 3])
        #expect(clip02.lower! == [-1200, 999, -170] && clip02.upper! == [-1200, 999, -150])
    }

    @Test func failedRunsAreLeftOutAndRunningOnesCount() throws {
        let f = try StoreFixture.standard()
        let (lines, _) = try Self.load(f) { $0.envs = ["Pendulum"]; $0.methods = ["MCPO"] }
        let line = try #require(lines.first)
        // Three done runs at step 2000 (−140, −150, −160) and the running seed 4 at step 1000
        // (10 000); the failed seed 3 (10 000 at 2000) is not averaged in.
        #expect(line.interpolated)
        #expect(line.x.first == 1000 && line.x.last == 2000)
        #expect(line.mean.first == 10_000 && line.counts.first == 1)
        #expect(line.mean.last == -150 && line.counts.last == 3)
    }

    @Test func runsAtDifferentStepsAreInterpolatedOntoAGrid() throws {
        let f = try StoreFixture()
        let id = try f.sweep("grid", createdAt: "2025-01-01T00:00:00.000Z")
        try f.run(sweep: id, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 0,
                  scores: [(0, 0), (100, 100)])
        try f.run(sweep: id, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 1,
                  scores: [(0, 0), (50, 100), (100, 300)])
        let (lines, _) = try Self.load(f, sweep: "grid") { $0.gridPoints = 5 }
        let line = try #require(lines.first)
        #expect(line.interpolated)
        #expect(line.x == [0, 25, 50, 75, 100])
        // Seed 0: 0, 25, 50, 75, 100; seed 1: 0, 50, 100, 200, 300.
        #expect(line.mean == [0, 37.5, 75, 137.5, 200])
    }

    @Test func smoothingIsATrailingMeanOverKPoints() {
        #expect(Curves.smoothed([1, 2, 3, 4], window: 2) == [1, 1.5, 2.5, 3.5])
        #expect(Curves.smoothed([3, 6, 9, 12], window: 3) == [3, 4.5, 6, 9])
        #expect(Curves.smoothed([1, 5], window: 1) == [1, 5])
    }

    @Test func bootstrapIntervalIsSeededAndMatchesTheResamplingDistribution() {
        // The mean of two values drawn from {0, 1} is 0, ½ or 1 with probabilities ¼, ½, ¼: the
        // 2.5th percentile is 0 and the 97.5th is 1.
        #expect(Curves.bootstrapInterval([0, 1], resamples: 2_000, seed: 7) == (0, 1))
        #expect(Curves.bootstrapInterval([4, 4, 4], resamples: 100, seed: 1) == (4, 4))
        let a = Curves.bootstrapInterval([1, 2, 3, 10, 4], resamples: 1_000, seed: 3)
        #expect(a == Curves.bootstrapInterval([1, 2, 3, 10, 4], resamples: 1_000, seed: 3))
        #expect(a.0 > 1 && a.0 < 4 && a.1 > 4 && a.1 < 10)   // around the mean 4
    }

    @Test func iterationsComeFromTheRunsHorizonAndActors() throws {
        let f = try StoreFixture()
        let id = try f.sweep("it", createdAt: "2025-01-01T00:00:00.000Z")
        try f.run(sweep: id, method: "PPO", param: "clip", value: 0.2, env: "Pendulum", seed: 0,
                  scores: [(8192, 1), (16384, 2)], configJSON: #"{"horizon": 2048, "actors": 4}"#)
        let (lines, _) = try Self.load(f, sweep: "it") { $0.x = .iterations }
        #expect(lines.first?.x == [1, 2])
    }

    @Test func panelsPerMethodHaveOneLinePerValueAndPerEnvironmentOnePerRow() throws {
        let f = try StoreFixture.standard()
        let (lines, options) = try Self.load(f) { $0.panel = .method }
        let byMethod = Curves.figure(lines, options: options, sweeps: ["small"])
        #expect(byMethod.panels.map(\.title) == ["PPO · Pendulum", "MCPO · Pendulum", "PPO · LunarLander", "MCPO · LunarLander"])
        #expect(byMethod.panels[0].series.map(\.label) == ["clip=0.1", "clip=0.2"])
        #expect(byMethod.panels[0].series.map(\.seeds) == ["n=2", "n=3"])
        var envOptions = options
        envOptions.panel = .env
        let byEnv = Curves.figure(lines, options: envOptions, sweeps: ["small"])
        #expect(byEnv.panels.map(\.title) == ["Pendulum", "LunarLander"])
        #expect(byEnv.panels[0].series.map(\.label) == ["PPO clip=0.1", "PPO clip=0.2", "MCPO N=5"])
        // Rows of one method share its colour in per-environment panels.
        #expect(byEnv.panels[0].series[0].color == byEnv.panels[0].series[1].color)
        #expect(byEnv.panels[0].series[0].dash != byEnv.panels[0].series[1].dash)
    }

    @Test func aMetricNoRunRecordedIsOneClearError() throws {
        let f = try StoreFixture.standard()
        var options = CurveOptions()
        options.metric = "no_such_key"
        #expect(throws: ReportError.noCurves(metric: "no_such_key", sweeps: ["small"], filters: "")) {
            _ = try Curves.figure(store: f.store, sweeps: ["small"], options: options)
        }
        #expect(throws: ReportError.self) { _ = try Curves.figure(store: f.store, sweeps: ["nope"], options: CurveOptions()) }
    }
}
