import Foundation
import Trainer

/// A sweep file after parsing and validation, normalised: method names canonical, seeds as a
/// list, every grid axis as a list (a setting's values as `SettingValues`). Environments and methods keep the file's order (the order
/// runs are queued in); the stored spec (`canonicalJSON`) does not depend on that order.
public struct SweepSpec: Equatable, Sendable {
    public var name: String
    public var seeds: [UInt64]
    /// TrainingConfig settings shared by every run (`ConfigField` keys); several values are a grid axis.
    public var defaults: [String: SettingValues]
    public var envs: [EnvEntry]
    public var methods: [MethodEntry]

    public init(name: String, seeds: [UInt64], defaults: [String: SettingValues], envs: [EnvEntry], methods: [MethodEntry]) {
        self.name = name
        self.seeds = seeds
        self.defaults = defaults
        self.envs = envs
        self.methods = methods
    }

    public struct EnvEntry: Equatable, Sendable {
        public var name: String
        /// Overrides of the defaults for this environment (`ConfigField` keys, `steps` among them).
        public var settings: [String: SettingValues]
        public init(name: String, settings: [String: SettingValues]) {
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
        /// Overrides of the defaults for this method's runs (`ConfigField` keys). A key set here
        /// may not also be set by an environment (the parser refuses it).
        public var settings: [String: SettingValues]
        public init(name: String, params: [String: [AxisValue]], settings: [String: SettingValues] = [:]) {
            self.name = name
            self.params = params
            self.settings = settings
        }

        /// Its stored form: the hyperparameters by name and, only when there are any, the
        /// settings under the key `settings` (no hyperparameter has that name), so a method block
        /// without settings is stored exactly as before settings could be given there.
        struct Canonical: Encodable {
            let entry: MethodEntry
            struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: Key.self)
                for (key, values) in entry.params { try c.encode(values, forKey: Key(stringValue: key)) }
                if !entry.settings.isEmpty { try c.encode(entry.settings, forKey: Key(stringValue: "settings")) }
            }
        }
    }

    /// The normalised spec as JSON with sorted keys: what `sweeps.spec_json` stores.
    public var canonicalJSON: String {
        struct Canonical: Encodable {
            var name: String
            var seeds: [UInt64]
            var defaults: [String: SettingValues]
            var envs: [String: [String: SettingValues]]
            var methods: [String: Blocks]
        }
        /// One block as before; several (a method given as a list of grids) as a list.
        enum Blocks: Encodable {
            case one(MethodEntry.Canonical), several([MethodEntry.Canonical])
            func encode(to encoder: Encoder) throws {
                switch self {
                case .one(let block): try block.encode(to: encoder)
                case .several(let blocks): var c = encoder.singleValueContainer(); try c.encode(blocks)
                }
            }
        }
        let canonical = Canonical(
            name: name, seeds: seeds, defaults: defaults,
            envs: Dictionary(uniqueKeysWithValues: envs.map { ($0.name, $0.settings) }),
            methods: Dictionary(grouping: methods, by: \.name).mapValues { entries in
                entries.count == 1 ? .one(MethodEntry.Canonical(entry: entries[0])) : .several(entries.map { MethodEntry.Canonical(entry: $0) })
            })
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

/// A setting's values in a sweep: one (a fixed setting) or several distinct ones (a grid axis).
/// One value is stored as that value, several as a list, so a file written before settings could
/// be grid axes keeps its stored spec byte for byte.
public struct SettingValues: Codable, Equatable, Sendable {
    public var values: [SettingValue]
    public init(_ values: [SettingValue]) { self.values = values }
    public init(_ value: SettingValue) { self.values = [value] }

    public func encode(to encoder: Encoder) throws {
        if values.count == 1 {
            try values[0].encode(to: encoder)
        } else {
            var c = encoder.singleValueContainer()
            try c.encode(values)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let list = try? c.decode([SettingValue].self) { values = list } else { values = [try c.decode(SettingValue.self)] }
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
