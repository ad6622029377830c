/// The limits of a sweep file beyond those of each run (`TrainingLimits`); sweeps/README.md, "Limits".
public enum SweepLimits {
    /// Runs of one sweep (seeds × environments × every method's grid), and so also seeds.
    public static let runs = 100_000
    /// Worker processes per core that `run` and `daemon` start without `--force-workers`.
    public static let workersPerCore = 4
}
