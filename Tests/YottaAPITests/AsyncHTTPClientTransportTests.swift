import Foundation
import Testing
import YottaAPI

/// The production transport against real sockets on loopback (no server is needed to see a refusal).
@Suite struct AsyncHTTPClientTransportTests {
    @Test func refusedConnectionIsAConnectFailure() async throws {
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        // Port 9 (discard) has no listener on a test machine: the connection is refused.
        let request = HTTPRequest(method: .get, baseURL: "http://127.0.0.1:9", path: "/v2/pods", timeout: .seconds(5))
        var failure: TransportFailure?
        do {
            _ = try await transport.send(request)
        } catch {
            failure = error
        }
        try await transport.shutdown()
        #expect(failure?.requestNeverSent == true, "\(String(describing: failure))")
    }

    @Test func clientRetriesACreateOnlyWhileNothingWasSent() async throws {
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        let retry = RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(1), maximumDelay: .milliseconds(2))
        let configuration = try ClientConfiguration(baseURL: "http://127.0.0.1:9", apiKey: APIKey("k"), retry: retry)
        let client = YottaClient(configuration: configuration, transport: transport)
        let error = await #expect(throws: YottaError.self) {
            _ = try await client.createVM(CreateVMRequest(vmTypeId: 1, region: "us-east-1", name: "v"))
        }
        try await transport.shutdown()
        guard case .transport(.connectFailed, let call)? = error else {
            Issue.record("expected a connect failure, got \(String(describing: error))")
            return
        }
        #expect(call.operation == .createVM)
    }
}
