/// A figure that cannot be written.
public enum FigureError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(path: String, why: String)
    case unknownFormat(path: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let why): return "\(path): cannot write the figure: \(why)"
        case .unknownFormat(let path): return "\(path): expected a file name ending in .svg, .png or .pdf"
        }
    }
}
