/// The exit statuses of mcpo-sweep, mcpo-report and mcpo-bench: one table for the three tools
/// (docs/cli.md, "Exit statuses"; Tests/SweepTests/CLIContractTests.swift checks every row).
public enum ExitStatus {
    public static let success: Int32 = 0
    /// A sweep finished, but some of its runs failed (`mcpo-sweep run`).
    public static let runsFailed: Int32 = 1
    /// Bad input: a file, an option's value, a run or sweep name not in the store, a store path
    /// that does not exist (or is no usable mcpo store) given to any command.
    public static let badInput: Int32 = 2
    /// The sweep was cancelled (`mcpo-sweep cancel`) while `mcpo-sweep run` executed it.
    public static let cancelled: Int32 = 3
    /// No worker process could start (or work) for `--give-up-seconds`, or too few open files.
    public static let cannotStartWorkers: Int32 = 4
    /// The store exists but cannot be used now: locked or busy, a full disk, read-only where
    /// writing is needed. Nothing was changed; try again later.
    public static let storeUnavailable: Int32 = 5
    /// The store (or its write-ahead log) was deleted or replaced while a sweep ran.
    public static let storeGone: Int32 = 6
    /// The command line cannot be parsed: an unknown command or option, a missing or extra
    /// argument, a value that is not of its option's type or not one of its choices (sysexits'
    /// EX_USAGE; ArgumentParser's `ExitCode.validationFailure`).
    public static let usage: Int32 = 64
    /// Anything unexpected: a bug, reported in one line (sysexits' EX_SOFTWARE).
    public static let internalError: Int32 = 70

    /// Stopped by signal `n` (SIGINT 2, SIGTERM 15 after checkpointing; the shell reports the
    /// same for a process killed outright).
    public static func signal(_ n: Int32) -> Int32 { 128 + n }
}
