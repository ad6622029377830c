import ArgumentParser
import ExperimentStore
import Foundation
import PostgresStore
import LivePage
import Report

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the live page over a read-only store: sweeps with progress, the dashboards, a page per run.",
        discussion: "Binds to 127.0.0.1 unless --host says otherwise; has no endpoint that writes. Example: mcpo-report serve --db mcpo.sqlite --port 8080")

    @Option(name: .long, help: "The experiment store (opened read only; never created or written).")
    var db: String = Stores.defaultAddress

    @Option(name: .long, help: "The address to bind (default: loopback only).")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port (0: a free one, printed on start).")
    var port: Int = 8080

    @Option(name: .long, help: "The directory of dashboard files to offer.")
    var dashboards: String = "dashboards"

    @Option(name: .long, help: "Seconds between page reloads while runs are pending or running (0: never).")
    var refresh: Int = 5

    func run() async throws {
        guard (0...65535).contains(port) else { fail("--port: expected 0…65535, found \(port)") }
        guard refresh >= 0 else { fail("--refresh: expected a whole number of seconds ≥ 0, found \(refresh)") }
        let store: any ResultsReader
        do {
            store = try Table1.openStore(path: db)
        } catch {
            Output.fail(error)   // a busy store is 5, like every tool's
        }
        var isDirectory: ObjCBool = false
        let hasDashboards = FileManager.default.fileExists(atPath: dashboards, isDirectory: &isDirectory) && isDirectory.boolValue
        let pages = Pages(store: store, dashboards: hasDashboards ? dashboards : nil, refresh: refresh)
        let path = db
        do {
            try await LiveServer.serve(pages: pages, host: host, port: port) { address in
                FileHandle.standardOutput.write(Data("serving http://\(address)/ over \(path) (read only)\n".utf8))
            }
        } catch {
            fail("cannot serve on \(host):\(port): \(error)")
        }
    }

    func fail(_ line: String) -> Never { Output.fail(line) }
}
