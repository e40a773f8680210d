import Foundation
import Synchronization
import YottaAPI

/// A transport that records every request and answers from a script of responses and failures.
final class ScriptedTransport: HTTPTransport {
    enum Step: Sendable {
        case respond(HTTPResponse)
        case fail(TransportFailure)
    }

    private let state: Mutex<(requests: [HTTPRequest], steps: [Step])>
    /// Answered when the script has run out.
    private let fallback: Step

    init(_ steps: [Step] = [], fallback: Step = .respond(.envelope(data: "null"))) {
        self.state = Mutex((requests: [], steps: steps))
        self.fallback = fallback
    }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        let step = state.withLock { state -> Step in
            state.requests.append(request)
            return state.steps.isEmpty ? fallback : state.steps.removeFirst()
        }
        switch step {
        case .respond(let response): return response
        case .fail(let failure): throw failure
        }
    }
}

extension HTTPResponse {
    /// A `{message, code, data}` response with `data` given as JSON text.
    static func envelope(
        status: Int = 200, code: Int = 10000, message: String = "success", data: String,
        headers: [(String, String)] = []
    ) -> HTTPResponse {
        let body = #"{"message":"\#(message)","code":\#(code),"data":\#(data)}"#
        return HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
    }
}

/// Records the delays a retry loop asks for instead of sleeping.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }

    func sleep(_ duration: Duration) async throws {
        delays.withLock { $0.append(duration) }
    }
}

/// A client on a scripted transport, with retries that do not sleep and a fixed jitter.
func makeClient(
    _ transport: ScriptedTransport, sleeper: SleepRecorder = SleepRecorder(), attempts: Int = 4,
    key: String = "test-key-0123456789"
) -> YottaClient {
    let retry = RetryPolicy(
        maximumAttempts: attempts, initialDelay: .milliseconds(100), maximumDelay: .seconds(2),
        maximumRetryAfter: .seconds(30), sleep: { try await sleeper.sleep($0) }, random: { 1.0 })
    // The URL is a constant known to be valid.
    let configuration = try! ClientConfiguration(
        baseURL: "https://api.example.test", apiKey: APIKey(key), retry: retry)
    return YottaClient(configuration: configuration, transport: transport)
}

/// The body of a request as a JSON value, for comparing without key order.
func bodyJSON(_ request: HTTPRequest?) -> JSONValue? {
    guard let body = request?.body else { return nil }
    return try? JSONDecoder().decode(JSONValue.self, from: body)
}
