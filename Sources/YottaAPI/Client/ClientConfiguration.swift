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
        // Refused here, before any request: a key a header cannot carry would fail on every attempt,
        // and the HTTP library's error would print it (reliability D4).
        if let problem = apiKey?.headerProblem {
            throw .configuration("the API key \(problem), which an HTTP header cannot carry; nothing was sent")
        }
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.userAgent = userAgent
    }

    static func checkedBaseURL(_ text: String) throws(YottaError) -> String {
        // Messages show the URL without what precedes an `@` in its authority: never a password
        // (reliability D19).
        let shown = redactingCredentials(text)
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard shown == text else {
            throw .configuration(
                "invalid API URL '\(shown)': credentials in the URL are not allowed (the key goes in YOTTA_API_KEY or a profile)"
            )
        }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw .configuration("invalid API URL '\(shown)': expected https://host[:port]")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            throw .configuration("invalid API URL '\(shown)': no query, fragment or credentials allowed")
        }
        switch scheme {
        case "https": break
        case "http":
            guard isLoopback(host) else {
                throw .configuration(
                    "refusing plain http:// to '\(host)': the API key would travel unencrypted; use https://")
            }
        default:
            throw .configuration("invalid API URL '\(shown)': the scheme must be https (or http for loopback)")
        }
        return trimmed
    }

    /// `scheme://user:password@host/…` → `scheme://••••@host/…`; anything else unchanged.
    public static func redactingCredentials(_ text: String) -> String {
        let afterScheme = text.range(of: "://").map(\.upperBound) ?? text.startIndex
        let authorityEnd = text[afterScheme...].firstIndex { "/?#".contains($0) } ?? text.endIndex
        guard let at = text[afterScheme..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<afterScheme]) + "••••" + String(text[at...])
    }

    /// Whether a host name is this machine: `localhost`, 127.0.0.0/8 or ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
