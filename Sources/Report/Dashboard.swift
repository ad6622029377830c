import Foundation
import Yams

/// A dashboard file (`dashboards/*.yaml`, format in dashboards/README.md): a title and items,
/// each a figure (curves) or a table, over a sweep of the store.
public struct Dashboard: Sendable {
    public enum Item: Sendable {
        case figure(FigureItem)
        case table(TableItem)

        public var id: String {
            switch self {
            case .figure(let f): return f.id
            case .table(let t): return t.id
            }
        }
    }

    public struct FigureItem: Sendable {
        public var id: String
        public var title: String
        public var caption: String?
        public var sweep: String?
        public var options: CurveOptions
    }

    public struct TableItem: Sendable {
        public var id: String
        public var title: String
        public var caption: String?
        public var sweep: String?
        public var score: ScoreRule
        /// A reference CSV (published figures), resolved against the dashboard file's directory.
        public var reference: String?
    }

    public var file: String
    public var title: String
    public var sweep: String?
    public var items: [Item]
}

/// A problem with a dashboard file, one line: `FILE:LINE:COLUMN: key 'K': expected …, found …`.
public struct DashboardError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public var description: String {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard let line else { return "\(file): \(oneLine)" }
        return "\(file):\(line):\(column ?? 1): \(oneLine)"
    }
}

extension Dashboard {
    public static let topLevelKeys = ["title", "sweep", "items"]
    public static let figureKeys = ["figure", "title", "caption", "sweep", "metric", "env", "method", "x", "band", "smooth",
                                    "panel", "columns"]
    public static let tableKeys = ["table", "title", "caption", "sweep", "score", "reference"]
    public static let tableKinds = ["table1"]

    public static func load(contentsOf path: String) throws -> Dashboard {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DashboardError(file: path, message: "no such dashboard file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw DashboardError(file: path, message: "cannot read the dashboard file (expected a YAML file)")
        }
        guard data.count <= 1 << 20 else { throw DashboardError(file: path, message: "the dashboard file has \(data.count) bytes; expected at most 1 MiB") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DashboardError(file: path, message: "the dashboard file is not UTF-8 text")
        }
        return try parse(yaml: text, file: path)
    }

    public static func parse(yaml: String, file: String = "<dashboard>") throws -> Dashboard {
        let p = DashboardParser(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw p.yamlError(error)
        } catch {
            throw DashboardError(file: file, line: 1, column: 1, message: "malformed YAML: \(error)")
        }
        guard let root, let mapping = root.mapping else {
            throw p.error(root, "expected a mapping with keys \(topLevelKeys.joined(separator: ", ")), found \(root.map(p.describe) ?? "an empty document")")
        }
        try p.checkKeys(mapping, valid: topLevelKeys, path: "", what: "a dashboard key")
        let title = try p.string(mapping, "title") ?? (file as NSString).lastPathComponent
        let sweep = try p.string(mapping, "sweep")
        guard let itemsNode = mapping["items"] else { throw p.error(root, "key 'items': expected a list of figures and tables, found nothing") }
        guard let list = itemsNode.sequence, !list.isEmpty else {
            throw p.error(itemsNode, "key 'items': expected a non-empty list of figures and tables, found \(p.describe(itemsNode))")
        }
        var items: [Item] = [], ids: Set<String> = []
        for (i, node) in list.enumerated() {
            let item = try p.item(node, index: i + 1)
            guard ids.insert(item.id).inserted else { throw p.error(node, "item \(i + 1): the id '\(item.id)' is used twice; expected unique ids") }
            items.append(item)
        }
        return Dashboard(file: file, title: title, sweep: sweep, items: items)
    }
}

struct DashboardParser {
    let file: String

    func error(_ node: Node?, _ message: String) -> DashboardError {
        DashboardError(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message)
    }

    func yamlError(_ e: YamlError) -> DashboardError {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            var message = "malformed YAML: \(problem)"
            if let context { message += " (\(context.text))" }
            return DashboardError(file: file, line: mark.line, column: mark.column, message: message)
        default:
            return DashboardError(file: file, line: 1, column: 1, message: "malformed YAML: \(e)")
        }
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func checkKeys(_ mapping: Node.Mapping, valid: [String], path: String, what: String) throws {
        for (key, _) in mapping {
            guard let name = key.scalar?.string, valid.contains(name) else {
                throw error(key, "\(path.isEmpty ? "" : path + ": ")expected \(what) (\(valid.joined(separator: ", "))), found '\(key.scalar?.string ?? describe(key))'")
            }
        }
    }

    func string(_ mapping: Node.Mapping, _ key: String, path: String = "") throws -> String? {
        guard let node = mapping[key] else { return nil }
        guard let s = node.scalar?.string, !s.isEmpty else {
            throw error(node, "\(path)key '\(key)': expected text, found \(describe(node))")
        }
        return s
    }

    func strings(_ mapping: Node.Mapping, _ key: String, path: String) throws -> [String] {
        guard let node = mapping[key] else { return [] }
        if let s = node.scalar?.string { return [s] }
        guard let list = node.sequence else { throw error(node, "\(path)key '\(key)': expected a name or a list of names, found \(describe(node))") }
        return try list.map { n in
            guard let s = n.scalar?.string else { throw error(n, "\(path)key '\(key)': expected a name, found \(describe(n))") }
            return s
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ mapping: Node.Mapping, _ key: String, path: String, default d: T) throws -> T
        where T.RawValue == String
    {
        guard let node = mapping[key] else { return d }
        guard let s = node.scalar?.string, let v = T(rawValue: s) else {
            throw error(node, "\(path)key '\(key)': expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), found \(describe(node))")
        }
        return v
    }

    func whole(_ mapping: Node.Mapping, _ key: String, path: String, minimum: Int, default d: Int) throws -> Int {
        guard let node = mapping[key] else { return d }
        guard let s = node.scalar?.string, let v = Int(s), v >= minimum else {
            throw error(node, "\(path)key '\(key)': expected a whole number ≥ \(minimum), found \(describe(node))")
        }
        return v
    }

    func item(_ node: Node, index: Int) throws -> Dashboard.Item {
        let path = "item \(index): "
        guard let m = node.mapping else { throw error(node, "\(path)expected a mapping with 'figure: ID' or 'table: table1', found \(describe(node))") }
        if let id = try string(m, "figure", path: path) {
            try checkKeys(m, valid: Dashboard.figureKeys, path: "item \(index) (figure \(id))", what: "a figure key")
            var o = CurveOptions()
            o.metric = try string(m, "metric", path: path) ?? "score"
            o.envs = try strings(m, "env", path: path)
            o.methods = try strings(m, "method", path: path)
            o.x = try choice(m, "x", path: path, default: .steps)
            o.band = try choice(m, "band", path: path, default: .std)
            o.panel = try choice(m, "panel", path: path, default: .env)
            o.smooth = try whole(m, "smooth", path: path, minimum: 1, default: 1)
            o.columns = try whole(m, "columns", path: path, minimum: 0, default: 0)
            let title = try string(m, "title", path: path) ?? id
            o.title = title
            return .figure(.init(id: id, title: title, caption: try string(m, "caption", path: path), sweep: try string(m, "sweep", path: path),
                                 options: o))
        }
        if let kind = try string(m, "table", path: path) {
            try checkKeys(m, valid: Dashboard.tableKeys, path: "item \(index) (table \(kind))", what: "a table key")
            guard Dashboard.tableKinds.contains(kind) else {
                throw error(m["table"], "\(path)key 'table': expected one of \(Dashboard.tableKinds.joined(separator: ", ")), found '\(kind)'")
            }
            var reference = try string(m, "reference", path: path)
            if let r = reference, !r.hasPrefix("/") {
                reference = ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(r)
            }
            let score: ScoreRule = try choice(m, "score", path: path, default: .final)
            return .table(.init(id: "\(kind)-\(score.rawValue)", title: try string(m, "title", path: path) ?? "Table 1", caption: try string(m, "caption", path: path),
                                sweep: try string(m, "sweep", path: path), score: score,
                                reference: reference))
        }
        throw error(node, "\(path)expected 'figure: ID' or 'table: table1' as the item's first key, found keys \(m.keys.compactMap { $0.scalar?.string }.joined(separator: ", "))")
    }
}
