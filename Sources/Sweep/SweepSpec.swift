import Foundation
import Trainer

/// A sweep file after parsing and validation, normalised: method names canonical, seeds as a
/// list, every grid axis as a list. Environments and methods keep the file's order (the order
/// runs are queued in); the stored spec (`canonicalJSON`) does not depend on that order.
public struct SweepSpec: Equatable, Sendable {
    public var name: String
    public var seeds: [UInt64]
    /// TrainingConfig settings shared by every run (`ConfigField` keys).
    public var defaults: [String: SettingValue]
    public var envs: [EnvEntry]
    public var methods: [MethodEntry]

    public init(name: String, seeds: [UInt64], defaults: [String: SettingValue], envs: [EnvEntry], methods: [MethodEntry]) {
        self.name = name
        self.seeds = seeds
        self.defaults = defaults
        self.envs = envs
        self.methods = methods
    }

    public struct EnvEntry: Equatable, Sendable {
        public var name: String
        /// Overrides of the defaults for this environment (`ConfigField` keys, `steps` among them).
        public var settings: [String: SettingValue]
        public init(name: String, settings: [String: SettingValue]) {
            self.name = name
            self.settings = settings
        }
    }

    public struct MethodEntry: Equatable, Sendable {
        /// Canonical catalog name.
        public var name: String
        /// Values per hyperparameter (a fixed setting is a one-element list); keys absent here
        /// take the catalog's default.
        public var params: [String: [AxisValue]]
        public init(name: String, params: [String: [AxisValue]]) {
            self.name = name
            self.params = params
        }
    }

    /// The normalised spec as JSON with sorted keys: what `sweeps.spec_json` stores.
    public var canonicalJSON: String {
        struct Canonical: Encodable {
            var name: String
            var seeds: [UInt64]
            var defaults: [String: SettingValue]
            var envs: [String: [String: SettingValue]]
            var methods: [String: [String: [AxisValue]]]
        }
        let canonical = Canonical(
            name: name, seeds: seeds, defaults: defaults,
            envs: Dictionary(uniqueKeysWithValues: envs.map { ($0.name, $0.settings) }),
            methods: Dictionary(uniqueKeysWithValues: methods.map { ($0.name, $0.params) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(canonical), as: UTF8.self)
    }

    /// `StableHash` of `canonicalJSON`: what `sweeps.spec_hash` stores.
    public var specHash: String { StableHash.hex(of: canonicalJSON) }
}

/// One value of a method's hyperparameter: a number (`params`) or a string option (`choices`).
public enum AxisValue: Codable, Hashable, Sendable, CustomStringConvertible {
    case number(Double)
    case choice(String)

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .number(x): try c.encode(x)
        case let .choice(s): try c.encode(s)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let x = try? c.decode(Double.self) { self = .number(x) } else { self = .choice(try c.decode(String.self)) }
    }

    public var description: String {
        switch self {
        case let .number(x): return "\(x)"
        case let .choice(s): return s
        }
    }
}

/// One setting of a TrainingConfig field as written in a sweep file.
public enum SettingValue: Codable, Equatable, Sendable, CustomStringConvertible {
    case integer(Int)
    case real(Double)
    case flag(Bool)
    case text(String)

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .integer(i): try c.encode(i)
        case let .real(x): try c.encode(x)
        case let .flag(b): try c.encode(b)
        case let .text(t): try c.encode(t)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .flag(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let x = try? c.decode(Double.self) { self = .real(x) }
        else { self = .text(try c.decode(String.self)) }
    }

    public var description: String {
        switch self {
        case let .integer(i): return "\(i)"
        case let .real(x): return "\(x)"
        case let .flag(b): return "\(b)"
        case let .text(t): return t
        }
    }
}
