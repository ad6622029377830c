/// minigrid's object indices (the first channel of its encoding).
public enum MiniGridObject {
    public static let unseen: UInt8 = 0
    public static let empty: UInt8 = 1
    public static let wall: UInt8 = 2
    public static let floor: UInt8 = 3
    public static let door: UInt8 = 4
    public static let key: UInt8 = 5
    public static let ball: UInt8 = 6
    public static let box: UInt8 = 7
    public static let goal: UInt8 = 8
    public static let lava: UInt8 = 9
    public static let agent: UInt8 = 10
}

/// minigrid's colour indices (second channel): red 0, green 1, blue 2, purple 3, yellow 4, grey 5.
public enum MiniGridColor {
    public static let red: UInt8 = 0
    public static let grey: UInt8 = 5
    public static let count = 6
}

/// minigrid's door states (third channel).
public enum MiniGridDoorState {
    public static let open: UInt8 = 0
    public static let closed: UInt8 = 1
    public static let locked: UInt8 = 2
}

/// minigrid's actions.
public enum MiniGridAction {
    public static let left = 0, right = 1, forward = 2, pickup = 3, drop = 4, toggle = 5, done = 6
    public static let count = 7
}

/// A minigrid world: every cell holds its (object, colour, state) encoding, an empty cell being
/// (1, 0, 0) as minigrid encodes `None`; the agent is not stored in the grid. Objects behave as
/// minigrid 3.2's Wall, Door, Key, Ball and Box (floor, goal and lava are not used by the tasks here).
public struct MiniGridWorld: Codable, Equatable, Sendable {
    /// Cells of the egocentric view: 7×7, the agent at (3, 6) facing up.
    public static let viewSize = 7
    /// Values in one encoded view (7·7·3), in minigrid's `[x][y][channel]` order.
    public static let viewValues = viewSize * viewSize * 3

    public let width: Int
    public let height: Int
    /// (object, colour, state) of cell (x, y) at index `3 · (y · width + x)`.
    public var cells: [UInt8]
    public var agentX: Int
    public var agentY: Int
    /// 0 right (+x), 1 down (+y), 2 left, 3 up.
    public var agentDirection: Int
    /// Object and colour of the carried object; object 0 when the agent carries nothing.
    public var carriedObject: UInt8 = 0
    public var carriedColor: UInt8 = 0

    /// An empty world (all cells empty) with the agent at (0, 0) facing right.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { cells[3 * i] = MiniGridObject.empty }
        agentX = 0
        agentY = 0
        agentDirection = 0
    }

    /// A world from minigrid's full-grid encoding (`grid.encode()`, `[x][y][channel]` order
    /// flattened) and the agent's pose.
    public init(width: Int, height: Int, encoding: [UInt8], agentX: Int, agentY: Int, agentDirection: Int) {
        precondition(encoding.count == width * height * 3, "encoding needs width·height·3 values")
        self.init(width: width, height: height)
        for x in 0..<width {
            for y in 0..<height {
                let source = 3 * (x * height + y)
                set(x, y, encoding[source], encoding[source + 1], encoding[source + 2])
            }
        }
        self.agentX = agentX
        self.agentY = agentY
        self.agentDirection = agentDirection
    }

    @inline(__always) public func object(_ x: Int, _ y: Int) -> UInt8 { cells[3 * (y * width + x)] }
    @inline(__always) public func color(_ x: Int, _ y: Int) -> UInt8 { cells[3 * (y * width + x) + 1] }
    @inline(__always) public func state(_ x: Int, _ y: Int) -> UInt8 { cells[3 * (y * width + x) + 2] }

    @inline(__always)
    public mutating func set(_ x: Int, _ y: Int, _ object: UInt8, _ color: UInt8 = 0, _ state: UInt8 = 0) {
        let i = 3 * (y * width + x)
        cells[i] = object
        cells[i + 1] = color
        cells[i + 2] = state
    }

    @inline(__always) public mutating func clear(_ x: Int, _ y: Int) { set(x, y, MiniGridObject.empty) }

    /// (dx, dy) of a direction.
    @inline(__always)
    static func vector(_ direction: Int) -> (Int, Int) {
        switch direction & 3 {
        case 0: return (1, 0)
        case 1: return (0, 1)
        case 2: return (-1, 0)
        default: return (0, -1)
        }
    }

    /// The cell in front of the agent.
    @inline(__always)
    public var front: (x: Int, y: Int) {
        let (dx, dy) = Self.vector(agentDirection)
        return (agentX + dx, agentY + dy)
    }

    /// Whether the agent may stand on a cell (minigrid's `cell is None or cell.can_overlap()`).
    @inline(__always)
    func canOverlap(object: UInt8, state: UInt8) -> Bool {
        switch object {
        case MiniGridObject.empty, MiniGridObject.floor, MiniGridObject.goal, MiniGridObject.lava: return true
        case MiniGridObject.door: return state == MiniGridDoorState.open
        default: return false
        }
    }

    /// minigrid's `see_behind`: walls and closed or locked doors block the view.
    @inline(__always)
    static func seeBehind(object: UInt8, state: UInt8) -> Bool {
        switch object {
        case MiniGridObject.wall: return false
        case MiniGridObject.door: return state == MiniGridDoorState.open
        default: return true
        }
    }

    /// Applies one action as `MiniGridEnv.step` does (without step counting, rewards or the
    /// task's success rule). Invalid indices do nothing.
    public mutating func apply(action: Int) {
        let (fx, fy) = front
        let i = 3 * (fy * width + fx)
        let object = cells[i], state = cells[i + 2]
        switch action {
        case MiniGridAction.left:
            agentDirection = (agentDirection + 3) & 3
        case MiniGridAction.right:
            agentDirection = (agentDirection + 1) & 3
        case MiniGridAction.forward:
            if canOverlap(object: object, state: state) {
                agentX = fx
                agentY = fy
            }
        case MiniGridAction.pickup:
            if object == MiniGridObject.key || object == MiniGridObject.ball || object == MiniGridObject.box, carriedObject == 0 {
                carriedObject = object
                carriedColor = cells[i + 1]
                clear(fx, fy)
            }
        case MiniGridAction.drop:
            if object == MiniGridObject.empty, carriedObject != 0 {
                set(fx, fy, carriedObject, carriedColor, 0)
                carriedObject = 0
                carriedColor = 0
            }
        case MiniGridAction.toggle:
            switch object {
            case MiniGridObject.door:
                if state == MiniGridDoorState.locked {
                    // Opens only with the key of the door's colour (the key is kept).
                    if carriedObject == MiniGridObject.key, carriedColor == cells[i + 1] {
                        cells[i + 2] = MiniGridDoorState.open
                    }
                } else {
                    cells[i + 2] = state == MiniGridDoorState.open ? MiniGridDoorState.closed : MiniGridDoorState.open
                }
            case MiniGridObject.box:
                // A box is replaced by its contents, which are always empty here.
                clear(fx, fy)
            default:
                break
            }
        default:
            break
        }
    }

    /// Writes the agent's 7×7×3 egocentric view (minigrid's `gen_obs()['image']`, partial view,
    /// no seeing through walls) into `image` (147 values, `[x][y][channel]` order): the agent is at
    /// view (3, 6) facing up, cells outside the world are walls, hidden cells are (0, 0, 0) and the
    /// agent's own cell shows the carried object or empty.
    public func encodeView(into image: UnsafeMutablePointer<UInt8>) {
        let n = Self.viewSize
        let (fx, fy) = Self.vector(agentDirection)
        let (rx, ry) = (-fy, fx)  // the agent's right
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: 2 * n * n) { flags in
            let mask = flags.baseAddress!, see = mask + n * n  // index i · n + j
            cells.withUnsafeBufferPointer { grid in
                for i in 0..<n {
                    for j in 0..<n {
                        let wx = agentX + (i - 3) * rx + (n - 1 - j) * fx
                        let wy = agentY + (i - 3) * ry + (n - 1 - j) * fy
                        let out = image + 3 * (i * n + j)
                        if wx >= 0, wx < width, wy >= 0, wy < height {
                            let c = 3 * (wy * width + wx)
                            out[0] = grid[c]
                            out[1] = grid[c + 1]
                            out[2] = grid[c + 2]
                        } else {
                            out[0] = MiniGridObject.wall
                            out[1] = MiniGridColor.grey
                            out[2] = 0
                        }
                        see[i * n + j] = Self.seeBehind(object: out[0], state: out[2])
                        mask[i * n + j] = false
                    }
                }
            }
            // minigrid's Grid.process_vis, from the agent's row up to the far row.
            mask[3 * n + (n - 1)] = true
            for j in stride(from: n - 1, through: 0, by: -1) {
                for i in 0..<(n - 1) where mask[i * n + j] && see[i * n + j] {
                    mask[(i + 1) * n + j] = true
                    if j > 0 {
                        mask[(i + 1) * n + j - 1] = true
                        mask[i * n + j - 1] = true
                    }
                }
                for i in stride(from: n - 1, through: 1, by: -1) where mask[i * n + j] && see[i * n + j] {
                    mask[(i - 1) * n + j] = true
                    if j > 0 {
                        mask[(i - 1) * n + j - 1] = true
                        mask[i * n + j - 1] = true
                    }
                }
            }
            for k in 0..<(n * n) where !mask[k] {
                image[3 * k] = 0
                image[3 * k + 1] = 0
                image[3 * k + 2] = 0
            }
            let agent = image + 3 * (3 * n + n - 1)
            if carriedObject != 0 {
                agent[0] = carriedObject
                agent[1] = carriedColor
            } else {
                agent[0] = MiniGridObject.empty
                agent[1] = 0
            }
            agent[2] = 0
        }
    }
}
