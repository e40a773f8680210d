import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Synchronization
import YottaAPI

/// Builds the Hummingbird application that serves a `SandboxService` over HTTP.
///
/// Every request goes to the service, which routes it by the operation table, so the HTTP server,
/// the embedded transport and the route list in `docs/openapi.yaml` cannot disagree.
public enum SandboxApplication {
    /// The largest request body accepted (the API's bodies are small).
    static let maximumBodyBytes = Bounds.bodyBytes

    /// How the server protects itself from clients that hold connections.
    public struct Limits: Sendable {
        /// Connections served at once; more wait in the kernel's accept queue.
        public var connections: Int
        /// A connection that sends nothing for this long (no complete request head, or no body bytes,
        /// or nothing after its last response) is closed: a half-open or slow client cannot hold a
        /// slot for ever.
        public var idleTimeout: Duration

        /// Threads doing socket I/O. One by default: request handling runs on Swift's cooperative
        /// pool, and on a 2-core machine a second I/O thread competed with it (page of 50 VMs:
        /// p99 15 ms with one, 44–55 ms with two; reads 11.4–11.6k/s against 10.4–10.7k/s).
        public var eventLoopThreads: Int

        public init(connections: Int = 512, idleTimeout: Duration = .seconds(10), eventLoopThreads: Int = 1) {
            self.connections = connections
            self.idleTimeout = idleTimeout
            self.eventLoopThreads = eventLoopThreads
        }
    }

    public static func build(
        service: SandboxService, host: String = "127.0.0.1", port: Int = 8787, limits: Limits = Limits(),
        logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await respond(to: request, service: service, logger: logger)
        }
        let (seconds, attoseconds) = limits.idleTimeout.components
        let idle = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        return Application(
            responder: responder,
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: idle)),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "gpus-sandbox",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.connections)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.sandbox(threads: limits.eventLoopThreads)),
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
            let query = SandboxRequest.parseQuery(request.uri.query)
            let headers = request.headers.map { ($0.name.rawName, $0.value) }
            response = await service.handle(
                SandboxRequest(
                    method: request.method.rawValue, path: request.uri.path, query: query, headers: headers, body: body)
            )
            status = response.status
        } catch is NIOTooManyBytesError {
            response = .failure(
                APIFailure(
                    httpStatus: 413, code: .invalidParameters,
                    message: "body: larger than \(maximumBodyBytes) bytes"))
            status = 413
        } catch {
            response = .failure(
                APIFailure(httpStatus: 400, code: .invalidParameters, message: "body: incomplete or malformed"))
            status = 400
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
}

extension MultiThreadedEventLoopGroup {
    /// One group per thread count for the process's lifetime (servers in tests share them).
    private static let groups = Mutex<[Int: MultiThreadedEventLoopGroup]>([:])

    static func sandbox(threads: Int) -> MultiThreadedEventLoopGroup {
        groups.withLock { groups in
            if let group = groups[threads] { return group }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
            groups[threads] = group
            return group
        }
    }
}
