import Foundation
import Logging

/// A client for the Yotta v2 API: one method per operation, in the `YottaClient+Kind.swift` files.
///
/// Every call validates its input before sending, authenticates with `X-Api-Key`, reads the
/// `{message, code, data}` envelope, and retries transient failures when repeating the request is safe.
public struct YottaClient: Sendable {
    public let configuration: ClientConfiguration
    public let transport: any HTTPTransport
    public var logger: Logger

    public init(configuration: ClientConfiguration, transport: any HTTPTransport, logger: Logger? = nil) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger ?? Logger(label: "gpus.client")
    }

    /// What one call sends: the operation, path parameters, query and body.
    struct Call {
        var operation: APIOperation
        var pathParameters: [String: String] = [:]
        var query: [QueryItem] = []
        var body: Data?
        /// The id the call addresses, for errors.
        var resourceID: String?
        /// Overrides the operation's idempotence (a task submit with a `taskId` may be repeated).
        var repeatable: Bool?

        var context: CallContext { CallContext(operation: operation, resourceID: resourceID) }
    }

    // MARK: - Sending

    /// Sends a call and decodes the envelope's `data` as `Payload`.
    func send<Payload: Decodable>(_ call: Call, as _: Payload.Type) async throws(YottaError) -> Payload {
        let answer: Answer<Payload> = try await exchange(call)
        return try Self.payload(answer, call: call.context)
    }

    /// Sends a call whose `data` carries nothing the caller needs (`true`, `null`).
    func send(_ call: Call) async throws(YottaError) {
        let answer: Answer<JSONValue?> = try await exchange(call)
        _ = try Self.payload(answer, call: call.context)
    }

    /// Validates, encodes and sends a body-carrying call.
    func send<Body: ValidatedRequest, Payload: Decodable>(
        _ call: Call, body: Body, as _: Payload.Type
    )
        async throws(YottaError) -> Payload
    {
        var call = call
        call.body = try encode(body, for: call.operation)
        return try await send(call, as: Payload.self)
    }

    func encode<Body: ValidatedRequest>(_ body: Body, for operation: APIOperation) throws(YottaError) -> Data {
        do {
            try body.validate(as: operation)
        } catch {
            throw .validation(error)
        }
        do {
            return try Self.encoder.encode(body)
        } catch {
            throw .validation(ValidationError(operation: operation, field: "body", message: "\(error)"))
        }
    }

    /// Sends the request, retrying transient failures, and returns the final answer (its envelope
    /// decoded once, with `data` as `Payload`).
    func exchange<Payload: Decodable>(_ call: Call) async throws(YottaError) -> Answer<Payload> {
        let request = makeRequest(call)
        let repeatable = call.repeatable ?? call.operation.isIdempotent
        let policy = configuration.retry
        var attempt = 1
        while true {
            let started = ContinuousClock.now
            let outcome: Outcome<Payload>
            do {
                let response = try await transport.send(request)
                logger.trace("\(request) → \(response.status) in \(ContinuousClock.now - started)")
                outcome = Self.classify(response)
            } catch {
                logger.trace("\(request) → \(error) in \(ContinuousClock.now - started)")
                if error == .cancelled || Task.isCancelled { throw .transport(.cancelled, call: call.context) }
                outcome = .transportFailure(error)
            }
            let retryAllowed: Bool
            switch outcome {
            case .done(let answer): return answer
            case .transportFailure(let failure): retryAllowed = repeatable || failure.requestNeverSent
            // Throttling refuses a request before it is processed: any request may be sent again.
            case .transient(let answer, _): retryAllowed = repeatable || answer.isThrottled
            }
            guard retryAllowed, attempt < policy.maximumAttempts,
                let delay = delayBeforeRetry(outcome, attempt: attempt)
            else {
                throw Self.error(for: outcome, call: call.context)
            }
            logger.debug("retrying \(call.context) in \(delay) after attempt \(attempt)")
            do {
                try await policy.sleep(delay)
            } catch {
                throw .transport(.cancelled, call: call.context)
            }
            attempt += 1
        }
    }

    /// What a response or failure means for the retry loop.
    enum Outcome<Payload: Decodable> {
        case done(Answer<Payload>)
        case transient(Answer<Payload>, retryAfter: Duration?)
        case transportFailure(TransportFailure)
    }

    /// A response as the retry loop reads it; its envelope is decoded here, once.
    static func classify<Payload>(_ response: HTTPResponse) -> Outcome<Payload> {
        let answer = Answer<Payload>(response)
        let retryAfter = response.header("Retry-After").flatMap(parseRetryAfter)
        if response.status == 429 || [502, 503, 504].contains(response.status) {
            return .transient(answer, retryAfter: retryAfter)
        }
        if let code = answer.envelope?.code, code == .systemError || code == .tooManyRequests {
            return .transient(answer, retryAfter: retryAfter)
        }
        return .done(answer)
    }

    func delayBeforeRetry<Payload>(_ outcome: Outcome<Payload>, attempt: Int) -> Duration? {
        let backoff = configuration.retry.backoff(afterAttempt: attempt)
        guard case .transient(_, let retryAfter?) = outcome else { return backoff }
        if retryAfter > configuration.retry.maximumRetryAfter { return nil }
        return max(retryAfter, backoff)
    }

    static func error<Payload>(for outcome: Outcome<Payload>, call: CallContext) -> YottaError {
        switch outcome {
        case .transportFailure(let failure): .transport(failure, call: call)
        case .transient(let answer, _), .done(let answer): error(answer, call: call)
        }
    }

    /// `Retry-After` as delta-seconds or an HTTP date.
    static func parseRetryAfter(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSinceNow) * 1000))
    }

    func makeRequest(_ call: Call) -> HTTPRequest {
        var headers: [(String, String)] = [("Accept", "application/json"), ("User-Agent", configuration.userAgent)]
        if let key = configuration.apiKey { headers.append(("X-Api-Key", key.reveal())) }
        var body = call.body
        if body == nil, call.operation.method == .post {
            body = Data("{}".utf8)  // action POSTs carry an empty object, as the official SDK sends
        }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return HTTPRequest(
            method: call.operation.method, baseURL: configuration.baseURL,
            path: call.operation.path(call.pathParameters), query: call.query, headers: headers, body: body,
            timeout: configuration.requestTimeout)
    }
}
