import ExperimentStore
import Foundation
@testable import Sweep

/// Paths and helpers shared by the sweep tests.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func sweep(_ name: String) -> String { root.appendingPathComponent("sweeps/\(name)").path }
}

/// A temporary directory deleted with the value.
final class Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-sweep-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = path(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    /// The bytes of the store file and of its WAL (nil when absent or empty: a read-only
    /// connection may leave an empty WAL behind), to compare before and after.
    func bytes(_ db: String) -> [Data?] {
        [db, db + "-wal"].map { FileManager.default.contents(atPath: $0).flatMap { $0.isEmpty ? nil : $0 } }
    }
}

/// A sweep that runs in well under a second: 2 clips × 2 seeds × 512 steps (2 episodes per run).
let tinySweep = """
    name: tiny
    seeds: 2
    defaults: {horizon: 32, epochs: 2, minibatch_size: 32, actors: 2}
    envs:
      Pendulum: {steps: 512}
    methods:
      PPO: {clip: [0.1, 0.2]}

    """

func parse(_ yaml: String, environments: [String] = ["Pendulum"]) throws -> SweepSpec {
    try SweepParser.parse(yaml: yaml, file: "test.yaml", environments: environments)
}

extension SweepLaunch.Prepared {
    /// The prepared sweep's store as the SQLite `Store` these tests open (`--db FILE`).
    var sqlite: Store { store as! Store }
}
