import Foundation
import Synchronization

/// A transport that only reads: any request but a GET (a POST, PUT, PATCH or DELETE — even the
/// offers' search, a POST that reads) fails before it is sent, as if the connection could not be
/// made. `gpus plan` reads the real target through it, so no plan can create, change or delete
/// there — whatever the program does.
public struct ReadOnlyTransport: HTTPTransport {
    let wrapped: any HTTPTransport
    /// Who refuses, for the message (`a plan`, `gpus mcp --read-only`).
    let refuser: String
    /// POSTs that only read and may pass (the offers' search, for `gpus mcp --read-only`).
    let reads: Set<String>

    public init(_ wrapped: any HTTPTransport, by refuser: String = "a plan", allowing reads: [APIOperation] = []) {
        self.wrapped = wrapped
        self.refuser = refuser
        self.reads = Set(reads.map(\.pathTemplate))
    }

    public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        let path = String(request.path.prefix { $0 != "?" })
        guard request.method == .get || (request.method == .post && reads.contains(path)) else {
            throw .connectFailed("read-only: \(request.method.rawValue) \(request.path) is not sent from \(refuser)")
        }
        return try await wrapped.send(request)
    }
}

/// A transport that keeps every exchange (request, and response or failure), in order.
public final class RecordingTransport: HTTPTransport {
    public struct Exchange: Sendable {
        public var request: HTTPRequest
        public var response: HTTPResponse?
    }

    let wrapped: any HTTPTransport
    private let log = Mutex<[Exchange]>([])

    public init(_ wrapped: any HTTPTransport) { self.wrapped = wrapped }

    public var exchanges: [Exchange] { log.withLock { $0 } }

    public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        do {
            let response = try await wrapped.send(request)
            log.withLock { $0.append(Exchange(request: request, response: response)) }
            return response
        } catch {
            log.withLock { $0.append(Exchange(request: request, response: nil)) }
            throw error
        }
    }
}

extension APIOperation {
    /// The operation a request is, from its method and path (`POST /v2/pods/7/pause` is
    /// `pausePod`), with the path's parameters.
    public static func matching(_ method: HTTPMethod, _ path: String) -> (APIOperation, [String: String])? {
        let segments = path.split(separator: "?")[0].split(separator: "/").map(String.init)
        var best: (APIOperation, [String: String], Int)?
        for operation in allCases where operation.method == method {
            let template = operation.pathTemplate.split(separator: "/").map(String.init)
            guard template.count == segments.count else { continue }
            var parameters: [String: String] = [:]
            var matches = true
            for (part, segment) in zip(template, segments) {
                if part.hasPrefix("{") {
                    parameters[String(part.dropFirst().dropLast())] = segment.removingPercentEncoding ?? segment
                } else if part != segment {
                    matches = false
                    break
                }
            }
            guard matches, best == nil || parameters.count < best!.2 else { continue }
            best = (operation, parameters, parameters.count)
        }
        return best.map { ($0.0, $0.1) }
    }
}
