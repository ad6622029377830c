/// Undiscounted returns and lengths of the training episodes, per actor while running and the
/// last 100 once completed (a run's score is their mean).
struct EpisodeTracker: Codable, Equatable {
    static let window = 100
    private var runningReturn: [Double]
    private var runningLength: [Int]
    private(set) var completed = 0
    private var lastReturns: [Double] = []   // ring buffer of at most `window`
    private var ringStart = 0
    // This iteration's completed episodes.
    private(set) var iterationCount = 0
    private(set) var iterationReturnSum = 0.0
    private(set) var iterationLengthSum = 0

    init(actors: Int) {
        runningReturn = Array(repeating: 0, count: actors)
        runningLength = Array(repeating: 0, count: actors)
    }

    mutating func startIteration() {
        iterationCount = 0
        iterationReturnSum = 0
        iterationLengthSum = 0
    }

    mutating func record(actor i: Int, reward: Double, done: Bool) {
        runningReturn[i] += reward
        runningLength[i] += 1
        guard done else { return }
        let r = runningReturn[i]
        if lastReturns.count < Self.window {
            lastReturns.append(r)
        } else {
            lastReturns[ringStart] = r
            ringStart = (ringStart + 1) % Self.window
        }
        completed += 1
        iterationCount += 1
        iterationReturnSum += r
        iterationLengthSum += runningLength[i]
        runningReturn[i] = 0
        runningLength[i] = 0
    }

    /// Mean of the last ≤ 100 completed episodes, summed oldest first; nil before the first.
    var score: Double? {
        guard !lastReturns.isEmpty else { return nil }
        var s = 0.0
        for k in 0..<lastReturns.count { s += lastReturns[(ringStart + k) % lastReturns.count] }
        return s / Double(lastReturns.count)
    }
}
