import Foundation
import Sandbox
import Testing

/// `docs/openapi.yaml` lists exactly the routes the sandbox serves.
@Suite struct OpenAPITests {
    /// (METHOD, path) pairs under `paths:`.
    static func documentedRoutes() throws -> Set<String> {
        Set(
            try operations().compactMap { operation in
                let method = operation.route.prefix { $0 != " " }
                guard ["get", "post", "put", "patch", "delete"].contains(method) else { return nil }
                return method.uppercased() + operation.route.dropFirst(method.count)
            })
    }

    /// Each operation of `paths:` ("method path") with its lines, up to the next method or path: a
    /// path is a two-space-indented quoted key, its methods four-space-indented keys.
    static func operations() throws -> [(route: String, lines: [Substring])] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        var operations: [(route: String, lines: [Substring])] = []
        var path = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "components:" { break }
            if line.hasPrefix("  \""), !line.hasPrefix("   ") {
                path = String(line.dropFirst(3).prefix { $0 != "\"" })
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                operations.append(("\(line.trimmingCharacters(in: .whitespaces).dropLast()) \(path)", []))
            } else if !operations.isEmpty {
                operations[operations.count - 1].lines.append(line)
            }
        }
        return operations
    }

    /// The sandbox answers a body over 1 MiB with HTTP 413 on any route: every operation that takes
    /// a body documents it (schemathesis reports an undocumented status code otherwise).
    @Test func everyOperationWithABodyDocumentsTooLarge() throws {
        let operations = try Self.operations()
        let withBody = operations.filter { $0.lines.contains("      requestBody:") }
        #expect(withBody.count >= 10)
        for operation in withBody {
            #expect(operation.lines.contains("        \"413\":"), "\(operation.route) does not document 413")
        }
    }

    @Test func documentAndRoutesAreTheSameSet() throws {
        let served = Set(Route.all.map { "\($0.method) \($0.template)" })
        let documented = try Self.documentedRoutes()
        #expect(documented.count >= 40)
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented))")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served))")
    }
}
