/// The terrain of one BipedalWalker episode, generated as gymnasium 1.4's `_generate_terrain`
/// does: `length` points a `terrainStep` apart whose heights follow a damped random walk on grass
/// (and, in hardcore, ramps over stairs and drops into pits), plus the solid quads of the
/// obstacles (stumps, stair steps, pit walls) in the order gymnasium creates them.
///
/// The draws come from the episode's own stream, in gymnasium's order: one U(−1, 1) per grass
/// point after the start pad; on entering a stump its size; on entering stairs the direction, then
/// the step count; on entering a pit its width; at the end of every stretch the next stretch's
/// length, then (hardcore, after grass) the next obstacle.
struct BipedalWalkerTerrain {
    enum Stretch { case grass, stump, stairs, pit }

    static let length = 200  // TERRAIN_LENGTH, in steps
    static let step = 14.0 / 30.0  // TERRAIN_STEP
    static let height = 400.0 / 30.0 / 4  // TERRAIN_HEIGHT = VIEWPORT_H / SCALE / 4
    static let grass = 10  // TERRAIN_GRASS
    static let startpad = 20  // TERRAIN_STARTPAD
    static let friction = 2.5  // FRICTION
    static let obstacles: [Stretch] = [.stump, .stairs, .pit]

    /// x and height of every terrain point (the ground is the 199 edges between neighbours).
    private(set) var x = [Double](repeating: 0, count: length)
    private(set) var y = [Double](repeating: 0, count: length)
    /// Obstacle quads, 8 values each: (x, y) of 4 corners.
    private(set) var quads: [Double] = []

    init() {
        quads.reserveCapacity(8 * 64)
    }

    var quadCount: Int { quads.count / 8 }

    /// Rewrites the terrain for a new episode.
    mutating func generate(hardcore: Bool, using rng: inout SeededGenerator) {
        let step = Self.step, height = Self.height
        quads.removeAll(keepingCapacity: true)
        var stretch = Stretch.grass
        var oneshot = false  // true on the first point of a new stretch
        var velocity = 0.0
        var y = height
        var counter = Self.startpad
        var stairSteps = 0, stairWidth = 0, stairHeight = 0
        var originalY = 0.0
        for i in 0..<Self.length {
            let x = Double(i) * step
            self.x[i] = x
            switch (stretch, oneshot) {
            case (.grass, false):
                // numpy's sign: 0 at 0, so the start pad stays exactly flat.
                let toward: Double = height > y ? 1 : (height < y ? -1 : 0)
                velocity = 0.8 * velocity + 0.01 * toward
                if i > Self.startpad { velocity += rng.uniform(-1, 1) / 30 }
                y += velocity
            case (.pit, true):
                counter = 3 + rng.below(2)  // integers(3, 5)
                let wall = [x, y, x + step, y, x + step, y - 4 * step, x, y - 4 * step]
                quads += wall
                let shift = step * Double(counter)
                for k in 0..<4 {
                    quads.append(wall[2 * k] + shift)
                    quads.append(wall[2 * k + 1])
                }
                counter += 2
                originalY = y
            case (.pit, false):
                y = originalY
                if counter > 1 { y -= 4 * step }
            case (.stump, true):
                counter = 1 + rng.below(2)  // integers(1, 3)
                let side = Double(counter) * step
                quads += [x, y, x + side, y, x + side, y + side, x, y + side]
            case (.stairs, true):
                stairHeight = rng.nextUnit() > 0.5 ? 1 : -1
                stairWidth = 4  // integers(4, 5): always 4
                stairSteps = 3 + rng.below(2)  // integers(3, 5)
                originalY = y
                for s in 0..<stairSteps {
                    let left = x + Double(s * stairWidth) * step, right = x + Double((1 + s) * stairWidth) * step
                    let top = y + Double(s * stairHeight) * step, bottom = y + Double(-1 + s * stairHeight) * step
                    quads += [left, top, right, top, right, bottom, left, bottom]
                }
                counter = stairSteps * stairWidth
            case (.stairs, false):
                // The ground edges ramp through the stairs (true division, as in Python 3).
                let s = stairSteps * stairWidth - counter - stairHeight
                let n = Double(s) / Double(stairWidth)
                y = originalY + n * Double(stairHeight) * step
            case (.grass, true), (.stump, false):
                break
            }
            oneshot = false
            self.y[i] = y
            counter -= 1
            if counter == 0 {
                counter = Self.grass / 2 + rng.below(Self.grass - Self.grass / 2)  // integers(5, 10)
                if stretch == .grass && hardcore {
                    stretch = Self.obstacles[rng.below(3)]  // integers(1, 4)
                } else {
                    stretch = .grass
                }
                oneshot = true
            }
        }
    }
}
