import Foundation
import YottaAPI

/// A transport that hands requests straight to an in-process sandbox: the client works exactly as
/// against a server, without a socket.
public struct EmbeddedTransport: HTTPTransport {
    public let service: SandboxService

    public init(service: SandboxService) { self.service = service }

    public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        if Task.isCancelled { throw .cancelled }
        let response = await service.handle(
            SandboxRequest(
                method: request.method.rawValue, path: request.path, query: request.query.map { ($0.name, $0.value) },
                headers: request.headers, body: request.body ?? Data()))
        return HTTPResponse(status: response.status, headers: response.headers, body: response.body)
    }
}
