import LinearAlgebra
import Networks

/// Every per-step and per-minibatch buffer of a run, allocated once.
final class Scratch {
    // Rollout, one row per actor.
    let rawObservations: FloatBuffer
    let observations: FloatBuffer
    let finalObservations: FloatBuffer
    let rewards: UnsafeMutablePointer<Double>
    let terminated: UnsafeMutablePointer<Bool>
    let truncated: UnsafeMutablePointer<Bool>
    let dones: UnsafeMutablePointer<Bool>
    let scaledRewards: FloatBuffer
    // Networks.
    let policy: MLPWorkspace
    let value: MLPWorkspace
    let distribution: FloatBuffer
    // Minibatch gather and gradients, `capacity` rows.
    let capacity: Int
    let mbObservations: FloatBuffer
    let mbActions: FloatBuffer
    let mbOldLogProbs: FloatBuffer
    let mbOldOutputs: FloatBuffer
    let mbRowScratch: FloatBuffer
    let mbAdvantages: FloatBuffer
    let mbReturns: FloatBuffer
    let mbOldValues: FloatBuffer
    let mbLogProbs: FloatBuffer
    let mbDLogProbs: FloatBuffer
    let mbPerRow: FloatBuffer
    let dPolicyOutput: FloatBuffer
    let dValue: FloatBuffer
    var permutation: [Int32] = []

    init(net: ActorCritic, capacity: Int, actors: Int) {
        let o = net.observationSize
        rawObservations = FloatBuffer(count: actors * o)
        observations = FloatBuffer(count: actors * o)
        finalObservations = FloatBuffer(count: actors * o)
        rewards = .allocate(capacity: actors)
        rewards.initialize(repeating: 0, count: actors)
        terminated = .allocate(capacity: actors)
        terminated.initialize(repeating: false, count: actors)
        truncated = .allocate(capacity: actors)
        truncated.initialize(repeating: false, count: actors)
        dones = .allocate(capacity: actors)
        dones.initialize(repeating: false, count: actors)
        scaledRewards = FloatBuffer(count: actors)
        policy = MLPWorkspace(layout: net.policy, capacity: capacity)
        value = MLPWorkspace(layout: net.value, capacity: capacity)
        distribution = FloatBuffer(count: max(net.distributionScratchSize, 1))
        self.capacity = capacity
        mbObservations = FloatBuffer(count: capacity * o)
        mbActions = FloatBuffer(count: capacity * max(net.head.outputSize, 1))
        mbOldLogProbs = FloatBuffer(count: capacity)
        mbOldOutputs = FloatBuffer(count: capacity * net.head.outputSize)
        mbRowScratch = FloatBuffer(count: capacity)
        mbAdvantages = FloatBuffer(count: capacity)
        mbReturns = FloatBuffer(count: capacity)
        mbOldValues = FloatBuffer(count: capacity)
        mbLogProbs = FloatBuffer(count: capacity)
        mbDLogProbs = FloatBuffer(count: capacity)
        mbPerRow = FloatBuffer(count: capacity)
        dPolicyOutput = FloatBuffer(count: capacity * net.head.outputSize)
        dValue = FloatBuffer(count: capacity)
    }

    deinit {
        rewards.deallocate()
        terminated.deallocate()
        truncated.deallocate()
        dones.deallocate()
    }
}
