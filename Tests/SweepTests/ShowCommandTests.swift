import ExperimentStore
import Foundation
import Testing
import Trainer

/// `mcpo-sweep show RUN` and the fields of `list --json`, against the store.
@Suite struct ShowCommandTests {
    static let sweep = tinySweep.replacingOccurrences(of: "steps: 512", with: "steps: 500")

    @Test func showPrintsEveryConfigKeyTheRoundedStepsAndTheStoredScore() throws {
        let scratch = try Scratch()
        let file = scratch.write("show.yaml", Self.sweep)
        let made = try Tool.run(["run", file, "--db", "s.sqlite", "--workers", "2"], in: scratch.url)
        #expect(made.status == 0, "\(made.stderr)")
        let store = try Store.openReadOnly(path: scratch.path("s.sqlite"))
        let run = try #require(try store.runs(sweepID: nil, status: .done).first)
        let shown = try Tool.run(["show", "\(run.id)", "--db", "s.sqlite", "--json"], in: scratch.url)
        #expect(shown.status == 0, "\(shown.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let config = try #require(object["config"] as? [String: Any])
        // Every setting a sweep file may give, with defaults filled, and the method's own.
        let expected = Set(TrainingConfig(method: "PPO", env: "Pendulum", seed: 0, steps: 1).everySetting.map(\.key))
        #expect(expected.isSubset(of: Set(config.keys)))
        #expect(config["value_clip"] is NSNull && config["advantage_norm"] as? String == "minibatch")
        #expect((config["params"] as? [String: Any])?["clip"] as? Double == run.value)
        // 500 steps in iterations of 2 actors × 32: 8 iterations, 512 env steps.
        #expect(object["steps"] as? Int == 500 && object["steps_taken"] as? Int == 512 && object["steps_done"] as? Int == 512)
        #expect(object["score"] as? Double == (try store.lastMetric(runID: run.id, key: Store.scoreKey))?.value)
        #expect((object["events"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["claimed", "done"])
        #expect((object["last_metrics"] as? [String: Any])?.keys.contains("entropy") == true)
        let text = try Tool.run(["show", "\(run.id)", "--db", "s.sqlite"], in: scratch.url)
        #expect(text.stdout.contains("steps: 512 of 500 (a run ends on a whole iteration: 8 iterations × 2 actors × 32 = 512 env steps)"))
        #expect(text.stdout.contains("  value_clip: off\n") && text.stdout.contains("  params.clip: "))
        let missing = try Tool.run(["show", "99", "--db", "s.sqlite"], in: scratch.url)
        #expect(missing.status == 2 && missing.stderr.contains("no run with id 99 (runs are 1…4"))
    }

    @Test func listJSONCarriesTheRunsLabelsAndScore() throws {
        let scratch = try Scratch()
        let file = scratch.write("list.yaml", Self.sweep)
        #expect(try Tool.run(["run", file, "--db", "s.sqlite", "--workers", "2"], in: scratch.url).status == 0)
        let store = try Store.openReadOnly(path: scratch.path("s.sqlite"))
        let listed = try Tool.run(["list", "--db", "s.sqlite", "--json"], in: scratch.url)
        let rows = try listed.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(rows.count == 4)
        for row in rows {
            let run = try #require(try store.run(id: Int64(row["id"] as! Int)))
            #expect(row["method"] as? String == run.method && row["env"] as? String == run.env)
            #expect(row["seed"] as? Int == Int(run.seed) && row["param"] as? String == run.param && row["value"] as? Double == run.value)
            #expect(row["score"] as? Double == (try store.lastMetric(runID: run.id, key: Store.scoreKey))?.value)
            #expect(row["status"] as? String == "done" && row["steps"] as? Int == 500)
        }
    }
}
