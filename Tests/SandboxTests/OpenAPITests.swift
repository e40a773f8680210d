import Foundation
import Sandbox
import Testing

/// `docs/openapi.yaml` lists exactly the routes the sandbox serves.
@Suite struct OpenAPITests {
    /// (METHOD, path) pairs under `paths:`: a path is a two-space-indented quoted key, its methods
    /// four-space-indented keys.
    static func documentedRoutes() throws -> Set<String> {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        var routes = Set<String>()
        var path: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if !line.hasPrefix(" ") && !line.isEmpty { break }
            if line.hasPrefix("  \""), !line.hasPrefix("   ") {
                path = String(line.dropFirst(3).prefix { $0 != "\"" })
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), let path {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(method) {
                    routes.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return routes
    }

    @Test func documentAndRoutesAreTheSameSet() throws {
        let served = Set(Route.all.map { "\($0.method) \($0.template)" })
        let documented = try Self.documentedRoutes()
        #expect(documented.count >= 40)
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented))")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served))")
    }
}
