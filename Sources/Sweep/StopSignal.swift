import Dispatch
import Foundation

/// Records that the process was asked to stop (SIGINT/SIGTERM) so that loops can wind down
/// between steps instead of dying mid-write. Thread-safe.
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var signalNumber: Int32?
    private var time: Double?
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// The signal that asked to stop, if any.
    public var requested: Int32? { lock.withLock { signalNumber } }
    public var isRequested: Bool { requested != nil }
    /// When the stop was asked for (`Monotonic` seconds).
    public var requestedAt: Double? { lock.withLock { time } }

    /// Asks to stop (as if `signal` had arrived); the first request wins.
    public func request(_ signal: Int32) {
        lock.withLock {
            if signalNumber == nil {
                signalNumber = signal
                time = Monotonic.now
            }
        }
    }

    /// Replaces the default action of `signals` (terminate) with a stop request.
    public func install(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.request(number) }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }
}
