import Figures
import Foundation
import Report

/// The report's one-line messages on standard error, and its exit on a refused input.
enum Output {
    static func warn(_ line: String) {
        FileHandle.standardError.write(Data("mcpo-report: \(line)\n".utf8))
    }

    static func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("mcpo-report: error: \(line)\n".utf8))
        Foundation.exit(1)
    }

    /// Runs `body`; any error it throws becomes one `error:` line and exit status 1.
    static func reporting(_ body: () throws -> Void) {
        do {
            try body()
        } catch let error as ReportError {
            fail(error.description)
        } catch let error as DashboardError {
            fail(error.description)
        } catch let error as FigureError {
            fail(error.description)
        } catch {
            fail("\(error)")
        }
    }
}
