import Foundation

/// Where the client sends requests and how.
public struct ClientConfiguration: Sendable {
    /// The production API.
    public static let productionBaseURL = "https://api.yottalabs.ai"

    /// Scheme, host and port: `https://api.yottalabs.ai`.
    public let baseURL: String
    public var apiKey: APIKey?
    /// How long one attempt may take, response included.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    public var userAgent: String

    /// Checks the base URL: http(s) only, and plain `http://` only to a loopback host.
    public init(
        baseURL: String = productionBaseURL, apiKey: APIKey?, requestTimeout: Duration = .seconds(30),
        retry: RetryPolicy = RetryPolicy(), userAgent: String = "gpus"
    ) throws(YottaError) {
        self.baseURL = try Self.checkedBaseURL(baseURL)
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.userAgent = userAgent
    }

    static func checkedBaseURL(_ text: String) throws(YottaError) -> String {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw .configuration("invalid API URL '\(text)': expected https://host[:port]")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            throw .configuration("invalid API URL '\(text)': no query, fragment or credentials allowed")
        }
        switch scheme {
        case "https": break
        case "http":
            guard isLoopback(host) else {
                throw .configuration(
                    "refusing plain http:// to '\(host)': the API key would travel unencrypted; use https://")
            }
        default:
            throw .configuration("invalid API URL '\(text)': the scheme must be https (or http for loopback)")
        }
        return trimmed
    }

    /// Whether a host name is this machine: `localhost`, 127.0.0.0/8 or ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
