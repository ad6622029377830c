public enum TrainerError: Error, CustomStringConvertible, Equatable {
    case unknownMethod(String, valid: [String])
    case invalidConfig(String)
    case diverged(step: Int, what: String)

    public var description: String {
        switch self {
        case let .unknownMethod(name, valid):
            return "unknown method '\(name)'; valid: \(valid.joined(separator: ", "))"
        case let .invalidConfig(why):
            return "invalid training config: \(why)"
        case let .diverged(step, what):
            return "diverged at step \(step): \(what) is not finite"
        }
    }
}
