import Environments
import Foundation
import Networks
import Testing
@testable import Trainer

/// TRPO's Fisher-vector product and its trust region (method.md §2).
@Suite struct TRPOTests {
    static func trainer(env: String, delta: Double = 0.01, steps: Int = 2 * 256 * 3) throws -> Trainer {
        var config = TrainingConfig(method: "TRPO", env: env, seed: 3, steps: steps, params: ["delta": delta])
        config.actors = 2
        config.horizon = 256
        config.epochs = 2
        config.minibatchSize = 64
        return try Trainer(config: config)
    }

    /// ∂/∂θ of Ê[KL(π_θold ‖ π_θ)] over the rollout at the trainer's current θ.
    static func klGradient(_ t: Trainer) -> [Float] {
        let n = t.buffer.count, o = t.env.observationSize, s = t.scratch, width = t.buffer.outputSize
        t.gradient.fill(0)
        var start = 0
        while start < n {
            let rows = min(s.capacity, n - start)
            let obs = t.buffer.observations.pointer + start * o
            let out = MLP.forward(parameters: t.θ.pointer, input: obs, rows: rows, workspace: s.policy)
            s.mbRowScratch.pointer.update(repeating: 1 / Float(n), count: rows)
            let dOut = s.dPolicyOutput.pointer
            dOut.update(repeating: 0, count: rows * width)
            t.net.klBackward(outputP: t.buffer.outputs.pointer + start * width, θP: t.θold.pointer, outputQ: out, θQ: t.θ.pointer,
                             rows: rows, scale: s.mbRowScratch.pointer, scratch: s.distribution.pointer,
                             dOutputP: nil, gradientP: nil, dOutputQ: dOut, gradientQ: t.gradient.pointer)
            MLP.backward(parameters: t.θ.pointer, input: obs, rows: rows, outputGradient: dOut, gradient: t.gradient.pointer,
                         workspace: s.policy)
            start += rows
        }
        return Array(t.gradient.array[0..<t.net.value.base])
    }

    /// F·v (without the damping) equals the central difference of the KL's gradient along v,
    /// for a Gaussian (Pendulum) and a categorical (LunarLander) head.
    @Test(arguments: ["Pendulum", "LunarLander"])
    func fisherVectorProductMatchesFiniteDifferencesOfTheKLGradient(_ env: String) throws {
        let t = try Self.trainer(env: env)
        t.collectRollout()
        t.θold.copy(from: t.θ)
        let count = t.net.value.base
        var rng = SeededGenerator(seed: 11)
        var v = (0..<count).map { _ in Float(rng.normal()) }
        let length = Float(sqrt(v.reduce(0) { $0 + Double($1 * $1) }))
        v = v.map { $0 / length }  // a unit direction, so that ε·v is a small step
        var fv = [Float](repeating: 0, count: count)
        t.fisherVectorProduct(v, into: &fv)
        for i in 0..<count { fv[i] -= TRPO.damping * v[i] }
        let ε: Float = 1e-2
        let old = t.θold.array
        func gradient(at f: Float) -> [Float] {
            for i in 0..<count { t.θ[i] = old[i] + f * v[i] }
            return Self.klGradient(t)
        }
        let plus = gradient(at: ε), minus = gradient(at: -ε)
        let fd = (0..<count).map { (Double(plus[$0]) - Double(minus[$0])) / Double(2 * ε) }
        let norm = sqrt(fd.reduce(0) { $0 + $1 * $1 })
        let error = sqrt((0..<count).reduce(0.0) { $0 + pow(Double(fv[$1]) - fd[$1], 2) })
        #expect(norm > 1e-4)
        #expect(error <= 1e-3 * norm, "\(env): ‖Fv − FD‖ = \(error), ‖FD‖ = \(norm)")
        print("\(env): ‖Fv − FD‖ / ‖FD‖ = \(error / norm)")
        // And F is not the identity or a scaled gradient: a different v gives a different product.
        #expect(fv.map(\.bitPattern) != v.map { ($0 * 2).bitPattern })
    }

    /// After every update d(θold, θ) ≤ δ, or the step was rejected and the policy is θold; the
    /// recorded KL is the one the line search checked. Also on a tiny δ, where steps are smallest.
    @Test(arguments: [0.01, 1e-5])
    func everyUpdateStaysInsideTheTrustRegion(_ delta: Double) throws {
        let t = try Self.trainer(env: "Pendulum", delta: delta, steps: 2 * 256 * 6)
        let count = t.net.value.base
        var accepted = 0
        while !t.isFinished {
            let sink = MemoryMetricSink()
            try t.runIteration(sink: sink)
            let m = try #require(sink.rows.last?.metrics)
            let kl = try #require(m[MetricKey.klOldNew]), fraction = try #require(m[MetricKey.stepFraction])
            #expect(m[MetricKey.approxKLMinibatch] == kl)
            if fraction > 0 {
                #expect(kl <= delta, "δ \(delta): d(θold, θ) = \(kl)")
                accepted += 1
            } else {
                #expect(Array(t.θ.array[0..<count]) == Array(t.θold.array[0..<count]))
                #expect(kl < 1e-9)
            }
        }
        #expect(accepted > 0)
    }

    /// A line search that can never improve the surrogate rejects the step: θ stays θold.
    @Test func aStepThatDoesNotImproveIsRejected() throws {
        let t = try Self.trainer(env: "Pendulum")
        t.collectRollout()
        t.buffer.computeAdvantages(gamma: 0.99, lambda: 0.95)
        for k in 0..<t.buffer.count { t.buffer.advantages[k] = 0 }  // L(θ) ≡ 0: nothing improves
        t.θold.copy(from: t.θ)
        let metrics = try t.naturalGradientUpdate(t.method as! TRPO)
        #expect(metrics[MetricKey.stepFraction] == 0)
        #expect(metrics[MetricKey.approxKLMinibatch] == t.measureKL())
        let count = t.net.value.base
        #expect(Array(t.θ.array[0..<count]) == Array(t.θold.array[0..<count]))
        #expect(Array(t.θ.array[count...]) != Array(t.θold.array[count...]))  // the value network still learned
    }
}
