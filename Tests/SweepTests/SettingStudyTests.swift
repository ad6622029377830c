import Foundation
import Testing

/// Issue 14's acceptance, end to end: a learning-rate grid under `defaults` runs one run per
/// rate and seed, and `mcpo-report table --rows method,lr` puts both rates in one table.
@Suite struct SettingStudyTests {
    @Test func aLearningRateStudyRunsAndReadsBackInOneTable() throws {
        let scratch = try Scratch()
        let file = scratch.write("lr.yaml", """
            name: lr-study
            seeds: 2
            defaults: {steps: 4096, horizon: 256, lr: [1.0e-3, 3.0e-4]}
            envs: {Pendulum: }
            methods: {PPO: }
            """)
        let run = try Tool.run(["run", file, "--db", scratch.path("s.sqlite"), "--workers", "2"], in: scratch.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("4 runs stored"), "\(run.stderr)")
        let report = URL(fileURLWithPath: try #require(Tool.binary)).deletingLastPathComponent().appendingPathComponent("mcpo-report").path
        let table = try Tool.run(["table", "--db", scratch.path("s.sqlite"), "--rows", "method,lr", "--format", "csv"],
                                 in: scratch.url, executable: report)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").dropFirst()
        #expect(lines.count == 2)
        #expect(lines.contains { $0.hasPrefix("PPO (lr=0.0003),,,Pendulum,") && $0.contains(",2,") })
        #expect(lines.contains { $0.hasPrefix("PPO (lr=0.001),,,Pendulum,") && $0.contains(",2,") })
        // table1 finds the differing setting by itself, and a grouping that pools the rates says so.
        let table1 = try Tool.run(["table1", "--db", scratch.path("s.sqlite")], in: scratch.url, executable: report)
        #expect(table1.stdout.contains("PPO (lr=0.0003)") && table1.stdout.contains("PPO (lr=0.001)"))
        let pooled = try Tool.run(["table", "--db", scratch.path("s.sqlite"), "--rows", "method"], in: scratch.url, executable: report)
        #expect(pooled.status == 0 && pooled.stderr.contains("cells pool runs that differ in lr"), "\(pooled.stderr)")
        #expect(pooled.stdout.contains("(n=4)"))
    }
}
