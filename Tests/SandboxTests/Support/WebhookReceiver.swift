import Foundation
import Hummingbird
import Logging
import Synchronization

/// An HTTP server on loopback that records webhook deliveries and fails the first `failures` of them.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var apiKey: String?
        var body: Data
    }

    private let state: Mutex<(deliveries: [Delivery], failuresLeft: Int)>

    init(failures: Int) { state = Mutex((deliveries: [], failuresLeft: failures)) }

    var deliveries: [Delivery] { state.withLock { $0.deliveries } }

    /// Runs the receiver while `body` runs, passing it the receiver's URL.
    func serve(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let fail = self.state.withLock { state -> Bool in
                state.deliveries.append(
                    Delivery(apiKey: request.headers[.init("X-API-Key")!], body: Data(bytes.readableBytesView)))
                guard state.failuresLeft > 0 else { return false }
                state.failuresLeft -= 1
                return true
            }
            return Response(status: fail ? .internalServerError : .ok)
        }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .error
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var ports = stream.makeAsyncIterator()
            let port = await ports.next() ?? 0
            try await body("http://127.0.0.1:\(port)/hook")
            group.cancelAll()
        }
    }
}
