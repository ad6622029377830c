public enum TrainerError: Error, CustomStringConvertible, Equatable {
    case unknownMethod(String, valid: [String])
    case invalidConfig(String)
    /// A method's hyperparameter outside what its initialiser admits.
    case invalidParameter(method: String, key: String, expected: String, found: Double)
    case diverged(step: Int, what: String)
    /// Checkpoint bytes that cannot be read back into a trainer.
    case invalidCheckpoint(String)
    /// `Trainer.interruption` asked to abandon the iteration in progress: the trainer is no
    /// longer in a consistent state and must not be checkpointed.
    case interrupted(step: Int)

    /// What is wrong, without the "invalid training config: " prefix of a config error.
    public var reason: String {
        switch self {
        case let .invalidConfig(why): return why
        case let .invalidParameter(method, key, expected, found): return "\(method).\(key): expected \(expected), found \(found)"
        default: return description
        }
    }

    public var description: String {
        switch self {
        case let .unknownMethod(name, valid):
            return "unknown method '\(name)'; valid: \(valid.joined(separator: ", "))"
        case let .invalidConfig(why):
            return "invalid training config: \(why)"
        case let .invalidParameter(method, key, expected, found):
            return "invalid training config: \(method).\(key): expected \(expected), found \(found)"
        case let .diverged(step, what):
            return "diverged after step \(step): \(what) is not finite"
        case let .invalidCheckpoint(why):
            return "unreadable checkpoint: \(why)"
        case let .interrupted(step):
            return "iteration after step \(step) abandoned on request"
        }
    }
}
