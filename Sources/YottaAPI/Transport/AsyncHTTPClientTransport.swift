import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The production transport: AsyncHTTPClient with a connect timeout and a per-request deadline.
///
/// Owns its `HTTPClient`: `shutdown()` closes its connections; a transport released without it
/// shuts its client down in the background.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    /// The longest response body accepted, so a broken server cannot exhaust memory.
    private let maximumBodyBytes: Int

    public init(connectTimeout: Duration = .seconds(10), maximumBodyBytes: Int = 64 << 20) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .nanoseconds(connectTimeout.nanoseconds))
        // Our retry policy decides about failed connections; AsyncHTTPClient would otherwise keep
        // retrying a refused connection until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .enabled(limit: .ratio(50))
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maximumBodyBytes = maximumBodyBytes
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    deinit {
        // A no-op (reporting "already shut down") after `shutdown()`; otherwise it keeps the client
        // alive until its connections are closed.
        client.shutdown(queue: .global()) { _ in }
    }

    public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(request.timeout.nanoseconds))
            let body = try await response.body.collect(upTo: maximumBodyBytes)
            return HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Data(body.readableBytesView))
        } catch {
            throw Self.failure(for: error)
        }
    }

    /// Sorts AsyncHTTPClient's and NIO's errors into the cases the retry logic tells apart.
    static func failure(for error: any Error) -> TransportFailure {
        if error is CancellationError { return .cancelled }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return .connectFailed("connect timeout")
            case .deadlineExceeded, .readTimeout, .writeTimeout: return .timedOut
            case .cancelled: return .cancelled
            case .remoteConnectionClosed: return .connectionLost("remote closed the connection")
            default: return .other(String(describing: error))
            }
        }
        if error is NIOConnectionError { return .connectFailed(String(describing: error)) }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") {
            return .connectFailed("connection refused")
        }
        if error is IOError { return .connectionLost(text) }
        return .other(text)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : product + attoseconds / 1_000_000_000
    }
}

/// An `AsyncHTTPClientTransport` made on the first request: a program that never reaches the
/// network starts no HTTP client (and no event-loop threads).
public final class LazyHTTPClientTransport: HTTPTransport {
    private let made = Mutex<AsyncHTTPClientTransport?>(nil)
    private let connectTimeout: Duration

    public init(connectTimeout: Duration = .seconds(10)) { self.connectTimeout = connectTimeout }

    private var transport: AsyncHTTPClientTransport {
        made.withLock { made in
            if let made { return made }
            let transport = AsyncHTTPClientTransport(connectTimeout: connectTimeout)
            made = transport
            return transport
        }
    }

    public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        try await transport.send(request)
    }
}
