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

    /// Starts a server with scripts/cluster/postgres.sh (by `system`, which waits for the script
    /// alone: the server it leaves running holds none of our pipes) and reads its address.
    private static func startServer() -> Result<PostgresURL, Unavailable> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mcpo-test-pg-\(getpid())").path
        let log = directory + ".log"
        let status = system("bash '\(script)' start '\(directory)' 55440 >'\(log)' 2>&1")
        guard status == 0, let line = try? String(contentsOfFile: directory + "/url", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines) else {
            let problem = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "no output"
            return .failure(Unavailable(description: "no PostgreSQL for the tests: set MCPO_TEST_POSTGRES, or install "
                + "PostgreSQL's server (scripts/install-deps.sh --test): \(problem.trimmingCharacters(in: .whitespacesAndNewlines))"))
        }
        startedIn = directory
        atexit {
            guard let directory = TestPostgres.startedIn else { return }
            _ = system("bash '\(TestPostgres.script)' stop '\(directory)' >/dev/null 2>&1; rm -rf '\(directory)' '\(directory).log'")
        }
        return Result { try PostgresURL(line) }.mapError { Unavailable(description: "postgres.sh wrote '\(line)': \($0)") }
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/cluster/postgres.sh").path
}
