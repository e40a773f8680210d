import Foundation
import YottaAPI

/// The routes the sandbox serves: every v2 operation at its documented method and path, plus the
/// documented alternative form of scaling (`PUT /v2/serverless/{id}/workers/{count}`).
public struct Route: Sendable, Hashable {
    public let operation: APIOperation
    public let method: String
    public let template: String
    let segments: [Substring]

    init(_ operation: APIOperation, method: String? = nil, template: String? = nil) {
        self.operation = operation
        self.method = method ?? operation.method.rawValue
        self.template = template ?? operation.pathTemplate
        self.segments = self.template.split(separator: "/")
    }

    public static let all: [Route] =
        APIOperation.allCases.map { Route($0) } + [
            Route(.scaleEndpoint, template: "/v2/serverless/{id}/workers/{count}")
        ]

    /// The route for a request, with its path parameters, preferring literal segments over
    /// parameters (`/v2/vms/types` over `/v2/vms/{id}`). `methodMismatch` when the path exists with
    /// another method.
    static func match(method: String, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var best: (route: Route, parameters: [String: String], literals: Int)?
        var allowed: [String] = []
        for route in all where route.segments.count == parts.count {
            var parameters: [String: String] = [:]
            var literals = 0
            var matches = true
            for (pattern, part) in zip(route.segments, parts) {
                if pattern.first == "{" {
                    guard !part.isEmpty else { matches = false; break }
                    parameters[String(pattern.dropFirst().dropLast())] =
                        String(part).removingPercentEncoding ?? String(part)
                } else if pattern == part {
                    literals += 1
                } else {
                    matches = false
                    break
                }
            }
            guard matches else { continue }
            if !allowed.contains(route.method) { allowed.append(route.method) }
            guard route.method == method else { continue }
            if literals > best?.literals ?? -1 { best = (route, parameters, literals) }
        }
        if let best { return .found(best.route, best.parameters) }
        return allowed.isEmpty ? .notFound : .methodMismatch(allowed: allowed)
    }

    enum Match {
        case found(Route, [String: String])
        /// The path exists with other methods: these (a 405's `Allow` header, RFC 9110).
        case methodMismatch(allowed: [String])
        case notFound
    }
}
