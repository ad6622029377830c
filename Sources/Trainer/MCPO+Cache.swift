import Foundation
import LinearAlgebra
import Networks

/// MCPO's per-minibatch scratch buffers, allocated once per run (never persisted).
extension MCPO {
    final class Cache {
        let policy: MLPWorkspace
        let value: MLPWorkspace
        let pass: AttentionNetwork.Pass
        var ψ: FloatBuffer
        let gradψ: FloatBuffer
        let physical: FloatBuffer
        let dw: FloatBuffer
        let outψold: FloatBuffer
        let outψ: FloatBuffer
        let dOutψ: FloatBuffer
        let logProbψold: FloatBuffer
        let logProbψ: FloatBuffer
        let ratioψ: FloatBuffer
        let alpha: FloatBuffer
        let scale: FloatBuffer
        let rowKL: FloatBuffer
        let features: FloatBuffer
        let attentionInput: FloatBuffer

        init(net: ActorCritic, capacity: Int, attention: AttentionNetwork) {
            policy = MLPWorkspace(layout: net.policy, capacity: capacity)
            value = MLPWorkspace(layout: net.value, capacity: capacity)
            pass = attention.makePass()
            ψ = FloatBuffer(count: net.parameterCount)
            gradψ = FloatBuffer(count: net.parameterCount)
            physical = FloatBuffer(count: attention.slots)
            dw = FloatBuffer(count: attention.slots)
            let outputs = capacity * net.head.outputSize
            outψold = FloatBuffer(count: outputs)
            outψ = FloatBuffer(count: outputs)
            dOutψ = FloatBuffer(count: outputs)
            logProbψold = FloatBuffer(count: capacity)
            logProbψ = FloatBuffer(count: capacity)
            ratioψ = FloatBuffer(count: capacity)
            alpha = FloatBuffer(count: capacity)
            scale = FloatBuffer(count: capacity)
            rowKL = FloatBuffer(count: capacity)
            features = FloatBuffer(count: 12)
            attentionInput = FloatBuffer(count: 12)
        }
    }

    func cacheFor(_ c: MinibatchContext) -> Cache {
        if let cache { return cache }
        let made = Cache(net: c.net, capacity: c.capacity, attention: attention)
        cache = made
        return made
    }
}
