import Foundation

/// Seconds on a clock that never jumps (CLOCK_MONOTONIC): every local decision about time —
/// when to checkpoint, renew, reclaim, back off, give up — is measured on it, so that a wall
/// clock set forward or back (NTP, a hand edit) changes none of them. Times stored in the
/// store (leases, timestamps) stay unix seconds.
public enum Monotonic {
    public static var now: Double { ProcessInfo.processInfo.systemUptime }
}
