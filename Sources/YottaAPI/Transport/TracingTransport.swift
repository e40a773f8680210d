import Foundation

/// Wraps a transport and describes each exchange, like `curl -v`: the request line, headers and
/// body (`>`), then the status, time taken, headers and body (`<`).
///
/// The API key is masked, and so is every JSON string field whose name says it is a secret
/// (`password`, `apiKey`, `token`, …), in bodies either way. Long bodies are cut.
public struct TracingTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let write: @Sendable (String) -> Void
    public var bodyLimit = 2000

    public init(_ base: any HTTPTransport, write: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.write = write
    }

    public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        var lines = ["> \(request.method.rawValue) \(request.url)"]
        for (name, value) in request.headers {
            lines.append("> \(name): \(Self.isSecretHeader(name) ? APIKey(value).masked : value)")
        }
        if let body = request.body, !body.isEmpty { lines.append("> " + describe(body)) }
        write(lines.joined(separator: "\n"))
        let started = ContinuousClock.now
        do {
            let response = try await base.send(request)
            var answer = ["< \(response.status) (\(Self.milliseconds(ContinuousClock.now - started)))"]
            for (name, value) in response.headers where !Self.isSecretHeader(name) {
                answer.append("< \(name): \(value)")
            }
            if !response.body.isEmpty { answer.append("< " + describe(response.body)) }
            write(answer.joined(separator: "\n"))
            return response
        } catch {
            write("< failed after \(Self.milliseconds(ContinuousClock.now - started)): \(error)")
            throw error
        }
    }

    static func isSecretHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "x-api-key" || lower == "authorization" || lower == "cookie"
    }

    static func milliseconds(_ duration: Duration) -> String {
        let millis = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.1f ms", millis)
    }

    static let secretFields: Set<String> = [
        "password", "apikey", "api_key", "token", "secret", "accesskey", "secretkey", "authorization",
    ]

    /// A body as text with secret fields masked, cut at `bodyLimit` characters.
    func describe(_ body: Data) -> String {
        var text: String
        if let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) {
            let masked = Self.mask(json)
            let data = try? JSONSerialization.data(
                withJSONObject: masked, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
            text = data.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: body, as: UTF8.self)
        } else {
            text = String(decoding: body, as: UTF8.self)
        }
        if text.count > bodyLimit { text = String(text.prefix(bodyLimit)) + "… (\(body.count) bytes)" }
        return text
    }

    static func mask(_ json: Any) -> Any {
        if let object = json as? [String: Any] {
            var out: [String: Any] = [:]
            for (key, value) in object {
                out[key] = secretFields.contains(key.lowercased()) && value is String ? "••••" : mask(value)
            }
            return out
        }
        if let array = json as? [Any] { return array.map(mask) }
        return json
    }
}
