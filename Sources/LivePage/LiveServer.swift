import ExperimentStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Report

/// `mcpo-report serve`: the live page over a read-only store handle. GET routes only (nothing
/// writes), loopback unless told otherwise, every page built by `Pages`.
public enum LiveServer {
    /// Served with every page: no caching, and a policy that refuses scripts, frames and remote
    /// content even if a string were ever left unescaped.
    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        HTTPField.Name("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
    ]

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The router of the live page.
    public static func router(pages: Pages) -> Router<BasicRequestContext> {
        let router = Router()
        @Sendable func respond(_ make: () throws -> String?) -> Response {
            do {
                guard let page = try make() else { return html(pages.problem("Not found", "No such page."), status: .notFound) }
                return html(page)
            } catch let error as DashboardError {
                return html(pages.problem("Dashboard", error.description), status: .internalServerError)
            } catch let error as ReportError {
                return html(pages.problem("Report", error.description), status: .internalServerError)
            } catch {
                return html(pages.problem("Store", "\(error)"), status: .internalServerError)
            }
        }
        router.get("/") { _, _ in respond { try pages.index() } }
        router.get("/sweep/:id") { _, context in
            respond { try context.parameters.get("id", as: Int64.self).flatMap { try pages.sweep(id: $0) } }
        }
        router.get("/sweep/:id/curves") { _, context in
            respond { try context.parameters.get("id", as: Int64.self).flatMap { try pages.sweepCurves(id: $0) } }
        }
        router.get("/run/:id") { _, context in
            respond { try context.parameters.get("id", as: Int64.self).flatMap { try pages.run(id: $0) } }
        }
        router.get("/dashboard/:name") { request, context in
            respond { try context.parameters.get("name").flatMap { try pages.dashboard(stem: $0, sweep: request.uri.queryParameters.get("sweep")) } }
        }
        return router
    }

    /// Serves until interrupted (SIGINT/SIGTERM); `ready` gets the bound address ("127.0.0.1:PORT").
    public static func serve(pages: Pages, host: String, port: Int, ready: @escaping @Sendable (String) -> Void) async throws {
        var logger = Logger(label: "mcpo-report.serve")
        logger.logLevel = .warning
        let app = Application(
            router: router(pages: pages),
            configuration: .init(address: .hostname(host, port: port), serverName: "mcpo-report"),
            onServerRunning: { channel in
                let address = channel.localAddress
                ready("\(address?.ipAddress ?? host):\(address?.port ?? port)")
            },
            logger: logger)
        try await app.runService()
    }
}
