import Foundation
import LinearAlgebra

/// Adam (Kingma & Ba) over a flat parameter vector, with bias correction. Its moments and step
/// count are part of the run state.
public struct Adam: Codable {
    public var learningRate: Float
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-5
    public private(set) var step: Int = 0
    public let m: FloatBuffer
    public let v: FloatBuffer

    public init(count: Int, learningRate: Float) {
        self.learningRate = learningRate
        m = FloatBuffer(count: count)
        v = FloatBuffer(count: count)
    }

    /// θ ← θ − lr · m̂ / (√v̂ + ε), with the moments updated from `gradient`.
    public mutating func update(parameters θ: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>) {
        step += 1
        let c1 = 1 - Float(pow(Double(beta1), Double(step)))
        let c2 = 1 - Float(pow(Double(beta2), Double(step)))
        Kernels.adamStep(parameters: θ, gradient: g, m: m.pointer, v: v.pointer, count: m.count,
                         beta1: beta1, beta2: beta2, stepSize: learningRate / c1, invSqrtC2: 1 / c2.squareRoot(),
                         epsilon: epsilon)
    }
}

extension Adam {
    /// A deep copy (the moment buffers are reference types).
    public func copy() -> Adam {
        var c = Adam(count: m.count, learningRate: learningRate)
        c.beta1 = beta1
        c.beta2 = beta2
        c.epsilon = epsilon
        c.step = step
        c.m.copy(from: m)
        c.v.copy(from: v)
        return c
    }
}
