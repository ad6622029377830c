import ExperimentStore
import Foundation

/// The live progress line of `mcpo-sweep run`: runs done/total, env steps/s over the last
/// seconds and an ETA. On a terminal it is rewritten in place (`\r`); otherwise one line is
/// written every `plainInterval` seconds.
public final class ProgressLine {
    let label: String
    let isTerminal: Bool
    let plainInterval: Double
    let window: Double
    let write: (String) -> Void
    private var samples: [(time: Double, steps: Int64)] = []
    private var lastPlain = -Double.infinity
    private var lastText = ""
    private let start = Monotonic.now

    public init(label: String, isTerminal: Bool = isatty(2) != 0, plainInterval: Double = 10, window: Double = 10,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.label = label
        self.isTerminal = isTerminal
        self.plainInterval = plainInterval
        self.window = window
        self.write = write
    }

    /// Env steps per second over the last `window` seconds (nil until two samples exist).
    public private(set) var rate: Double?

    /// Records the current counts and shows the line when due.
    public func update(_ counts: StatusCounts, now: Double = Monotonic.now) {
        if let last = samples.last, counts.stepsDone < last.steps { samples.removeAll() }  // runs were reclaimed
        samples.append((now, counts.stepsDone))
        while let first = samples.first, now - first.time > window, samples.count > 2 { samples.removeFirst() }
        if let first = samples.first, now - first.time >= 1 {
            rate = Double(counts.stepsDone - first.steps) / (now - first.time)
        }
        let text = render(counts, now: now)
        if isTerminal {
            if text != lastText && now - lastPlain >= 0.5 {
                write("\r\(text)\u{1B}[K")
                lastPlain = now
                lastText = text
            }
        } else if now - lastPlain >= plainInterval {
            write(text + "\n")
            lastPlain = now
        }
    }

    /// Ends the line (on a terminal) and writes a closing summary.
    public func finish(_ counts: StatusCounts, now: Double = Monotonic.now) {
        if isTerminal { write("\r\(render(counts, now: now))\u{1B}[K\n") }
        else { write(render(counts, now: now) + "\n") }
    }

    func render(_ counts: StatusCounts, now: Double) -> String {
        var parts = ["[\(label)] runs \(counts.done)/\(counts.total) done"]
        if counts.running > 0 { parts[0] += ", \(counts.running) running" }
        if counts.failed > 0 { parts[0] += ", \(counts.failed) failed" }
        if let rate, rate > 0 {
            parts.append("\(ProgressLine.compact(rate)) steps/s")
            if counts.stepsRemaining > 0 {
                parts.append("ETA \(ProgressLine.duration(Double(counts.stepsRemaining) / rate))")
            }
        } else if !counts.isSettled {
            parts.append("measuring steps/s")
        }
        parts.append("elapsed \(ProgressLine.duration(now - start))")
        return parts.joined(separator: " · ")
    }

    static func compact(_ x: Double) -> String {
        if x >= 1e6 { return String(format: "%.2fM", x / 1e6) }
        if x >= 1e4 { return String(format: "%.1fk", x / 1e3) }
        return String(format: "%.0f", x)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        guard seconds < 1e12 else { return "> 30000 years" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
