import Foundation
import YottaAPI

/// A request as the sandbox sees it, independent of the HTTP server that carried it (or of none, when
/// the sandbox is embedded).
public struct SandboxRequest: Sendable {
    public var method: String
    /// The path, percent-encoded, without the query.
    public var path: String
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: Data

    public init(
        method: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: Data = Data()
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// `a=1&b=x%20y&b=z` → [(a, 1), (b, x y), (b, z)]. `+` is a space, as in forms (Python's
    /// `requests` sends one for a space), which is why Hummingbird's query parser, which keeps `+`,
    /// is not used. Any text is accepted: an empty key or value stays empty, an invalid escape stays as
    /// written.
    public static func parseQuery(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        func decode(_ text: Substring) -> String {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return query.split(separator: "&").map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return (decode(pair), "") }
            return (decode(pair[..<equals]), decode(pair[pair.index(after: equals)...]))
        }
    }

    /// How many times a header was sent.
    public func headerCount(_ name: String) -> Int {
        headers.count { $0.0.caseInsensitiveCompare(name) == .orderedSame }
    }

    public func header(_ name: String) -> String? {
        headerValue(name, in: headers)
    }

    /// Every value of a query parameter: repeated keys and comma-separated values both count.
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.0 == name }.flatMap { $0.1.split(separator: ",").map(String.init) }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public func queryValue(_ name: String) -> String? { query.last { $0.0 == name }?.1 }
}

/// A response: status, headers and a JSON body.
public struct SandboxResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A failure a controller reports: becomes the real API's error envelope.
struct APIFailure: Error {
    var httpStatus: Int
    var code: BusinessCode
    var message: String
    var data: JSONValue?

    /// HTTP 400 + 10001, naming the field.
    static func invalid(_ field: String, _ message: String) -> APIFailure {
        APIFailure(httpStatus: 400, code: .invalidParameters, message: "\(field): \(message)")
    }

    static func invalid(_ error: ValidationError) -> APIFailure { invalid(error.field, error.message) }

    /// HTTP 200 with a business code (not found, wrong state, in use).
    static func business(_ code: BusinessCode, _ message: String, data: JSONValue? = nil) -> APIFailure {
        APIFailure(httpStatus: 200, code: code, message: message, data: data)
    }
}

/// The `{message, code, data}` envelope.
struct EnvelopeBody<Payload: Encodable>: Encodable {
    var message: String
    var code: Int
    var data: Payload
}

extension SandboxResponse {
    static let jsonHeaders = [("Content-Type", "application/json")]

    static func success<Payload: Encodable>(_ data: Payload) throws -> SandboxResponse {
        let body = try StreamingJSONEncoder().encode(EnvelopeBody(message: "success", code: 10000, data: data))
        return SandboxResponse(status: 200, headers: jsonHeaders, body: body)
    }

    static func failure(_ failure: APIFailure, headers: [(String, String)] = []) -> SandboxResponse {
        let envelope = EnvelopeBody(message: failure.message, code: failure.code.rawValue, data: failure.data)
        let body = (try? StreamingJSONEncoder().encode(envelope)) ?? Data()
        return SandboxResponse(status: failure.httpStatus, headers: jsonHeaders + headers, body: body)
    }
}
