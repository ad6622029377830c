import Foundation
import Testing
@testable import Environments

@Suite struct MuJoCoTests {
    /// gymnasium's v4 spaces: observation sizes, action dimensions and control ranges.
    @Test func spacesAreGymnasiumV4s() throws {
        let expected: [MuJoCoTask: (observation: Int, actions: Int, high: Double)] = [
            .halfCheetah: (17, 6, 1), .hopper: (11, 3, 1), .walker2d: (17, 6, 1), .ant: (27, 8, 1),
            .humanoid: (376, 17, 0.4), .humanoidStandup: (376, 17, 0.4),
        ]
        for task in MuJoCoTask.allCases {
            let env = try VectorEnv(name: task.rawValue, count: 2, seed: 1)
            let e = try #require(expected[task])
            #expect(env.observationSize == e.observation)
            #expect(env.actionSpace == .continuous(dimension: e.actions, low: -e.high, high: e.high))
        }
    }

    /// A snapshot (MuJoCo's integration state, warm start included) continues bit-identically,
    /// across automatic resets, for a task that terminates (Hopper) and one that reads the
    /// body quantities and a lagged centre of mass (Humanoid).
    @Test(arguments: [MuJoCoTask.hopper, .humanoid])
    func snapshotRestoreContinuesIdentically(_ task: MuJoCoTask) throws {
        var rng = SeededGenerator(seed: 5, stream: 9)
        try expectSnapshotRestoreContinuesIdentically(try VectorEnv(name: task.rawValue, count: 3, seed: 17),
                                                      before: 60, after: 80) { actions in
            for i in actions.indices { actions[i] = Float(rng.uniform(-1, 1)) }
        }
    }

    /// Actions outside the control range are clipped before the simulation and the control cost.
    @Test func actionsAreClippedToTheControlRange() throws {
        let a = try MuJoCoEnvironment(task: .halfCheetah), b = try MuJoCoEnvironment(task: .halfCheetah)
        var ra = SeededGenerator(seed: 3), rb = SeededGenerator(seed: 3)
        var oa = [Float](repeating: 0, count: 17), ob = oa
        a.reset(using: &ra, observation: &oa)
        b.reset(using: &rb, observation: &ob)
        var big: [Float] = [5, -7, 1, -1, 2, 0.5], clipped: [Float] = [1, -1, 1, -1, 1, 0.5]
        let outA = a.step(action: &big, observation: &oa), outB = b.step(action: &clipped, observation: &ob)
        #expect(outA == outB)
        #expect(oa == ob)
    }

    /// HalfCheetah never terminates: its episodes end at the 1000-step limit, as truncations.
    @Test func episodesEndAtTheTimeLimitWithoutTermination() throws {
        let env = try MuJoCoEnvironment(task: .halfCheetah)
        var rng = SeededGenerator(seed: 8)
        var observation = [Float](repeating: 0, count: env.observationSize), action = [Float](repeating: 0.3, count: 6)
        env.reset(using: &rng, observation: &observation)
        var steps = 0, outcome = StepOutcome(reward: 0, terminated: false, truncated: false)
        while !outcome.done {
            outcome = env.step(action: &action, observation: &observation)
            steps += 1
        }
        #expect(steps == MuJoCoTask.timeLimit)
        #expect(outcome.truncated && !outcome.terminated)
    }

    /// A missing model file is one line naming the file and how to install it.
    @Test func missingModelSaysHowToInstallIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-no-assets-\(getpid())").path
        var caught: EnvironmentError?
        do { _ = try MuJoCoModel.shared("hopper.xml", directory: folder) } catch let e as EnvironmentError { caught = e }
        let error = try #require(caught)
        #expect(error == .missingAsset(folder + "/hopper.xml"))
        #expect(error.description.contains(folder + "/hopper.xml"))
        #expect(error.description.contains("scripts/install-deps.sh"))
        #expect(error.description.contains("MCPO_MUJOCO_ASSETS"))
        #expect(!error.description.contains("\n"))
    }
}
