import ExperimentStore

/// The project's version, in this one place: every tool's `--version` prints it.
public enum ProjectVersion {
    public static let string = "0.14.0"

    /// `TOOL 0.14.0 (store schema 4)`: what `TOOL --version` prints.
    public static func line(tool: String) -> String {
        "\(tool) \(string) (store schema \(StoreSchema.version))"
    }
}
