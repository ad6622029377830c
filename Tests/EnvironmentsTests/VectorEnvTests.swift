import Foundation
import Testing
@testable import Environments

/// Buffers for one VectorEnv step.
final class StepBuffers {
    let count: Int, size: Int
    var actions: [Float]
    var observations: [Float]
    var finals: [Float]
    var rewards: [Double]
    var terminated: [Bool]
    var truncated: [Bool]

    init(_ env: VectorEnv) {
        count = env.count
        size = env.observationSize
        actions = [Float](repeating: 0, count: env.count * env.actionSpace.width)
        observations = [Float](repeating: .nan, count: count * size)
        finals = [Float](repeating: .nan, count: count * size)
        rewards = [Double](repeating: .nan, count: count)
        terminated = [Bool](repeating: true, count: count)
        truncated = [Bool](repeating: true, count: count)
    }

    func reset(_ env: VectorEnv) { env.reset(observations: &observations) }

    func step(_ env: VectorEnv) {
        env.step(actions: actions, observations: &observations, rewards: &rewards,
                 terminated: &terminated, truncated: &truncated, finalObservations: &finals)
    }

    func row(_ values: [Float], _ i: Int) -> [Float] { Array(values[i * size..<(i + 1) * size]) }
}

@Suite struct VectorEnvTests {
    @Test func describesPendulum() throws {
        let env = try VectorEnv(name: "Pendulum", count: 4, seed: 1)
        #expect(env.count == 4)
        #expect(env.observationSize == 3)
        #expect(env.actionSpace == .continuous(dimension: 1, low: -2, high: 2))
        #expect(EnvironmentCatalog.names.contains("Pendulum"))
    }

    @Test func unknownNameThrows() {
        #expect(throws: EnvironmentError.unknown("Pendulun", valid: EnvironmentCatalog.names)) {
            try VectorEnv(name: "Pendulun", count: 1, seed: 0)
        }
        let message = EnvironmentError.unknown("X", valid: ["Pendulum"]).description
        #expect(message.contains("X") && message.contains("Pendulum"))
    }

    /// Each actor behaves as a lone Pendulum driven by SeededGenerator(seed, actor + 1); after the
    /// 200th step the final observation is reported and the actor starts its next episode.
    @Test func autoResetAndFinalObservations() throws {
        let seed: UInt64 = 77, count = 3
        let env = try VectorEnv(name: "Pendulum", count: count, seed: seed)
        let b = StepBuffers(env)
        var shadows = [Pendulum](repeating: Pendulum(), count: count)
        var generators = (0..<count).map { SeededGenerator(seed: seed, stream: UInt64($0) + 1) }
        var expected = [Float](repeating: 0, count: 3)

        b.reset(env)
        for i in 0..<count {
            shadows[i].reset(using: &generators[i], observation: &expected)
            #expect(b.row(b.observations, i) == expected)
        }
        for t in 1...450 {
            for i in 0..<count { b.actions[i] = Float(i) - 1.5 + Float(t % 5) * 0.3 }
            let untouched = b.finals
            b.step(env)
            let ends = t % 200 == 0
            for i in 0..<count {
                var action = b.actions[i]
                let outcome = shadows[i].step(action: &action, observation: &expected)
                #expect(b.rewards[i] == outcome.reward)
                #expect(b.terminated[i] == false)
                #expect(b.truncated[i] == ends, "t \(t)")
                if ends {
                    #expect(b.row(b.finals, i) == expected)
                    shadows[i].reset(using: &generators[i], observation: &expected)
                    #expect(b.row(b.observations, i) == expected)
                    #expect(b.row(b.observations, i) != b.row(b.finals, i))
                } else {
                    #expect(b.row(b.observations, i) == expected)
                    #expect(b.row(b.finals, i).elementsEqual(b.row(untouched, i)) { $0 == $1 || ($0.isNaN && $1.isNaN) })
                }
            }
        }
        var current = [Float](repeating: 0, count: count * 3)
        env.currentObservations(into: &current)
        #expect(current == b.observations)
    }

    @Test func snapshotRestoresBitIdenticalContinuation() throws {
        let env = try VectorEnv(name: "Pendulum", count: 4, seed: 2024)
        let b = StepBuffers(env)
        var actionRNG = SeededGenerator(seed: 9)
        b.reset(env)
        for _ in 0..<150 {
            for i in 0..<b.actions.count { b.actions[i] = Float(actionRNG.uniform(-2.5, 2.5)) }
            b.step(env)
        }
        let snapshot = env.snapshot()
        let decoded = try JSONDecoder().decode(VectorEnvSnapshot.self, from: JSONEncoder().encode(snapshot))
        #expect(decoded == snapshot)
        let restored = try VectorEnv(snapshot: decoded)
        #expect(restored.count == env.count && restored.name == env.name)
        let r = StepBuffers(restored)
        restored.currentObservations(into: &r.observations)
        #expect(r.observations == b.observations)

        for _ in 0..<300 {  // crosses two episode boundaries
            for i in 0..<b.actions.count { b.actions[i] = Float(actionRNG.uniform(-2.5, 2.5)) }
            r.actions = b.actions
            b.step(env)
            r.step(restored)
            #expect(r.observations == b.observations)
            #expect(r.rewards == b.rewards)
            #expect(r.truncated == b.truncated)
            #expect(r.terminated == b.terminated)
            if b.truncated.contains(true) { #expect(r.finals == b.finals) }
        }
        #expect(restored.snapshot() == env.snapshot())
    }

    @Test func invalidSnapshotThrows() throws {
        var snapshot = try VectorEnv(name: "Pendulum", count: 2, seed: 1).snapshot()
        snapshot.generators.removeLast()
        #expect(throws: EnvironmentError.self) { try VectorEnv(snapshot: snapshot) }
        snapshot = try VectorEnv(name: "Pendulum", count: 2, seed: 1).snapshot()
        snapshot.name = "Nope"
        #expect(throws: EnvironmentError.self) { try VectorEnv(snapshot: snapshot) }
    }

    @Test func seedsDetermineStreams() throws {
        func run(seed: UInt64) throws -> [Float] {
            let env = try VectorEnv(name: "Pendulum", count: 4, seed: seed)
            let b = StepBuffers(env)
            b.reset(env)
            var trace = b.observations
            for t in 0..<250 {
                for i in 0..<4 { b.actions[i] = Float(t % 3) - 1 }
                b.step(env)
                trace += b.observations
            }
            return trace
        }
        let a = try run(seed: 5)
        #expect(a == (try run(seed: 5)))
        #expect(a != (try run(seed: 6)))
        // Every actor starts somewhere different.
        let starts = (0..<4).map { Array(a[$0 * 3..<$0 * 3 + 3]) }
        #expect(Set(starts.map { $0.map(\.bitPattern) }).count == 4)
    }
}
