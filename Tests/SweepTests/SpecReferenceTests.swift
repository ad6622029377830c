import Foundation
import Testing

/// The code cites the method's specification as `method.md §N` (or `§N.M`); that file is the
/// repository's `docs/method.md`, and every cited section is one of its headings.
@Suite struct SpecReferenceTests {
    /// Every `method.md §…` citation in Sources, Tests, sweeps, docs and the README, as
    /// (file, section).
    static func citations() throws -> [(file: String, section: String)] {
        let pattern = try NSRegularExpression(pattern: #"method\.md §(\d+(?:\.\d+)?)"#)
        var found: [(String, String)] = []
        for folder in ["Sources", "Tests", "sweeps", "docs", "README.md"] {
            let url = Repo.root.appendingPathComponent(folder)
            var files = [url]
            if let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) {
                files = walker.compactMap { $0 as? URL }
            }
            for file in files where ["swift", "md", "yaml", "sh", "sql"].contains(file.pathExtension) {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    let section = String(text[Range(match.range(at: 1), in: text)!])
                    found.append((file.path.replacingOccurrences(of: Repo.root.path + "/", with: ""), section))
                }
            }
        }
        return found
    }

    /// The section numbers of docs/method.md's headings: "## 1. Shared machinery" → "1",
    /// "### 3.2 Policy memory M" → "3.2".
    static func sections() throws -> Set<String> {
        let text = try String(contentsOf: Repo.root.appendingPathComponent("docs/method.md"), encoding: .utf8)
        let heading = try NSRegularExpression(pattern: #"^#{2,4} (\d+(?:\.\d+)?)\.?\s"#, options: .anchorsMatchLines)
        return Set(heading.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        })
    }

    @Test func everyCitedSectionIsAHeadingOfDocsMethod() throws {
        let sections = try Self.sections()
        #expect(sections.isSuperset(of: ["1", "2", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "4", "5"]), "\(sections.sorted())")
        let citations = try Self.citations()
        #expect(citations.count >= 15, "only \(citations.count) citations found: the scan is broken")
        for citation in citations where !sections.contains(citation.section) {
            Issue.record("\(citation.file) cites method.md §\(citation.section), which docs/method.md does not have")
        }
    }
}
