import Foundation
import Testing
@testable import Trainer

/// docs/metrics.md lists exactly the keys the runs record: every key a method records on a
/// continuous and a discrete task is documented, and every documented key is recorded by some run.
@Test func docsMetricsListsExactlyTheRecordedKeys() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let text = try String(contentsOf: root.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
    let row = try NSRegularExpression(pattern: #"^\| `([a-z_]+)` \|"#, options: .anchorsMatchLines)
    let documented = Set(row.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
        String(text[Range($0.range(at: 1), in: text)!])
    })
    var recorded: Set<String> = []
    for (method, params) in [("PPO", ["clip": 0.2]), ("KLFixed", ["beta": 1]), ("KLAdaptive", ["d_targ": 0.01]),
                             ("MDPO", ["beta0": 1]), ("VMPO", ["alpha0": 1]), ("MCPO", ["N": 3]),
                             ("TRPO", ["delta": 0.01])] {
        for env in ["Pendulum", "MiniGrid-Unlock"] {
            var config = TrainingConfig(method: method, env: env, seed: 1, steps: 2 * 2 * 320, params: params)
            config.actors = 2
            config.horizon = 320
            config.epochs = 1
            let sink = MemoryMetricSink()
            try Trainer(config: config).train(sink: sink)
            let keys = Set(sink.rows.flatMap(\.metrics.keys))
            #expect(keys.isSubset(of: documented), "\(method) on \(env) records undocumented keys \(keys.subtracting(documented).sorted())")
            #expect(keys.contains(MetricKey.score), "\(method) on \(env): no episode ended")
            recorded.formUnion(keys)
        }
    }
    #expect(documented.count >= 20)
    #expect(documented.subtracting(recorded).isEmpty, "documented but never recorded: \(documented.subtracting(recorded).sorted())")
}
