import Foundation
import Testing
@testable import Sweep

/// Grid axes over any setting (issue 14) changed the parser and the spec's JSON; no shipped
/// sweep may change identity by it. The figures below were recorded from the code before that
/// change (commit 9f65b35): each file's `specHash` and the hash of its runs' `configHash`es
/// joined in expansion order.
@Suite struct ShippedHashesTests {
    static let recorded: [String: (spec: String, runs: Int, digest: String)] = [
        // Added with the file itself (issue 14), after the change: it only has to stay put.
        "ablation.yaml": ("37f121e97f630cdb74548c6ccac88d19", 45, "af9ff8e8fd1590744ba12b6f0a0cac27"),
        "classic.yaml": ("1fa3f98fb4e6d5baa304a1570369b8ba", 270, "bcecfbb06c75ca4702161a75bb9bb348"),
        // Added with the files themselves (issue 16).
        "mujoco-quick.yaml": ("fea8f3f1a552f66ec7e795fb52caa9a6", 12, "1834f65669e1dd19a70bca409961b758"),
        "mujoco.yaml": ("d92c12e2a2468396f9ac185d847ff5e8", 360, "a1194416415f2a809826175a665449e6"),
        "minigrid.yaml": ("a850a2c9b832aba9e363efbbafe3777e", 120, "6510bdcff3f02301b7330824bd6bc641"),
        "pendulum-ppo.yaml": ("8704cd47105060e4271c1f79ebf269c3", 15, "cd86dc6098c2067dc0356379e9fd43a5"),
        "pendulum.yaml": ("3ab626a03e9ee05f6dfab9123b86a6f8", 90, "6217a7ee9ba095bc17c7feff971f02bd"),
        "quick.yaml": ("e631b82028ec8a55569d24522fbf8769", 9, "0b5fca26b6254bcd3b5e81556338858b"),
        "study/study-pendulum-advantage-norm.yaml": ("642fb6110c6b1f8cc4e91792f355d214", 20, "eea6dd3e8dc0968daec883955393711c"),
        "study/study-pendulum-attend.yaml": ("ddcdc15359e67b859cfbc8253cf94258", 20, "d2fb0f3a15abab8f0a6f4362101ce8e6"),
        "study/study-pendulum-base.yaml": ("2b933f57ce2b2e9f39ed9af4dec6e2a4", 40, "2eed84d95f064a5b2a46bc4d1d4b7b81"),
        "study/study-pendulum-beta-when.yaml": ("6d6798012cae57066449a2a2f6f57419", 40, "4f527ad19912238370ddf335b75fbf53"),
        "study/study-pendulum-chosen.yaml": ("6cc128f2de3a2274b6c9f28954760d79", 20, "b38a63a39c9564c93fc650c931c2a1bd"),
        "study/study-pendulum-features.yaml": ("504af1948da1ae0b40f81830fa5cd597", 20, "7a4ee01a300e09c665e19b3d4b80f4b5"),
        "study/study-pendulum-forget-gate.yaml": ("8ad2e19e2e896bf201355c1db88ca967", 20, "9cb807d3f9077f0545cb46303b1d2190"),
        "study/study-pendulum-switch-reference.yaml": ("9e1b9ddf38875dbf26ae7cfbed19c6ba", 20, "659d127b6bc19bb58b4681b33084f7dc"),
        "study/study-pendulum-write-check.yaml": ("09b568daef65c8744ebb9d5366a6205d", 20, "21984434de9986fbeb73318e3b64e017"),
        "study/study-pendulum-write-every.yaml": ("d7b69f339eb825c3e69e3d910aadb877", 20, "f8d0744a528f6e842a0d552c80a068a4"),
        "study/study-unlock-advantage-norm.yaml": ("9c7a31959d5f2fb2fd058d01fc661c05", 10, "524d1902344ae7af27bac72134cb003d"),
        "study/study-unlock-attend.yaml": ("660c96de9b6ca2aad889afaea4f67af5", 10, "7c2da32116e747f59228cc3925a926f7"),
        "study/study-unlock-base.yaml": ("a03bd7863b3b95c8a89a62a04585948d", 20, "754c15ff42f56856960e805873ca6d10"),
        "study/study-unlock-beta-when.yaml": ("c751ae754b269af0e0226a567a619924", 20, "a4b9461efffd839d619a1bfe269206a1"),
        "study/study-unlock-chosen.yaml": ("0e269ed5e61c0b9e601a56d219e34e94", 10, "b045fa9ab7c53f207560b8befb7767ba"),
        "study/study-unlock-constraint.yaml": ("81f364c269b332a5c476a14fa11c2cfd", 50, "c89755d7d6be2dab79f02e7da9ec75c7"),
        "study/study-unlock-features.yaml": ("2fe54700c9fe16fa08d63614f4fc487a", 10, "0b42c96ad53b2435563ff8ced5beeca3"),
        "study/study-unlock-forget-gate.yaml": ("619cccd425cee78fa31cd0ed5ec5b3fa", 10, "7bffd50c2170e2d2ffe61aae363d85dc"),
        "study/study-unlock-switch-reference.yaml": ("e45b94eed983201397a0360bc2cb4727", 10, "413162fb8ee26f3f1b65e3a712f0d394"),
        "study/study-unlock-write-check.yaml": ("8ab5280969a11e95b1ad9dae175a358c", 10, "90d000da8e90d51d5e5905f96e5d9d0a"),
        "study/study-unlock-write-every.yaml": ("c4c14fa8757e78d7bc80381ec3d36a0a", 10, "d5fbd1ca43d93585975c6db467b66941"),
    ]

    static var shippedFiles: [String] {
        let root = Repo.root.appendingPathComponent("sweeps")
        let top = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let study = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("study").path)) ?? []
        return (top.filter { $0.hasSuffix(".yaml") } + study.filter { $0.hasSuffix(".yaml") }.map { "study/\($0)" }).sorted()
    }

    static func identity(_ file: String) throws -> (spec: String, runs: Int, digest: String) {
        let spec = try SweepParser.parse(contentsOf: Repo.sweep(file))
        let runs = spec.expand()
        return (spec.specHash, runs.count, StableHash.hex(of: runs.map(\.configHash).joined(separator: "\n")))
    }

    @Test(arguments: shippedFiles)
    func shippedSweepKeepsItsIdentity(file: String) throws {
        let now = try Self.identity(file)
        let before = try #require(Self.recorded[file], "no recorded identity for \(file): a new shipped file is added to the table")
        #expect(now.spec == before.spec)
        #expect(now.runs == before.runs)
        #expect(now.digest == before.digest)
    }
}
