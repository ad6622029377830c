import Foundation

/// A policy-optimisation method of the paper: one final class per method, in its own file,
/// listed once in `MethodCatalog.types`.
///
/// - `init(_:)` is the method's only validator. The sweep parser calls it (through
///   `MethodCatalog.validate`) on every value of a sweep file before anything is stored, and the
///   trainer builds the method through it, so a value the parser accepts is one the trainer accepts.
/// - The hooks the trainer calls on every minibatch and iteration have defaults (nothing), so a
///   method implements only what it uses.
/// - `State` is the method's one explicit snapshot for checkpoints: what it changes while training
///   (KL Adaptive's β, VMPO's multipliers, MCPO's memory and attention network). Everything else
///   comes from the run's config. `state` may hold the method's live buffers: it is encoded at
///   once by `Trainer.checkpointData()` and never kept; `restore` adopts a freshly decoded one.
protocol PolicyObjective: AnyObject {
    associatedtype State: Codable = NoState

    /// Name, Table 1 signature, every key with its default and rule, every string option.
    static var info: MethodInfo { get }
    /// The per-iteration metric holding `PolicyStatistics.coefficient` (clip, beta, alpha).
    static var coefficientMetric: String { get }
    /// Whether the iteration records `clip_fraction` (PPO).
    static var recordsClipFraction: Bool { get }

    /// Builds the method from a run's values for it; throws `TrainerError.invalidParameter` or
    /// `invalidConfig` for anything it does not admit. Cheap: state sized by the network is
    /// allocated on the first minibatch, so the parser can call it on every value.
    init(_ parameters: MethodParameters) throws

    /// Adds ∂(−L_method)/∂θ to the context (through `dOutput` and `gradient`) and returns the
    /// minibatch's statistics.
    func policyLoss(_ c: MinibatchContext) -> PolicyStatistics
    /// Called after θ's optimiser step on the same minibatch.
    func afterStep(_ c: MinibatchContext, updated θ: UnsafePointer<Float>)
    /// Called once the iteration's updates are done, with Ê over the iteration of KL(π_θold ‖ π_θ).
    func iterationEnded(measuredKL: Double)
    /// The method's own per-iteration diagnostics (method.md §4), recorded with the iteration.
    func iterationMetrics() -> [String: Double]
    /// Policies besides θ that evaluation also runs, by metric suffix (MCPO: "psi" for ψ).
    func evaluationPolicies() -> [(name: String, parameters: UnsafePointer<Float>)]

    var state: State { get }
    /// Replaces the method's state with a decoded `state`; throws `TrainerError.invalidCheckpoint`
    /// if it does not fit this method's parameters.
    func restore(_ state: State) throws
}

/// Per-minibatch figures every method reports (averaged over the iteration as metrics).
struct PolicyStatistics {
    var loss: Float = 0          // −L_method on this minibatch
    var approxKL: Float = 0      // Ê[(ratio − 1) − log ratio] ≈ KL(π_θold ‖ π_θ)
    var clipFraction: Float = 0  // PPO: share of samples with |ratio − 1| > ε
    var coefficient: Float = 0   // the method's trust-region coefficient in force (ε, β, α)
}

/// The state of a method that changes nothing while training.
struct NoState: Codable {}

extension PolicyObjective {
    static var recordsClipFraction: Bool { false }
    func afterStep(_ c: MinibatchContext, updated θ: UnsafePointer<Float>) {}
    func iterationEnded(measuredKL: Double) {}
    func iterationMetrics() -> [String: Double] { [:] }
    func evaluationPolicies() -> [(name: String, parameters: UnsafePointer<Float>)] { [] }
}

extension PolicyObjective where State == NoState {
    var state: NoState { NoState() }
    func restore(_ state: NoState) {}
}

extension PolicyObjective {
    /// Writes `state` under `key` (the method's part of a checkpoint).
    func encodeState<Key: CodingKey>(into container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        try container.encode(state, forKey: key)
    }

    /// Reads and restores the state `encodeState` wrote under `key`.
    func restoreState<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, forKey key: Key) throws {
        try restore(container.decode(State.self, forKey: key))
    }
}

/// What a method is built from: a run's values for its numeric hyperparameters and string
/// options (omitted keys take the catalog's defaults), and the run values every method may use.
/// A method reads them only through `checked(by:)`, so none can skip the checks.
public struct MethodParameters: Sendable {
    public var values: [String: Double]
    public var choices: [String: String]
    public var learningRate: Double
    public var seed: UInt64

    public init(_ values: [String: Double] = [:], choices: [String: String] = [:], learningRate: Double = 3e-4,
                seed: UInt64 = 0) {
        self.values = values
        self.choices = choices
        self.learningRate = learningRate
        self.seed = seed
    }

    /// The values after the checks of `info`: every key known, every number admitted by its rule,
    /// every option one of its choices. Throws `invalidConfig` or `invalidParameter`.
    func checked(by info: MethodInfo) throws -> Checked {
        for key in values.keys.sorted() { try info.check(key, values[key]!) }
        if let unknown = choices.keys.sorted().first(where: { info.choices[$0] == nil }) {
            throw TrainerError.invalidConfig(
                "\(info.name) has no option '\(unknown)'; valid: \(info.choices.keys.sorted().joined(separator: ", "))")
        }
        for (key, value) in choices.sorted(by: { $0.key < $1.key }) where !info.choices[key]!.contains(value) {
            throw TrainerError.invalidConfig(
                "\(info.name).\(key) cannot be '\(value)'; valid: \(info.choices[key]!.joined(separator: ", "))")
        }
        return Checked(info: info, parameters: self)
    }

    /// Checked values with the defaults filled in.
    struct Checked {
        let info: MethodInfo
        let parameters: MethodParameters
        var learningRate: Double { parameters.learningRate }
        var seed: UInt64 { parameters.seed }

        /// Numeric key `key`: the given value or the catalog's default (which its rule admits:
        /// `everyMethodKeyHasOneRuleThatAdmitsItsDefault`).
        func value(_ key: String) -> Double { parameters.values[key] ?? info.defaults[key]! }
        /// String option `key`: the given choice or the first (default) one.
        func choice(_ key: String) -> String { parameters.choices[key] ?? info.choices[key]![0] }
    }
}
