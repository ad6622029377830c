import Foundation
import Testing
@testable import Environments

/// minigrid 3.2 episodes of MiniGrid-Unlock-v0 / MiniGrid-UnlockPickup-v0 (from the shared reference
/// data, trimmed): every array is a string with one character per value ('0'…'9', 'a' = 10) in
/// minigrid's `[x][y][channel]` order.
struct MiniGridTrace: Decodable {
    struct Step: Decodable {
        let a: Int        // action
        let i: String     // 7×7×3 image after the step
        let d: Int        // direction
        let p: [Int]      // agent position
        let r: Double     // reward
        let t: Bool       // terminated
        let u: Bool       // truncated
        let c: [Int]?     // carried (object, colour) or nil
    }
    let env: String
    let policy: String
    let w: Int
    let h: Int
    let grid: String
    let pos: [Int]
    let dir: Int
    let image: String
    let steps: [Step]

    static func loadAll() throws -> [MiniGridTrace] {
        struct File: Decodable { let episodes: [MiniGridTrace] }
        let url = try #require(Bundle.module.url(forResource: "minigrid-traces", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).episodes
    }

    static func values(_ s: String) -> [UInt8] {
        s.utf8.map { $0 == UInt8(ascii: "a") ? 10 : $0 - UInt8(ascii: "0") }
    }

    var task: MiniGridUnlock.Task { env == "MiniGrid-UnlockPickup-v0" ? .unlockPickup : .unlock }

    func makeEnvironment() -> MiniGridUnlock {
        let world = MiniGridWorld(width: w, height: h, encoding: Self.values(grid), agentX: pos[0], agentY: pos[1], agentDirection: dir)
        return MiniGridUnlock(task: task, world: world)
    }
}

func miniGridImage(_ env: MiniGridUnlock) -> [UInt8] {
    var image = [UInt8](repeating: 255, count: MiniGridWorld.viewValues)
    env.world.encodeView(into: &image)
    return image
}

/// Random-policy statistics of minigrid 3.2 (env-reference.json `policy_stats`, uniform random actions).
struct MiniGridReference {
    let episodes: Int
    let returnMean, returnStd, lengthMean, lengthStd: Double
    static let unlock = MiniGridReference(episodes: 500, returnMean: 0.0219625, returnStd: 0.11374953271832493,
                                          lengthMean: 282.444, lengthStd: 30.65966232344341)
    static let unlockPickup = MiniGridReference(episodes: 300, returnMean: 0, returnStd: 0, lengthMean: 288, lengthStd: 0)
}

/// A planner with full state: breadth-first search over (x, y, direction) with left/right/forward
/// until the agent faces a cell satisfying `goal`; nil when unreachable.
func miniGridPath(_ world: MiniGridWorld, facing goal: (Int, Int) -> Bool) -> [Int]? {
    let w = world.width, h = world.height
    func index(_ x: Int, _ y: Int, _ d: Int) -> Int { (y * w + x) * 4 + d }
    var parent = [Int](repeating: -2, count: w * h * 4)
    var via = [Int](repeating: -1, count: w * h * 4)
    let start = index(world.agentX, world.agentY, world.agentDirection)
    parent[start] = -1
    var queue = [start], head = 0
    while head < queue.count {
        let s = queue[head]; head += 1
        let d = s % 4, x = (s / 4) % w, y = s / 4 / w
        let (dx, dy) = MiniGridWorld.vector(d)
        if goal(x + dx, y + dy) {
            var actions: [Int] = []
            var k = s
            while parent[k] >= 0 { actions.append(via[k]); k = parent[k] }
            return actions.reversed()
        }
        var next: [(Int, Int)] = [(index(x, y, (d + 3) & 3), MiniGridAction.left), (index(x, y, (d + 1) & 3), MiniGridAction.right)]
        let o = world.object(x + dx, y + dy)
        if o == MiniGridObject.empty || (o == MiniGridObject.door && world.state(x + dx, y + dy) == MiniGridDoorState.open) {
            next.append((index(x + dx, y + dy, d), MiniGridAction.forward))
        }
        for (n, a) in next where parent[n] == -2 {
            parent[n] = s
            via[n] = a
            queue.append(n)
        }
    }
    return nil
}

/// Runs the full-state plan (key → door → [drop key → box]) and returns the final outcome.
func solveMiniGrid(_ env: inout MiniGridUnlock) -> StepOutcome? {
    var last: StepOutcome?
    func run(_ actions: [Int]?) -> Bool {
        guard let actions else { return false }
        for a in actions {
            let outcome = env.step(action: a)
            last = outcome
            if outcome.done { return false }
        }
        return true
    }
    let w = env.world
    guard run(miniGridPath(env.world) { w.object($0, $1) == MiniGridObject.key }), run([MiniGridAction.pickup]),
          run(miniGridPath(env.world) { w.object($0, $1) == MiniGridObject.door }), run([MiniGridAction.toggle])
    else { return last }
    guard env.task == .unlockPickup else { return last }
    let afterDoor = env.world
    guard run(miniGridPath(afterDoor) { afterDoor.object($0, $1) == MiniGridObject.empty }), run([MiniGridAction.drop]) else { return last }
    let afterDrop = env.world
    _ = run(miniGridPath(afterDrop) { afterDrop.object($0, $1) == MiniGridObject.box }) && run([MiniGridAction.pickup])
    return last
}

@Suite struct MiniGridTests {
    /// All 60 reference episodes, rebuilt from their recorded grid and pose and replayed: every
    /// image, direction, position, reward, termination and carried object must match.
    @Test func reproducesMinigridTraces() throws {
        let traces = try MiniGridTrace.loadAll()
        #expect(traces.count == 60)
        var steps = 0, mismatches = 0, successes = 0
        var observation = [Float](repeating: .nan, count: MiniGridUnlock.observationValues)
        for (e, trace) in traces.enumerated() {
            var env = trace.makeEnvironment()
            #expect(env.doorX == 5)
            if miniGridImage(env) != MiniGridTrace.values(trace.image) {
                mismatches += 1
                Issue.record("episode \(e): initial image differs")
            }
            for (t, s) in trace.steps.enumerated() {
                var action = Float(s.a)
                let outcome = env.step(action: &action, observation: &observation)
                let image = miniGridImage(env)
                let carried: [Int]? = env.world.carriedObject == 0 ? nil : [Int(env.world.carriedObject), Int(env.world.carriedColor)]
                let ok = image == MiniGridTrace.values(s.i) && env.world.agentDirection == s.d
                    && [env.world.agentX, env.world.agentY] == s.p && abs(outcome.reward - s.r) < 1e-6
                    && outcome.terminated == s.t && outcome.truncated == s.u && carried == s.c
                steps += 1
                if outcome.terminated { successes += 1 }
                if !ok {
                    mismatches += 1
                    Issue.record("episode \(e) (\(trace.env), \(trace.policy)) step \(t) differs")
                    break
                }
                // The policy's observation is the same image, scaled, plus the direction one-hot.
                for k in 0..<MiniGridUnlock.imageValues {
                    let scale: Float = [0.1, 0.2, 0.5][k % 3]
                    if observation[k] != Float(image[k]) * scale { mismatches += 1 }
                }
                for d in 0..<4 where observation[MiniGridUnlock.imageValues + d] != (d == s.d ? 1 : 0) { mismatches += 1 }
            }
        }
        print("MiniGrid traces: \(traces.count) episodes, \(steps) steps, \(successes) successes, \(mismatches) mismatches")
        #expect(steps == 7824)
        #expect(successes == 24)
        #expect(mismatches == 0)
        // The traces exercise both tasks, every action and picking up the box.
        #expect(Set(traces.map(\.task)) == [.unlock, .unlockPickup])
        #expect(Set(traces.flatMap { $0.steps.map(\.a) }) == Set(0..<7))
        #expect(traces.contains { $0.steps.contains { $0.c?.first == 7 } })
    }

    @Test func spacesAndObservationLayout() throws {
        var env = MiniGridUnlock(task: .unlock)
        #expect(env.observationSize == 151)
        #expect(env.actionSpace == .discrete(count: 7))
        var rng = SeededGenerator(seed: 3)
        var observation = [Float](repeating: .nan, count: 151)
        env.reset(using: &rng, observation: &observation)
        #expect(observation.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(observation[147...].reduce(0, +) == 1 && observation[147 + env.world.agentDirection] == 1)
        // The agent's own cell (view (3, 6)) is empty while it carries nothing.
        let agent = 3 * (3 * 7 + 6)
        #expect(observation[agent] == 0.1 && observation[agent + 1] == 0 && observation[agent + 2] == 0)
        let vector = try VectorEnv(name: "MiniGrid-UnlockPickup", count: 2, seed: 1)
        #expect(vector.observationSize == 151 && vector.actionSpace == .discrete(count: 7))
        #expect(EnvironmentCatalog.names.contains("MiniGrid-Unlock"))
    }

    /// Hand-checked dynamics: a locked door ignores a key of another colour, opens with its own.
    @Test func lockedDoorNeedsItsKey() {
        var world = MiniGridWorld(width: 5, height: 3)
        world.set(3, 1, MiniGridObject.door, 2, MiniGridDoorState.locked)
        world.set(2, 2, MiniGridObject.key, 1)
        world.agentX = 2; world.agentY = 1; world.agentDirection = 1
        var env = MiniGridUnlock(task: .unlock, world: world)
        #expect(env.doorX == 3 && env.doorY == 1)
        #expect(env.step(action: MiniGridAction.pickup) == StepOutcome(reward: 0, terminated: false, truncated: false))
        #expect(env.world.carriedObject == MiniGridObject.key && env.world.object(2, 2) == MiniGridObject.empty)
        _ = env.step(action: MiniGridAction.left)  // now facing the door (right)
        #expect(env.world.agentDirection == 0)
        #expect(env.step(action: MiniGridAction.toggle).reward == 0)
        #expect(env.world.state(3, 1) == MiniGridDoorState.locked)
        _ = env.step(action: MiniGridAction.forward)
        #expect(env.world.agentX == 2)
        env.world.carriedColor = 2
        let outcome = env.step(action: MiniGridAction.toggle)
        #expect(outcome.terminated && !outcome.truncated)
        #expect(abs(outcome.reward - (1 - 0.9 * 5 / 288)) < 1e-12)
        #expect(env.world.state(3, 1) == MiniGridDoorState.open)
    }

    /// The time limit: truncated exactly at step 288, not terminated.
    @Test func truncatesAtMaxSteps() {
        var rng = SeededGenerator(seed: 4)
        var env = MiniGridUnlock(task: .unlockPickup)
        env.generate(using: &rng)
        for t in 1...288 {
            let outcome = env.step(action: MiniGridAction.done)
            #expect(outcome == StepOutcome(reward: 0, terminated: false, truncated: t == 288))
        }
    }

    /// Generated layouts follow minigrid's Unlock/UnlockPickup rules.
    @Test func generatedLayouts() {
        var rng = SeededGenerator(seed: 11)
        for task in [MiniGridUnlock.Task.unlock, .unlockPickup] {
            var env = MiniGridUnlock(task: task)
            var doorRows = Set<Int>(), colors = Set<UInt8>(), directions = Set<Int>(), boxes = Set<Int>()
            for _ in 0..<2000 {
                env.generate(using: &rng)
                let w = env.world
                #expect(w.width == 11 && w.height == 6 && env.stepCount == 0 && env.maxSteps == 288)
                #expect(env.doorX == 5 && (1...4).contains(env.doorY))
                #expect(w.object(5, env.doorY) == MiniGridObject.door && w.state(5, env.doorY) == MiniGridDoorState.locked)
                doorRows.insert(env.doorY)
                colors.insert(w.color(5, env.doorY))
                directions.insert(w.agentDirection)
                var keys = 0, boxCount = 0
                for x in 0..<11 {
                    for y in 0..<6 {
                        let o = w.object(x, y)
                        let border = x == 0 || x == 5 || x == 10 || y == 0 || y == 5
                        if border && !(x == 5 && y == env.doorY) { #expect(o == MiniGridObject.wall && w.color(x, y) == 5) }
                        if o == MiniGridObject.key {
                            keys += 1
                            #expect(x < 5 && w.color(x, y) == w.color(5, env.doorY))
                        }
                        if o == MiniGridObject.box {
                            boxCount += 1
                            #expect(x > 5 && abs(x - 8) + abs(y - 3) >= 2)
                            boxes.insert(y * 11 + x)
                        }
                    }
                }
                #expect(keys == 1 && boxCount == (task == .unlockPickup ? 1 : 0))
                #expect((1...4).contains(w.agentX) && (1...4).contains(w.agentY))
                #expect(w.object(w.agentX, w.agentY) == MiniGridObject.empty)
                let ahead = w.object(w.front.x, w.front.y)
                #expect(ahead == MiniGridObject.empty || ahead == MiniGridObject.wall)
            }
            #expect(doorRows.count == 4 && colors.count == 6 && directions.count == 4)
            #expect(boxes.count == (task == .unlockPickup ? 11 : 0))
        }
    }

    /// Uniform random actions, 2,000 episodes per task: return and length means within 3 standard
    /// errors (of the difference) of minigrid's statistics.
    @Test(arguments: [("MiniGrid-Unlock", MiniGridUnlock.Task.unlock), ("MiniGrid-UnlockPickup", .unlockPickup)])
    func randomPolicyMatchesReference(name: String, task: MiniGridUnlock.Task) {
        let reference = task == .unlock ? MiniGridReference.unlock : .unlockPickup
        let episodes = 2000
        var envRng = SeededGenerator(seed: 2024, stream: 1)
        var policyRng = SeededGenerator(seed: 2024, stream: 2)
        var env = MiniGridUnlock(task: task)
        var observation = [Float](repeating: 0, count: MiniGridUnlock.observationValues)
        var returns: [Double] = [], lengths: [Double] = []
        var successes = 0
        for _ in 0..<episodes {
            env.reset(using: &envRng, observation: &observation)
            var total = 0.0, length = 0
            while true {
                var action = Float(policyRng.below(7))
                let outcome = env.step(action: &action, observation: &observation)
                total += outcome.reward
                length += 1
                if outcome.done {
                    if outcome.terminated { successes += 1 }
                    break
                }
            }
            returns.append(total)
            lengths.append(Double(length))
        }
        func stats(_ v: [Double]) -> (mean: Double, std: Double) {
            let m = v.reduce(0, +) / Double(v.count)
            return (m, (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot())
        }
        let r = stats(returns), l = stats(lengths)
        let n = Double(episodes), nr = Double(reference.episodes)
        let returnSE = (r.std * r.std / n + reference.returnStd * reference.returnStd / nr).squareRoot()
        let lengthSE = (l.std * l.std / n + reference.lengthStd * reference.lengthStd / nr).squareRoot()
        print("""
            \(name) random policy, \(episodes) episodes: return \(r.mean) ± \(r.std) (reference \(reference.returnMean) ± \(reference.returnStd)), \
            length \(l.mean) ± \(l.std) (reference \(reference.lengthMean) ± \(reference.lengthStd)), success \(Double(successes) / n), \
            SE return \(returnSE) length \(lengthSE)
            """)
        #expect(abs(r.mean - reference.returnMean) <= 3 * returnSE)
        #expect(abs(l.mean - reference.lengthMean) <= 3 * lengthSE)
    }

    /// A planner with full state solves every one of 1,000 seeds of each task.
    @Test(arguments: [MiniGridUnlock.Task.unlock, .unlockPickup])
    func plannerSolvesEverySeed(task: MiniGridUnlock.Task) {
        var solved = 0, totalReturn = 0.0
        var observation = [Float](repeating: 0, count: MiniGridUnlock.observationValues)
        for seed in 0..<1000 {
            var rng = SeededGenerator(seed: UInt64(seed))
            var env = MiniGridUnlock(task: task)
            env.reset(using: &rng, observation: &observation)
            if let outcome = solveMiniGrid(&env), outcome.terminated, outcome.reward > 0 {
                solved += 1
                totalReturn += outcome.reward
            } else {
                Issue.record("\(task) seed \(seed) not solved")
            }
        }
        print("MiniGrid \(task) planner: \(solved)/1000 solved, mean return \(totalReturn / 1000)")
        #expect(solved == 1000)
    }

    /// A VectorEnv restored from a (JSON round-tripped) snapshot continues identically.
    @Test(arguments: ["MiniGrid-Unlock", "MiniGrid-UnlockPickup"])
    func snapshotRestoreContinuesIdentically(name: String) throws {
        let count = 3
        let original = try VectorEnv(name: name, count: count, seed: 5)
        let a = StepBuffers(original)
        a.reset(original)
        var policy = SeededGenerator(seed: 9)
        func randomActions(_ b: StepBuffers) { for i in 0..<count { b.actions[i] = Float(policy.below(7)) } }
        for _ in 0..<700 { randomActions(a); a.step(original) }  // past at least one time limit
        let data = try JSONEncoder().encode(original.snapshot())
        let snapshot = try JSONDecoder().decode(VectorEnvSnapshot.self, from: data)
        #expect(snapshot == original.snapshot())
        let restored = try VectorEnv(snapshot: snapshot)
        let b = StepBuffers(restored)
        restored.currentObservations(into: &b.observations)
        #expect(b.observations == a.observations)
        var ends = 0
        for _ in 0..<1000 {
            randomActions(a)
            b.actions = a.actions
            a.step(original)
            b.step(restored)
            #expect(a.observations == b.observations && a.rewards == b.rewards)
            #expect(a.terminated == b.terminated && a.truncated == b.truncated)
            ends += a.terminated.filter { $0 }.count + a.truncated.filter { $0 }.count
        }
        #expect(ends > 0)
        #expect(original.snapshot() == restored.snapshot())
    }
}
