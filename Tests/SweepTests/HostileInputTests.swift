import Foundation
import Testing
@testable import Sweep
@testable import Trainer

/// No sweep file can crash a process with a signal: every numeric key of the settings and of
/// every method, at each of 0, −1, 2^31, 2^53, 2^63 − 1, 1e308 and NaN, is either refused by
/// `mcpo-sweep submit` with exit 2 and one line, or accepted — and then every run it stores
/// builds a trainer that completes an iteration or throws a `TrainerError` (a diverged run),
/// never traps or runs out of memory.
@Suite struct HostileInputTests {
    static let values = ["0", "-1", "2147483648", "9007199254740992", "9223372036854775807", "1e308", ".nan"]

    /// (section, method or nil, key) for every numeric key a sweep file has.
    static var keys: [(method: String?, key: String)] {
        let settings = ConfigField.all.filter { if case .flag = $0.kind { false } else { true } }.map { (nil as String?, $0.key) }
        let methods = MethodCatalog.all.flatMap { info in info.defaults.keys.sorted().map { (info.name as String?, $0) } }
        return settings + methods
    }

    /// A small sweep with `key` set to `value` (in defaults, or in its method's block).
    static func yaml(method: String?, key: String, value: String) -> String {
        var defaults = ["steps": "1024", "horizon": "64", "epochs": "2", "minibatch_size": "32", "actors": "2"]
        var block = ""
        if let method {
            block = "  \(method): {\(key): \(value)}"
        } else {
            defaults[key] = value
            block = "  PPO: {clip: 0.2}"
        }
        let settings = defaults.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return "name: hostile\nseeds: 1\ndefaults: {\(settings)}\nenvs:\n  Pendulum:\nmethods:\n\(block)\n"
    }

    @Test func everyNumericKeyAtEveryExtremeIsRefusedWithOneLineOrRuns() throws {
        let dir = try Scratch()
        var refused = 0, accepted = 0
        for (method, key) in Self.keys {
            for (i, value) in Self.values.enumerated() {
                let label = "\(method.map { "methods.\($0)." } ?? "defaults.")\(key) = \(value)"
                let text = Self.yaml(method: method, key: key, value: value)
                let file = dir.write("f.yaml", text)
                let db = dir.path("s-\(method ?? "cfg")-\(key)-\(i).sqlite")
                let result = try Tool.run(["submit", file, "--db", db], in: dir.url)
                #expect(result.status == 0 || result.status == 2, "\(label): exit \(result.status)\n\(result.stderr)")
                guard result.status == 0 else {
                    refused += 1
                    #expect(result.lines == 1, "\(label): \(result.stderr)")
                    #expect(result.stderr.hasPrefix("mcpo-sweep: error: " + file + ":"), "\(label): \(result.stderr)")
                    #expect(!FileManager.default.fileExists(atPath: db), "\(label): a refused file created a store")
                    continue
                }
                accepted += 1
                for run in try SweepParser.parse(yaml: text).expand() {
                    let trainer = try Trainer(config: run.config)
                    do {
                        try trainer.runIteration(sink: MemoryMetricSink())
                    } catch TrainerError.diverged {
                        // A huge learning rate or coefficient diverges: the run fails, nothing crashes.
                    }
                }
            }
        }
        // The split itself: counts refuse all but 2^31 steps; positive reals accept the large values.
        #expect(refused > 100 && accepted > 20, "\(refused) refused, \(accepted) accepted")
    }
}
