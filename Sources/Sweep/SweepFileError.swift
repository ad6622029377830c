/// A problem with a sweep file, rendered as one line `FILE:LINE:COLUMN: message` (or
/// `FILE: message` when no position applies, e.g. an unreadable file).
public struct SweepFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int?, column: Int?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard let line else { return "\(file): \(oneLine)" }
        return "\(file):\(line):\(column ?? 1): \(oneLine)"
    }
}
