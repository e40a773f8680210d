import CloudLibrary
import Foundation
import Language
import Testing

@Suite struct BuiltinDocsTests {
    @Test func docsBuiltinsIsCurrent() throws {
        let harness = try CloudHarness()
        let library = Library.core()
        harness.session.register(into: library)
        let generated = BuiltinDocs.markdown(library)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("docs/builtins.md")
        if ProcessInfo.processInfo.environment["GPUS_UPDATE_DOCS"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(
            committed == generated,
            "docs/builtins.md is stale: run GPUS_UPDATE_DOCS=1 swift test --disable-xctest --filter BuiltinDocs")
        for namespace in ["vms", "pods", "endpoints", "volumes", "credentials", "gpus"] {
            #expect(committed.contains("## `\(namespace)`"))
        }
    }
}
