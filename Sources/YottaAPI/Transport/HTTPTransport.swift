import Foundation

/// Sends one HTTP request and returns the response. The client's only way out.
///
/// Implementations throw `TransportFailure` when no response arrived; any response, whatever its
/// status, is returned.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse
}

/// A request as the client builds it, before it becomes bytes on a connection.
public struct HTTPRequest: Hashable, Sendable, CustomStringConvertible {
    public var method: HTTPMethod
    /// Scheme, host and port, without a trailing slash: `https://api.yottalabs.ai`.
    public var baseURL: String
    /// The path, starting with `/`, already percent-encoded.
    public var path: String
    /// Query items in order; a name may repeat.
    public var query: [QueryItem]
    /// Header names and values in order.
    public var headers: [(String, String)]
    public var body: Data?
    /// How long to wait for the whole response.
    public var timeout: Duration

    public init(
        method: HTTPMethod, baseURL: String, path: String, query: [QueryItem] = [], headers: [(String, String)] = [],
        body: Data? = nil, timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.baseURL = baseURL
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The full URL with the query string.
    public var url: String {
        guard !query.isEmpty else { return baseURL + path }
        return baseURL + path + "?" + query.map(\.encoded).joined(separator: "&")
    }

    /// The value of a header, compared without case.
    public func header(_ name: String) -> String? {
        headerValue(name, in: headers)
    }

    /// The request as a line for traces, with secret headers masked.
    public var description: String { "\(method.rawValue) \(url)" }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.0):\($0.1)" } == rhs.headers.map { "\($0.0):\($0.1)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(url)
        hasher.combine(body)
    }
}

/// One `name=value` of a query string.
public struct QueryItem: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    var encoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~,")
        let name = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
        let value = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
        return "\(name)=\(value)"
    }
}

/// A response: status, headers and the whole body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headerValue(name, in: headers)
    }
}

/// The value of a header among name–value pairs, the name compared without case.
public func headerValue(_ name: String, in headers: [(String, String)]) -> String? {
    headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
}
