import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a run's lease: `host:pid` of the process executing it. A holder on this host whose
/// process no longer exists has certainly stopped working, so its run can be reclaimed at once;
/// a holder on another host is only trusted until its lease expires.
public struct WorkerID: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var pid: Int32

    public init(host: String, pid: Int32) {
        self.host = host
        self.pid = pid
    }

    /// Parses `host:pid` (the host may itself contain colons; the pid is after the last one).
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let pid = Int32(text[text.index(after: colon)...]) else {
            return nil
        }
        self.init(host: String(text[..<colon]), pid: pid)
    }

    public var description: String { "\(host):\(pid)" }

    /// This process.
    public static var current: WorkerID { WorkerID(host: currentHost, pid: getpid()) }

    /// This process's parent (the scheduler that spawned a worker).
    public static var parent: WorkerID { WorkerID(host: currentHost, pid: getppid()) }

    /// The host name as `gethostname` reports it; inside a Slurm task, the name of its node
    /// (`SLURMD_NODENAME`), which is what `squeue` and `scontrol` name it by (several nodes may
    /// share one host name where a site runs more than one slurmd per machine). A holder on
    /// another host is judged by its lease, one on this host by its process: so a worker is
    /// "here" only for processes of its own node, which run on this machine.
    public static var currentHost: String {
        if let node = ProcessInfo.processInfo.environment["SLURMD_NODENAME"], !node.isEmpty { return node }
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The state letter of process `pid` in /proc/PID/stat (R, S, T, Z, …), nil without one.
    public static func processState(_ pid: Int32) -> Character? {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].drop { $0 == " " }.first
    }

    /// Whether process `pid` is stopped (SIGSTOP, Ctrl-Z, a debugger): state T or t.
    public static func isProcessStopped(_ pid: Int32) -> Bool {
        let state = processState(pid)
        return state == "T" || state == "t"
    }

    /// Whether a process with this pid exists on this host and is not a zombie (a process that
    /// we may not signal exists too).
    public static func isProcessAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        // A killed process whose parent has not reaped it yet still answers kill(pid, 0).
        let state = processState(pid)
        return state != "Z" && state != "X"
    }
}
