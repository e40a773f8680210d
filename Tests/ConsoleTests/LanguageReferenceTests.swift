import Console
import Foundation
import Language
import Testing

@Suite struct LanguageReferenceTests {
    /// The reference `gpus mcp` serves is docs/language.md as committed.
    @Test func theEmbeddedReferenceIsDocsLanguage() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let docs = try String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        if ProcessInfo.processInfo.environment["GPUS_UPDATE_DOCS"] == "1" {
            let swift = """
                // Generated from docs/language.md by LanguageReferenceTests (GPUS_UPDATE_DOCS=1 swift test
                // --disable-xctest --filter LanguageReference): do not edit by hand.

                /// The language's reference, docs/language.md, in the binary: `gpus mcp` serves it to agents as
                /// the resource gpus://docs/language.
                public enum LanguageReference {
                    public static let markdown = #\"\"\"

                """ + docs + "\n\"\"\"#\n}\n"
            try swift.write(
                to: root.appendingPathComponent("Sources/Console/LanguageReference.swift"), atomically: true,
                encoding: .utf8)
        }
        #expect(
            LanguageReference.markdown == docs,
            "Sources/Console/LanguageReference.swift is stale: GPUS_UPDATE_DOCS=1 swift test --disable-xctest --filter LanguageReference"
        )
    }

    /// docs/language.md names every kind of error `e.kind` can be.
    @Test func theReferenceNamesEveryErrorKind() {
        let missing = ErrorKind.allCases.filter { !LanguageReference.markdown.contains("`\($0.rawValue)`") }
        #expect(missing.isEmpty, "docs/language.md does not name the error kinds \(missing.map(\.rawValue))")
    }
}
