import Foundation
import LinearAlgebra
import Networks

/// VMPO, on-policy MPO (method.md §2). On every minibatch:
/// - the top half of the rows by normalised advantage Â is kept (rule below);
/// - ψ_t = softmax(Â_t/η) over that half, max-subtracted; policy loss −Σ_top sg(ψ_t)·log π_θ(a_t|s_t);
/// - temperature loss η·ε_η + η·log(mean_top exp(Â_t/η)), evaluated as
///   η·ε_η + max Â + η·(log Σ_top exp((Â_t − max Â)/η) − log k);
/// - trust region on KL(π_θold ‖ π_θ) over ALL rows through Lagrange multipliers,
///   loss α·(ε_α − sg(KL)) + sg(α)·KL. Categorical head: one α. Diagonal Gaussian head: decoupled
///   KL_μ = Ê[½Σ_i(μ_i − μold_i)²/σold_i²] with α_μ and KL_σ = ½Σ_i(σold_i²/σ_i² − 1 + log(σ_i²/σold_i²))
///   with α_σ, so θ sees α_μ·∂KL_μ/∂μ (means only) and α_σ·∂KL_σ/∂log σ (log σ only).
/// η and the α's take one step of their own Adam (the run's learning rate, no gradient clipping) per
/// minibatch on their losses, after θ's gradient has been computed with their current values, and
/// are then projected to ≥ 1e-8 [choice, method.md].
///
/// Top-half rule: rows are ranked by Â descending, ties broken by the lower row index (a total
/// order, so the selection is deterministic); the first k = ⌈rows/2⌉ are kept (with an odd row
/// count the middle row is included; a single row keeps itself).
final class VMPO: PolicyObjective {
    static let info = MethodInfo(
        name: "VMPO", signature: "alpha0",
        defaults: ["alpha0": 1, "eta0": 1, "eps_eta": 0.01, "eps_alpha": 0.01, "eps_alpha_sigma": 1e-4])
    static let coefficientMetric = "alpha"
    static let floor: Float = 1e-8
    /// Indices into `duals`.
    static let etaIndex = 0, alphaIndex = 1, alphaSigmaIndex = 2

    let alpha0: Float
    let eta0: Float
    let epsilonEta: Float
    /// ε of the categorical α and of the Gaussian α_μ.
    let epsilonAlpha: Float
    /// ε of the Gaussian α_σ.
    let epsilonAlphaSigma: Float
    /// η, the categorical α (the Gaussian α_μ), the Gaussian α_σ (unused with a categorical head),
    /// and their Adam: the method's state.
    private(set) var duals: FloatBuffer
    private(set) var adam: Adam
    private let dualGradient = FloatBuffer(count: 3)
    /// Sort scratch for the top-half selection, grown on demand.
    private var order: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
    private var orderCapacity = 1

    var eta: Float { duals[Self.etaIndex] }
    var alpha: Float { duals[Self.alphaIndex] }
    var alphaSigma: Float { duals[Self.alphaSigmaIndex] }
    /// Steps taken by the multipliers' Adam.
    var dualSteps: Int { adam.step }

    init(_ parameters: MethodParameters) throws {
        let p = try parameters.checked(by: Self.info)
        alpha0 = Float(p.value("alpha0"))
        eta0 = Float(p.value("eta0"))
        epsilonEta = Float(p.value("eps_eta"))
        epsilonAlpha = Float(p.value("eps_alpha"))
        epsilonAlphaSigma = Float(p.value("eps_alpha_sigma"))
        duals = FloatBuffer([eta0, alpha0, alpha0])
        adam = Adam(count: 3, learningRate: Float(p.learningRate))
    }

    deinit { order.deallocate() }

    struct State: Codable {
        let duals: FloatBuffer
        let adam: Adam
    }

    var state: State { State(duals: duals, adam: adam) }

    func restore(_ state: State) throws {
        guard state.duals.count == 3, state.adam.m.count == 3, state.adam.v.count == 3 else {
            throw TrainerError.invalidCheckpoint("VMPO expects 3 multipliers, found \(state.duals.count)")
        }
        duals = state.duals
        adam = state.adam
    }

    func iterationMetrics() -> [String: Double] {
        ["eta": Double(eta), "alpha_sigma": Double(alphaSigma)]
    }

    /// Everything `policyLoss` computes on one minibatch, before the multipliers' step.
    struct Evaluation {
        var k = 0                      // rows kept (top half)
        var policyLoss: Float = 0      // −Σ_top ψ_t·log π_θ(a_t|s_t)
        var temperatureLoss: Float = 0
        var kl: Float = 0              // categorical KL(π_θold ‖ π_θ), or the Gaussian KL_μ (Ê over all rows)
        var klSigma: Float = 0         // Gaussian KL_σ (0 for categorical)
        /// ∂/∂(η, α or α_μ, α_σ) of the temperature and multiplier losses.
        var dEta: Float = 0, dAlpha: Float = 0, dAlphaSigma: Float = 0
        /// The θ-dependent loss whose gradient was added: policy loss + sg(α)·KL (+ sg(α_σ)·KL_σ).
        var thetaLoss: Float = 0
    }

    /// Adds ∂(θ-dependent VMPO loss)/∂θ, steps η and the α's, returns the minibatch statistics
    /// (loss = the θ-dependent loss, coefficient = α or α_μ in force).
    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics {
        let alphaInForce = alpha
        let e = evaluate(c)
        stepMultipliers(e)
        var approxKL: Float = 0
        for t in 0..<c.rows {
            let logRatio = c.logProb[t] - c.oldLogProb[t]
            approxKL += (Foundation.exp(logRatio) - 1) - logRatio
        }
        return PolicyStatistics(loss: e.thetaLoss, approxKL: approxKL / Float(c.rows), coefficient: alphaInForce)
    }

    /// The θ-gradient part: selection, ψ, policy-loss and trust-region gradients into c.dOutput /
    /// c.gradient, and the multipliers' gradients (not applied).
    func evaluate(_ c: MinibatchContext) -> Evaluation {
        let rows = c.rows
        reserveOrder(max(rows, c.capacity))
        let η = eta, α = alpha, ασ = alphaSigma
        var e = Evaluation()

        // Top half and ψ; the policy loss's ∂/∂log π is −ψ_t on kept rows, 0 elsewhere.
        e.k = Self.selectTopHalf(advantages: c.advantages, rows: rows, order: order)
        let ψ = c.rowScratchB
        ψ.update(repeating: 0, count: rows)
        let temperature = Self.temperature(advantages: c.advantages, order: order, count: e.k, eta: η,
                                           epsilonEta: epsilonEta, psi: ψ)
        e.temperatureLoss = Float(temperature.loss)
        e.dEta = Float(temperature.dEta)
        var policy = 0.0
        for j in 0..<e.k {
            let t = Int(order[j])
            policy -= Double(ψ[t]) * Double(c.logProb[t])
            ψ[t] = -ψ[t]
        }
        e.policyLoss = Float(policy)
        c.net.logProbBackward(output: c.output, θ: c.θ, actions: c.actions, rows: rows, scale: ψ,
                              scratch: c.distributionScratch, dOutput: c.dOutput, gradient: c.gradient)

        // Trust region over all rows.
        switch c.net.head {
        case .categorical:
            e.kl = c.addOldToNewKL(coefficient: α)
            e.thetaLoss = e.policyLoss + α * e.kl
            e.dAlpha = epsilonAlpha - e.kl
        case let .gaussian(d):
            let offset = c.net.logStdOffset
            let logStd = c.θ + offset, oldLogStd = c.θold + offset
            let invRows = 1 / Float(rows)
            var klMu: Float = 0
            for i in 0..<d {
                let invVarOld = Foundation.exp(-2 * oldLogStd[i])
                let scale = α * invVarOld * invRows
                for r in 0..<rows {
                    let diff = c.output[r * d + i] - c.oldOutput[r * d + i]
                    klMu += diff * diff * invVarOld
                    c.dOutput[r * d + i] += scale * diff
                }
            }
            klMu *= 0.5 * invRows
            var klSigma: Float = 0
            for i in 0..<d {
                let varianceRatio = Foundation.exp(2 * (oldLogStd[i] - logStd[i]))  // σold²/σ²
                klSigma += 0.5 * (varianceRatio - 1 + 2 * (logStd[i] - oldLogStd[i]))
                c.gradient[offset + i] += ασ * (1 - varianceRatio)
            }
            e.kl = klMu
            e.klSigma = klSigma
            e.thetaLoss = e.policyLoss + α * klMu + ασ * klSigma
            e.dAlpha = epsilonAlpha - klMu
            e.dAlphaSigma = epsilonAlphaSigma - klSigma
        }
        return e
    }

    /// One Adam step of (η, α, α_σ) on the gradients of `e`, then the projection to ≥ 1e-8.
    func stepMultipliers(_ e: Evaluation) {
        let g = dualGradient
        g[Self.etaIndex] = e.dEta
        g[Self.alphaIndex] = e.dAlpha
        g[Self.alphaSigmaIndex] = e.dAlphaSigma
        adam.update(parameters: duals.pointer, gradient: g.pointer)
        for i in 0..<duals.count { duals[i] = max(duals[i], Self.floor) }
    }

    private func reserveOrder(_ rows: Int) {
        guard rows > orderCapacity else { return }
        order.deallocate()
        order = .allocate(capacity: rows)
        orderCapacity = rows
    }

    /// Writes the rows ordered by Â descending (ties: lower row first) into `order` (`rows` entries)
    /// and returns k = ⌈rows/2⌉, the number of leading entries that form the top half. Heapsort:
    /// in place, no allocation, and the order is total so the result does not depend on the algorithm.
    static func selectTopHalf(advantages Â: UnsafePointer<Float>, rows: Int, order: UnsafeMutablePointer<Int32>) -> Int {
        for r in 0..<rows { order[r] = Int32(r) }
        // `later(a, b)`: a comes after b in the final order. Build a heap with the latest on top,
        // then move the top to the back repeatedly.
        @inline(__always) func later(_ a: Int32, _ b: Int32) -> Bool {
            let x = Â[Int(a)], y = Â[Int(b)]
            return x < y || (x == y && a > b)
        }
        @inline(__always) func swap(_ i: Int, _ j: Int) { let x = order[i]; order[i] = order[j]; order[j] = x }
        @inline(__always) func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while true {
                var child = 2 * root + 1
                if child >= end { return }
                if child + 1 < end && later(order[child + 1], order[child]) { child += 1 }
                if !later(order[child], order[root]) { return }
                swap(root, child)
                root = child
            }
        }
        if rows > 1 {
            var start = rows / 2 - 1
            while start >= 0 { siftDown(start, rows); start -= 1 }
            var end = rows - 1
            while end > 0 {
                swap(0, end)
                siftDown(0, end)
                end -= 1
            }
        }
        return (rows + 1) / 2
    }

    /// ψ over the kept rows `order[0..<k]` (written at their row index into `psi`), the temperature
    /// loss η·ε_η + η·log(mean_top exp(Â/η)) and its derivative
    /// ∂/∂η = ε_η + log(mean_top exp(Â/η)) − Σ_top ψ_t·Â_t/η, all evaluated with the maximum subtracted.
    static func temperature(
        advantages Â: UnsafePointer<Float>, order: UnsafePointer<Int32>, count k: Int, eta η: Float,
        epsilonEta: Float, psi: UnsafeMutablePointer<Float>
    ) -> (loss: Double, dEta: Double) {
        let eta = Double(η)
        var m = -Double.infinity
        for j in 0..<k { m = max(m, Double(Â[Int(order[j])])) }
        var sum = 0.0
        for j in 0..<k { sum += Foundation.exp((Double(Â[Int(order[j])]) - m) / eta) }
        var weightedAdvantage = 0.0
        for j in 0..<k {
            let t = Int(order[j])
            let w = Foundation.exp((Double(Â[t]) - m) / eta) / sum
            psi[t] = Float(w)
            weightedAdvantage += w * Double(Â[t])
        }
        let logMeanShifted = Foundation.log(sum) - Foundation.log(Double(k))  // log mean exp((Â − m)/η)
        let loss = eta * Double(epsilonEta) + m + eta * logMeanShifted
        let dEta = Double(epsilonEta) + logMeanShifted + (m - weightedAdvantage) / eta
        return (loss, dEta)
    }
}
