import ExperimentStore
import Foundation
@testable import PostgresStore

/// The PostgreSQL server the tests create their databases on: `MCPO_TEST_POSTGRES` (an address
/// on a throw-away server, as scripts/test.sh starts one), else one this test process starts
/// itself with scripts/cluster/postgres.sh in a temporary directory, stopped when it exits.
/// Without either, every PostgreSQL case fails saying so: none is skipped.
enum TestPostgres {
    struct Unavailable: Error, CustomStringConvertible { let description: String }

    static let server: Result<PostgresURL, Unavailable> = {
        if let address = ProcessInfo.processInfo.environment["MCPO_TEST_POSTGRES"], !address.isEmpty {
            return Result { try PostgresURL(address) }.mapError { Unavailable(description: "MCPO_TEST_POSTGRES: \($0)") }
        }
        return startServer()
    }()

    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLock()

    /// A new, empty database on the server.
    static func freshDatabase() throws -> PostgresURL {
        let server = try server.get()
        let name = lock.withLock { () -> String in
            counter += 1
            return "mcpo_test_\(getpid())_\(counter)"
        }
        return try PostgresAdmin.createDatabase(name, on: server)
    }

    /// A fresh database with the store's schema.
    static func freshStore() throws -> PostgresStore { try PostgresStore(url: freshDatabase()) }

    nonisolated(unsafe) private static var startedIn: String?

    private static func startServer() -> Result<PostgresURL, Unavailable> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/cluster/postgres.sh").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-test-pg-\(getpid())").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "start", directory, "55440"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return .failure(Unavailable(description: "cannot run \(script): \(error)")) }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = text.split(separator: "\n").last.map(String.init) else {
            return .failure(Unavailable(description: "no PostgreSQL for the tests: set MCPO_TEST_POSTGRES, or install "
                + "PostgreSQL's server (scripts/install-deps.sh --test): \(problem.trimmingCharacters(in: .whitespacesAndNewlines))"))
        }
        startedIn = directory
        atexit {
            guard let directory = TestPostgres.startedIn else { return }
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let stop = Process()
            stop.executableURL = URL(fileURLWithPath: "/bin/bash")
            stop.arguments = [root.appendingPathComponent("scripts/cluster/postgres.sh").path, "stop", directory]
            try? stop.run()
            stop.waitUntilExit()
        }
        return Result { try PostgresURL(line) }.mapError { Unavailable(description: "postgres.sh printed '\(line)': \($0)") }
    }
}
