import Foundation
import Testing
@testable import Environments

@Suite struct BipedalWalkerTerrainTests {
    static let step = BipedalWalkerTerrain.step, height = BipedalWalkerTerrain.height

    /// The shape of one obstacle quad in terrain steps: width, height, and its top-left corner.
    static func shapes(_ terrain: BipedalWalkerTerrain) -> [(w: Double, h: Double, left: Double, top: Double)] {
        (0..<terrain.quadCount).map { k in
            let q = Array(terrain.quads[8 * k..<8 * k + 8])
            let xs = [q[0], q[2], q[4], q[6]], ys = [q[1], q[3], q[5], q[7]]
            return ((xs.max()! - xs.min()!) / step, (ys.max()! - ys.min()!) / step, xs.min()!, ys.max()!)
        }
    }

    /// Normal terrain: 200 points one TERRAIN_STEP apart, a flat start pad at TERRAIN_HEIGHT (the
    /// damped walk starts there and draws nothing before point 21), no obstacles, gentle heights.
    @Test func normalTerrainIsGrass() {
        var rng = SeededGenerator(seed: 3)
        var terrain = BipedalWalkerTerrain()
        var spread = 0.0
        for _ in 0..<50 {
            terrain.generate(hardcore: false, using: &rng)
            #expect(terrain.quadCount == 0)
            for i in 0..<BipedalWalkerTerrain.length { #expect(terrain.x[i] == Double(i) * Self.step) }
            #expect(terrain.y[0...20].allSatisfy { $0 == Self.height })
            #expect(terrain.y[21] != Self.height)
            for i in 1..<BipedalWalkerTerrain.length { #expect(abs(terrain.y[i] - terrain.y[i - 1]) < 0.3) }
            spread = max(spread, terrain.y.map { abs($0 - Self.height) }.max()!)
        }
        #expect(spread > 0.2 && spread < 3)
    }

    /// Hardcore terrain: every quad is a pit wall (1 × 4 steps, two of them 3–4 steps apart), a
    /// stump (1 or 2 steps square) or a stair step (4 × 1 steps, 3 or 4 of them); all three appear.
    @Test func hardcoreTerrainHasStumpsStairsAndPits() {
        var rng = SeededGenerator(seed: 4)
        var terrain = BipedalWalkerTerrain()
        var kinds: [String: Int] = [:]
        for _ in 0..<30 {
            terrain.generate(hardcore: true, using: &rng)
            #expect(terrain.y[0...20].allSatisfy { $0 == Self.height })
            // The first obstacle starts right after the start pad.
            #expect(abs(Self.shapes(terrain)[0].left - 20 * Self.step) < 1e-9)
            let shapes = Self.shapes(terrain)
            #expect(!shapes.isEmpty)
            var k = 0
            while k < shapes.count {
                let s = shapes[k]
                func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }
                if near(s.w, 1) && near(s.h, 4) {
                    // Pit: two walls, the second `counter` ∈ {3, 4} steps right; the ground between
                    // them lies 4 steps down.
                    let gap = (shapes[k + 1].left - s.left) / Self.step
                    #expect(near(shapes[k + 1].w, 1) && near(shapes[k + 1].h, 4) && (near(gap, 3) || near(gap, 4)))
                    let i = Int((s.left / Self.step).rounded())
                    if i + 2 < BipedalWalkerTerrain.length {  // (a pit may start at the very end)
                        #expect(abs(terrain.y[i + 2] - (s.top - 4 * Self.step)) < 1e-9)
                    }
                    kinds["pit", default: 0] += 1
                    k += 2
                } else if near(s.w, 4) && near(s.h, 1) {
                    var n = 1
                    while k + n < shapes.count && near(shapes[k + n].w, 4) && near(shapes[k + n].h, 1)
                        && near(shapes[k + n].left, s.left + Double(4 * n) * Self.step) { n += 1 }
                    #expect(n == 3 || n == 4)
                    kinds["stairs", default: 0] += 1
                    k += n
                } else {
                    #expect((near(s.w, 1) && near(s.h, 1)) || (near(s.w, 2) && near(s.h, 2)))
                    kinds["stump", default: 0] += 1
                    k += 1
                }
            }
        }
        #expect(kinds.keys.sorted() == ["pit", "stairs", "stump"])
    }

    /// Just after reset the walker hangs over the flat start pad. Lidar ray i points 0.15·i rad from
    /// straight down and ignores the walker's own legs (category 0x20): it reads
    /// (hull y − TERRAIN_HEIGHT) / (cos(0.15·i)·LIDAR_RANGE), or 1 when the pad is out of range
    /// (rays 8 and 9; in hardcore they may meet the first obstacle instead).
    @Test func lidarSeesOnlyTheGround() {
        for hardcore in [false, true] {
            let env = BipedalWalker(hardcore: hardcore)
            var rng = SeededGenerator(seed: 12)
            var o = [Float](repeating: .nan, count: 24)
            for _ in 0..<20 {
                env.reset(using: &rng, observation: &o)
                #expect(env.elapsedSteps == 0)
                let (x, y) = env.hullPosition
                #expect(abs(x - 14.0 / 30 * 10) < 0.01)
                #expect(abs(o[0]) < 0.01)
                var hits = 0
                for i in 0..<(hardcore ? 8 : 10) {
                    let along = (y - Self.height) / cos(0.15 * Double(i))
                    let expected = along < BipedalWalker.lidarRange ? along / BipedalWalker.lidarRange : 1
                    #expect(abs(Double(o[14 + i]) - expected) < 1e-4)
                    if expected < 1 { hits += 1 }
                }
                #expect(hits == 8)
                #expect(o[22] > 0.5 && o[22] <= 1 && o[23] > 0.5 && o[23] <= 1)
                #expect(o.allSatisfy { $0.isFinite })
            }
        }
    }
}
