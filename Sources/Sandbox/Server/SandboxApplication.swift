import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Builds the Hummingbird application that serves a `SandboxService` over HTTP.
///
/// Every request goes to the service, which routes it by the operation table, so the HTTP server,
/// the embedded transport and the route list in `docs/openapi.yaml` cannot disagree.
public enum SandboxApplication {
    /// The largest request body accepted (the API's bodies are small).
    static let maximumBodyBytes = 1 << 20

    public static func build(
        service: SandboxService, host: String = "127.0.0.1", port: Int = 8787, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await respond(to: request, service: service, logger: logger)
        }
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "gpus-sandbox"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Converts a Hummingbird request into a sandbox request and back, logging one line per request.
    static func respond(to request: Request, service: SandboxService, logger: Logger) async -> Response {
        let started = ContinuousClock.now
        var body = Data()
        var status: Int
        let response: SandboxResponse
        do {
            let buffer = try await request.body.collect(upTo: maximumBodyBytes)
            body = Data(buffer.readableBytesView)
            let query = parseQuery(request.uri.query)
            let headers = request.headers.map { ($0.name.rawName, $0.value) }
            response = await service.handle(
                SandboxRequest(
                    method: request.method.rawValue, path: request.uri.path, query: query, headers: headers, body: body)
            )
            status = response.status
        } catch {
            response = .failure(
                APIFailure(httpStatus: 413, code: .invalidParameters, message: "request body too large"))
            status = 413
        }
        let elapsed = ContinuousClock.now - started
        logger.info(
            "\(request.method.rawValue) \(request.uri.path) \(status) \(elapsed.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))))"
        )
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    /// `a=1&b=x%20y&b=z` → [(a, 1), (b, x y), (b, z)]; `+` is a space, as in forms.
    static func parseQuery(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }
}
