import Foundation
import Testing
@testable import Report

/// LaTeX that goes into a paper unedited: booktabs, precision, caption, label, no n, no paths,
/// and a document that pdflatex compiles and pdftoppm renders.
@Suite struct LatexTests {
    static func table() throws -> Table1 {
        let f = try StoreFixture.standard()
        let choice = try Table1.chooseSweep(named: "small", in: f.store)
        let reference = try ReferenceTable(csv: """
            method,param,value,env,steps,mean,std,n
            MCPO,N,5,Pendulum,200000,-133.42,4.53,5
            """, source: "/home/someone/secret/paper-table1.csv")
        return try Table1.load(from: f.store, sweep: choice, reference: reference).table
    }

    @Test func optionsShapeTheTable() throws {
        let t = try Self.table()
        let tex = t.renderLatex(referenceName: "/home/someone/secret/paper-table1.csv",
                                options: LatexOptions(precision: 1, caption: "Pendulum & friends (5 seeds)", label: "tab:pendulum", showN: false))
        #expect(tex.contains("\\begin{table}[t]\n\\centering\n\\caption{Pendulum \\& friends (5 seeds)}\n\\label{tab:pendulum}\n"))
        #expect(tex.contains("\\textbf{$-$150.0 $\\pm$ 10.0}"))
        #expect(!tex.contains("(n="))
        #expect(!tex.contains("/home/someone") && tex.contains("(paper-table1.csv)"))
        #expect(tex.hasSuffix("\\end{table}\n"))
    }

    @Test func escapingLeavesOnlyASCIIAndKnownSymbols() {
        let escaped = Table1.latexEscape("log σ → ½ & 50% 日")
        #expect(escaped == "log $\\sigma$ $\\to$ $\\frac12$ \\& 50\\% ?")
        #expect(escaped.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func aReferenceAtAnotherBudgetIsSaid() throws {
        let t = try Self.table()
        #expect(t.referenceBudgetWarnings == ["the reference figures for Pendulum are at 200k env steps, these runs at 1M: not the same budget"])
        #expect(t.footnote.contains("Budget: 1M env steps per run."))
    }

    @Test func theTableCompilesWithPdflatexAndTheFirstPageRenders() throws {
        let tools = ["pdflatex", "pdftoppm"].map { name in ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) } }
        let pdflatex = try #require(tools[0], "pdflatex is needed (texlive-latex-base and texlive-latex-recommended: scripts/install-deps.sh --test)")
        let pdftoppm = try #require(tools[1], "pdftoppm is needed (poppler-utils: scripts/install-deps.sh --test)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-latex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Names and notes with what a real table holds: a flag's "log σ -0.40 → -1.60", a sweep
        // name with LaTeX's special characters and letters beyond ASCII.
        let scores = [-150.0, -1100].enumerated().map { i, x in
            Table1.RunScore(row: .init(method: "MCPO", param: "N", value: 5), env: "Pendulum", seed: i, score: x, runID: Int64(i + 1),
                            steps: 200_000, flag: i == 1 ? "collapse after step 2: log σ -0.40 → -1.60; α ≥ ½ × β_max…" : nil)
        }
        let flagged = Table1(sweep: "ü_σ & #1 → 50% {x} ~^\\ 日本", scores: scores)
        let table = try Self.table().renderLatex(referenceName: "paper-table1.csv",
                                                 options: LatexOptions(caption: "Table 1 of sweep small", label: "tab:small"))
            + flagged.renderLatex(referenceName: nil, options: LatexOptions(caption: "Flagged: σ → 0", label: "tab:flagged"))
        let document = "\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage[margin=1cm,landscape]{geometry}\n\\begin{document}\n"
            + table + "\\end{document}\n"
        try document.write(to: dir.appendingPathComponent("t.tex"), atomically: true, encoding: .utf8)
        func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = arguments
            p.currentDirectoryURL = dir
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        #expect(try run(pdflatex, ["-interaction=nonstopmode", "-halt-on-error", "t.tex"]) == 0,
                "\((try? String(contentsOf: dir.appendingPathComponent("t.log"), encoding: .utf8))?.suffix(800) ?? "")")
        #expect(try run(pdftoppm, ["-r", "40", "-png", "-singlefile", "t.pdf", "page"]) == 0)
        let png = try Data(contentsOf: dir.appendingPathComponent("page.png"))
        #expect(png.count > 2_000)
    }
}
