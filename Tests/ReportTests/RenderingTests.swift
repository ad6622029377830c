import Foundation
import Testing
@testable import Report

@Suite struct RenderingTests {
    func standardTable(reversed: Bool = false, reference: ReferenceTable? = nil) throws -> Table1 {
        let f = try StoreFixture.standard(reversed: reversed)
        let choice = try Table1.chooseSweep(named: "small", in: f.store)
        return try Table1.load(from: f.store, sweep: choice, reference: reference).table
    }

    static let referenceCSV = """
        method,param,value,env,steps,mean,std,n
        PPO,clip,0.2,Pendulum,1000000,-514.28,385.34,5
        MCPO,N,5,Pendulum,1000000,-133.42,4.53,5
        MCPO,N,5,LunarLander,1000000,262.23,12.47,5
        """

    @Test func terminalPlainAndANSI() throws {
        let t = try standardTable()
        let plain = t.render(.term, ansi: false)
        #expect(!plain.contains("\u{1B}"))
        let lines = plain.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Table 1 · sweep 'small' · score: final")
        #expect(lines[1].hasPrefix("method") && lines[1].contains("Pendulum") && lines[1].contains("LunarLander"))
        #expect(lines[2].hasPrefix("PPO") && lines[2].contains("-153.00 ± 7.07 (n=2) ~"))
        #expect(lines[3].contains("-160.00 ± 10.00 (n=3)  ") && lines[3].contains("250.00 ± 0.00 (n=1) *"))
        #expect(lines[4].hasPrefix("MCPO") && lines[4].contains("-150.00 ± 10.00 (n=3) *"))
        // Columns are aligned: each environment column starts at the same offset on every line.
        for (env, firsts) in [("Pendulum", "-"), ("LunarLander", "2–")] {
            let header = lines[1]
            let column = header.distance(from: header.startIndex, to: try #require(header.range(of: env)).lowerBound)
            for line in lines[2...4] {
                let i = line.index(line.startIndex, offsetBy: column)
                #expect(firsts.contains(line[i]), "\(env) column misaligned in: \(line)")
                #expect(line[line.index(before: i)] == " ")
            }
        }
        #expect(plain.contains("std = sample standard deviation (n−1)"))
        #expect(plain.contains("last 100 completed training episodes"))

        let ansi = t.render(.term, ansi: true)
        #expect(ansi.contains("\u{1B}[1m-150.00 ± 10.00 (n=3)\u{1B}[0m"))
        #expect(ansi.contains("\u{1B}[4m-153.00 ± 7.07 (n=2)\u{1B}[0m"))
        #expect(!ansi.contains("(n=2) ~"))
    }

    @Test func markdown() throws {
        let md = try standardTable().render(.md)
        let expected = """
            **Table 1** — sweep `small` · score: final

            | method | param | value | Pendulum | LunarLander |
            |:--|:--|--:|:--|:--|
            | PPO | clip | 0.1 | <u>-153.00 ± 7.07 (n=2)</u> | – |
            | PPO | clip | 0.2 | -160.00 ± 10.00 (n=3) | **250.00 ± 0.00 (n=1)** |
            | MCPO | N | 5 | **-150.00 ± 10.00 (n=3)** | **250.00 ± 14.14 (n=2)** |

            Score = \(ScoreRule.final.text). Cell = \(Table1.stdRule). Marks: \(Table1.markRule). Budget: 1M env steps per run.

            """
        #expect(md == expected)
    }

    @Test func latex() throws {
        let tex = try standardTable().render(.latex)
        #expect(tex.contains("\\begin{tabular}{lllll}\n\\toprule\n"))
        #expect(tex.contains("\\midrule\n") && tex.contains("\\bottomrule\n\\end{tabular}"))
        #expect(!tex.contains("\\hline") && !tex.contains("\\begin{table}"))
        #expect(tex.contains("method & param & value & Pendulum & LunarLander \\\\"))
        #expect(tex.contains("PPO & clip & 0.1 & \\underline{$-$153.00 $\\pm$ 7.07 (n=2)} & -- \\\\"))
        #expect(tex.contains("MCPO & N & 5 & \\textbf{$-$150.00 $\\pm$ 10.00 (n=3)} & \\textbf{250.00 $\\pm$ 14.14 (n=2)} \\\\"))
        #expect(tex.contains("\\end{tabular}"))
        #expect(tex.contains("(n$-$1)"))
        #expect(!tex.contains("±") && !tex.contains("−"))
    }

    @Test func csv() throws {
        let csv = try standardTable().render(.csv)
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == "method,param,value,env,mean,std,n,bold,underline,d,flagged_runs")
        #expect(lines.count == 1 + 5)
        #expect(lines[1].hasPrefix("PPO,clip,0.1,Pendulum,-153.0,7.0710678118654755,2,false,true,0.328"))
        #expect(lines[2] == "PPO,clip,0.2,Pendulum,-160.0,10.0,3,false,false,1.0,")
        #expect(lines[3] == "PPO,clip,0.2,LunarLander,250.0,0.0,1,true,false,0.0,")
    }

    @Test func jsonContract() throws {
        let json = try standardTable().render(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let cells = try #require(object["cells"] as? [[String: Any]])
        #expect(cells.count == 5)
        for cell in cells {
            for key in ["method", "param", "value", "env", "mean", "std", "n", "bold", "underline"] {
                #expect(cell[key] != nil, "missing \(key)")
            }
            #expect(cell["reference"] == nil)
        }
        #expect(object["sweep"] as? String == "small")
        let first = cells[0]
        #expect(first["method"] as? String == "PPO" && first["param"] as? String == "clip")
        #expect((first["value"] as? NSNumber)?.doubleValue == 0.1)
        #expect(first["env"] as? String == "Pendulum")
        #expect((first["mean"] as? NSNumber)?.doubleValue == -153)
        #expect((first["n"] as? NSNumber)?.intValue == 2)
        #expect(first["underline"] as? Bool == true && first["bold"] as? Bool == false)
        // Keys are sorted in every object, and the cell lines are exact.
        #expect(json.contains(#"{"bold": false, "d": 1.0, "env": "Pendulum", "mean": -160.0, "method": "PPO", "n": 3, "param": "clip", "std": 10.0, "underline": false, "value": 0.2}"#))
    }

    @Test func jsonIsDeterministicByteForByte() throws {
        // Same content inserted in the opposite order (other run ids): identical bytes.
        let a = try standardTable().render(.json)
        let b = try standardTable(reversed: true).render(.json)
        #expect(a == b)
        #expect(a == (try standardTable().render(.json)))
        for format in Table1Format.allCases {
            #expect(try standardTable().render(format) == standardTable(reversed: true).render(format))
        }
    }

    @Test func referenceBesideEachCell() throws {
        let ref = try ReferenceTable(csv: Self.referenceCSV, source: "paper.csv")
        let t = try standardTable(reference: ref)
        #expect(t.cell(.init(method: "MCPO", param: "N", value: 5), "LunarLander")?.reference?.mean == 262.23)
        #expect(t.cell(.init(method: "PPO", param: "clip", value: 0.1), "Pendulum")?.reference == nil)

        let md = t.render(.md, referenceName: "paper.csv")
        #expect(md.contains("| method | param | value | Pendulum | Pendulum (paper) | LunarLander | LunarLander (paper) |"))
        #expect(md.contains("| MCPO | N | 5 | **-150.00 ± 10.00 (n=3)** | -133.42 ± 4.53 | **250.00 ± 14.14 (n=2)** | 262.23 ± 12.47 |"))
        #expect(md.contains("| PPO | clip | 0.1 | <u>-153.00 ± 7.07 (n=2)</u> | – | – | – |"))
        #expect(md.contains("published mean ± std (paper.csv)"))

        let term = t.render(.term, referenceName: "paper.csv")
        #expect(term.contains("-514.28 ± 385.34"))

        let tex = t.render(.latex, referenceName: "paper.csv")
        #expect(tex.contains("$-$133.42 $\\pm$ 4.53"))

        let csv = t.render(.csv)
        #expect(csv.hasPrefix("method,param,value,env,mean,std,n,bold,underline,d,ref_steps,ref_mean,ref_std,ref_n,flagged_runs\n"))
        #expect(csv.contains(",1000000,-133.42,4.53,5,\n"))

        let json = t.render(.json, referenceName: "paper.csv")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let cells = try #require(object["cells"] as? [[String: Any]])
        let withRef = cells.compactMap { $0["reference"] as? [String: Any] }
        #expect(withRef.count == 3)
        for r in withRef { for key in ["mean", "std", "n"] { #expect(r[key] != nil) } }
        #expect(json.contains(#""reference": {"mean": -133.42, "n": 5, "std": 4.53, "steps": 1000000}"#))
    }

    @Test func numberFormats() {
        #expect(Format.value(0.003) == "0.003")
        #expect(Format.value(1) == "1")
        #expect(Format.value(40) == "40")
        #expect(Format.value(nil) == "–")
        #expect(Format.fixed(-0.001) == "0.00")
        #expect(Format.fixed(-147.515) == "-147.52" || Format.fixed(-147.515) == "-147.51")
        #expect(Format.fixed(2.5) == "2.50")
        #expect(Format.json(.infinity) == "null")
        #expect(Format.json(-0.0) == "0.0")
        #expect(Format.json(0.1) == "0.1")
        #expect(Format.json("a\"b\\c\n") == #""a\"b\\c\n""#)
    }
}
