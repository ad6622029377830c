import Foundation
import Testing
@testable import Report

@Suite struct ReferenceTableTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theProjectsCopyOfPaperTable1Parses() throws {
        let path = Self.repositoryRoot.appendingPathComponent("reference/paper-table1.csv").path
        let table = try ReferenceTable(contentsOf: path)
        #expect(table.entries.count == 54)
        let mcpo = try #require(table.entry(for: .init(method: "MCPO", param: "N", value: 5), env: "Pendulum"))
        #expect(mcpo.mean == -133.42 && mcpo.std == 4.53 && mcpo.n == 5 && mcpo.steps == 1_000_000)
        // value matched numerically: "1" in the file, 1.0 in the store; method case-insensitively.
        #expect(table.entry(for: .init(method: "klfixed", param: "beta", value: 1.0), env: "Pendulum")?.mean == -136.40)
        #expect(table.entry(for: .init(method: "KLAdaptive", param: "d_targ", value: 0.003), env: "BipedalWalker")?.steps == 5_000_000)
        #expect(table.entry(for: .init(method: "MCPO", param: "N", value: 6), env: "Pendulum") == nil)
        #expect(table.entry(for: .init(method: "MCPO", param: nil, value: nil), env: "Pendulum") == nil)
    }

    @Test func columnsInAnyOrderWithExtrasCRLFAndBlankLines() throws {
        let csv = "\u{FEFF}env,mean,note,method,param,value,steps,std,n\r\nPendulum,-1.5,x,PPO,clip,0.2,10,0.5,3\r\n\r\n"
        let t = try ReferenceTable(csv: csv, source: "r.csv")
        #expect(t.entries == [.init(method: "PPO", param: "clip", value: 0.2, env: "Pendulum", steps: 10, mean: -1.5, std: 0.5, n: 3)])
    }

    func error(_ csv: String) -> ReportError? {
        do {
            _ = try ReferenceTable(csv: csv, source: "r.csv")
            return nil
        } catch {
            return error as? ReportError
        }
    }

    @Test func errorsNameTheLine() throws {
        let header = "method,param,value,env,steps,mean,std,n\n"
        #expect(error("") == .badReference(path: "r.csv", line: 1, message: "empty file: expected a header line"))
        #expect(error("method,param,value,env,mean\n")?.description
            == "r.csv:1: header lacks column(s) steps, std, n; expected method,param,value,env,steps,mean,std,n")
        #expect(error(header + "PPO,clip,0.2,Pendulum,10,-1,1,5\nPPO,clip,0.3,Pendulum,10,-1,1\n")
            == .badReference(path: "r.csv", line: 3, message: "expected 8 fields, found 7"))
        #expect(error(header + "\nPPO,clip,0.2,Pendulum,10,abc,1,5\n")
            == .badReference(path: "r.csv", line: 3, message: "column 'mean': expected a number, found 'abc'"))
        #expect(error(header + "PPO,clip,0.2,Pendulum,10,-1,1,5.5\n")
            == .badReference(path: "r.csv", line: 2, message: "column 'n': expected an integer, found '5.5'"))
        #expect(error(header + "PPO,,0.2,Pendulum,10,-1,1,5\n")
            == .badReference(path: "r.csv", line: 2, message: "column 'param' is empty"))
        #expect(error(header + "PPO,clip,0.2,Pendulum,10,-1,1,5\nppo,clip,0.20,Pendulum,10,-2,1,5\n")
            == .badReference(path: "r.csv", line: 3, message: "duplicate of line 2 (ppo clip=0.2 Pendulum)"))
    }

    @Test func unreadableFile() throws {
        let missing = "/nonexistent-dir/paper.csv"
        #expect(throws: ReportError.cannotReadReference(path: missing, reason: "no such file")) {
            try ReferenceTable(contentsOf: missing)
        }
        let dir = FileManager.default.temporaryDirectory.path
        #expect(throws: ReportError.cannotReadReference(path: dir, reason: "is a directory")) {
            try ReferenceTable(contentsOf: dir)
        }
    }
}
