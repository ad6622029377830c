import ExperimentStore
import Foundation

/// `mcpo-report export`: a sweep's metrics in a form pandas, R or a spreadsheet reads directly.
/// Long format: one row per (run, step, key) with the run's labels and every config key as
/// columns; wide: one row per (run, step) with the metric keys as columns.
public enum Export {
    public enum Format: String, CaseIterable, Sendable { case csv, jsonl, parquet }

    /// Labels every row carries, before the config columns.
    static let labelColumns = ["sweep", "run", "method", "env", "seed", "status"]

    /// A run's config flattened to columns: top-level keys as they are, `params` and `choices`
    /// by their own names (prefixed `param_` / `choice_` only where a name would collide).
    static func configColumns(_ json: String) -> [String: ConfigValue] {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) else { return [:] }
        var out: [String: ConfigValue] = [:]
        for (k, v) in object where k != "params" && k != "choices" && !labelColumns.contains(k) {
            if let value = v.scalar { out[k] = value }
        }
        for (group, prefix) in [("params", "param_"), ("choices", "choice_")] {
            guard case .object(let members)? = object[group] else { continue }
            for (k, v) in members {
                guard let value = v.scalar else { continue }
                let name = out[k] == nil && !labelColumns.contains(k) && !["step", "key", "value"].contains(k) ? k : prefix + k
                out[name] = value
            }
        }
        return out
    }

    /// A run config's JSON, read without losing booleans (JSONDecoder tells them from numbers).
    enum JSONValue: Decodable {
        case bool(Bool), number(Double), text(String), object([String: JSONValue]), other

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let n = try? c.decode(Double.self) { self = .number(n) }
            else if let s = try? c.decode(String.self) { self = .text(s) }
            else if let o = try? c.decode([String: JSONValue].self) { self = .object(o) }
            else { self = .other }
        }

        var scalar: ConfigValue? {
            switch self {
            case .bool(let b): return .bool(b)
            case .number(let x): return .number(x)
            case .text(let s): return .text(s)
            case .object, .other: return nil
            }
        }
    }

    /// A config value: a number, a boolean or text.
    enum ConfigValue: Equatable {
        case number(Double), bool(Bool), text(String)

        var csv: String {
            switch self {
            case .number(let x): return Export.number(x)
            case .bool(let b): return b ? "true" : "false"
            case .text(let s): return Table1.csvField(s)
            }
        }

        var json: String {
            switch self {
            case .number(let x): return Report.Format.json(x)
            case .bool(let b): return b ? "true" : "false"
            case .text(let s): return Report.Format.json(s)
            }
        }
    }

    /// Shortest round-trip form; integers without ".0" (so spreadsheets read 2048, not 2048.0);
    /// empty when not finite.
    static func number(_ x: Double) -> String { x.isFinite ? formatNumber(x) : "" }

    public struct Result: Sendable {
        public var text: String
        public var rows: Int
    }

    /// The export of the given sweeps' runs (every status that recorded metrics).
    public static func render(_ sweeps: [(name: String, data: [(run: RunRecord, metrics: [MetricRecord])])], format: Format,
                              wide: Bool) throws -> Result {
        guard format != .parquet else { throw ReportError.badOption(parquetRefusal) }
        var configs: [Int64: [String: ConfigValue]] = [:]
        var columnSet = Set<String>(), keySet = Set<String>()
        for (_, data) in sweeps {
            for (run, metrics) in data {
                let c = configColumns(run.configJSON)
                configs[run.id] = c
                columnSet.formUnion(c.keys)
                if wide { for m in metrics { keySet.insert(m.key) } }
            }
        }
        let configNames = columnSet.sorted(), keys = keySet.sorted()
        var out = "", rows = 0
        let header = labelColumns + configNames + (wide ? ["step"] + keys : ["step", "key", "value"])
        if format == .csv { out += header.map(Table1.csvField).joined(separator: ",") + "\n" }
        for (name, data) in sweeps {
            for (run, metrics) in data {
                let config = configs[run.id] ?? [:]
                let labels: [String], jsonLabels: String
                if format == .csv {
                    labels = [Table1.csvField(name), String(run.id), Table1.csvField(run.method), Table1.csvField(run.env), String(run.seed), run.status.rawValue]
                        + configNames.map { config[$0]?.csv ?? "" }
                    jsonLabels = ""
                } else {
                    labels = []
                    var fields = ["\"sweep\": \(Report.Format.json(name))", "\"run\": \(run.id)", "\"method\": \(Report.Format.json(run.method))",
                                  "\"env\": \(Report.Format.json(run.env))", "\"seed\": \(run.seed)", "\"status\": \(Report.Format.json(run.status.rawValue))"]
                    for c in configNames { if let v = config[c] { fields.append("\(Report.Format.json(c)): \(v.json)") } }
                    jsonLabels = fields.joined(separator: ", ")
                }
                let prefix = labels.joined(separator: ",")
                if wide {
                    var bySteps: [Int64: [String: Double]] = [:]
                    for m in metrics { bySteps[m.step, default: [:]][m.key] = m.value }
                    for step in bySteps.keys.sorted() {
                        let values = bySteps[step]!
                        if format == .csv {
                            out += prefix + "," + String(step) + "," + keys.map { values[$0].map(number) ?? "" }.joined(separator: ",") + "\n"
                        } else {
                            let metricFields = keys.compactMap { k in values[k].map { "\(Report.Format.json(k)): \(Report.Format.json($0))" } }
                            out += "{" + ([jsonLabels, "\"step\": \(step)"] + metricFields).joined(separator: ", ") + "}\n"
                        }
                        rows += 1
                    }
                } else {
                    // Rows by step, then key: the order a run recorded them.
                    for m in metrics.sorted(by: { ($0.step, $0.key) < ($1.step, $1.key) }) {
                        if format == .csv {
                            out += prefix + "," + String(m.step) + "," + Table1.csvField(m.key) + "," + number(m.value) + "\n"
                        } else {
                            out += "{" + jsonLabels + ", \"step\": \(m.step), \"key\": \(Report.Format.json(m.key)), \"value\": \(Report.Format.json(m.value))}\n"
                        }
                        rows += 1
                    }
                }
            }
        }
        return Result(text: out, rows: rows)
    }

    static let parquetRefusal = "--format parquet: not supported; no maintained Swift Parquet library is among this project's approved packages, and writing the format by hand (Thrift metadata, encodings, compression) is not worth its risk. Export csv or jsonl and convert (pandas: pd.read_csv(f).to_parquet(…))"
}
