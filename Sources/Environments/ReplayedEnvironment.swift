/// A Box2D environment saved as its episode's seed and the actions taken since the reset: Box2D
/// worlds cannot be serialised, but Box2D is deterministic for an identical sequence of calls, so
/// replaying these rebuilds the episode exactly.
protocol ReplayedEnvironment: Environment, AnyObject {
    /// Builds the world of the episode `seed` (taking gymnasium's reset step) and writes its first
    /// observation.
    func begin(episodeSeed seed: UInt64, observation: UnsafeMutablePointer<Float>)
}

extension ReplayedEnvironment {
    /// Checks a saved episode and replays it into this freshly made environment (`episodeSeed` nil:
    /// never reset, nothing to replay).
    func replay(episodeSeed: UInt64?, actions: [Float]) throws {
        let name = String(describing: Self.self), width = actionSpace.width
        guard let seed = episodeSeed else {
            guard actions.isEmpty else { throw EnvironmentError.invalidSnapshot("\(name) actions without an episode") }
            return
        }
        guard actions.count % width == 0 else {
            throw EnvironmentError.invalidSnapshot("\(actions.count) \(name) action values for width \(width)")
        }
        var observation = [Float](repeating: 0, count: observationSize)
        var environment = self  // a reference: Environment's `step` is declared mutating
        begin(episodeSeed: seed, observation: &observation)
        actions.withUnsafeBufferPointer { all in
            var t = 0
            while t < all.count {
                _ = environment.step(action: all.baseAddress! + t, observation: &observation)
                t += width
            }
        }
    }
}
