import Foundation
import Language
import Testing

@testable import Console

/// Errors stay readable however deep the stack: repeated frames collapse, and a screenful at most
/// (issue: the interpreter's diagnostics; findings: 2,000 identical "= in f" lines).
@Suite struct StackNotesTests {
    @Test func aRunOfIdenticalFramesIsOneLineAndACount() {
        let notes = ScriptRunner.stackNotes(["in g"] + Array(repeating: "in f", count: 1999) + ["in main2"])
        #expect(notes == ["in g", "in f", "[previous frame repeated 1,998 more times]", "in main2"])
        #expect(ScriptRunner.stackNotes(["in f", "in f"]) == ["in f", "[previous frame repeated 1 more time]"])
        #expect(ScriptRunner.stackNotes(["in f", "in g", "in f"]) == ["in f", "in g", "in f"])
    }

    @Test func aDeepStackOfDistinctFramesIsCutToAScreenful() {
        let frames = (0..<1000).map { "in f\($0 % 2)" }
        let notes = ScriptRunner.stackNotes(frames)
        #expect(notes.count == 20)
        #expect(notes[13] == "[981 more lines of the stack]")
        #expect(notes.first == "in f0" && notes.last == "in f1")
    }

    @Test func unboundedRecursionReportsInAFewLines() async {
        let source = SourceFile(name: "rec.gpus", text: "fn f(n) { return f(n + 1) }\nf(0)\n")
        let outcome = await Interpreter(library: Library.core()).run(source)
        guard case .failed(let error) = outcome else {
            Issue.record("expected a runtime error, got \(outcome)")
            return
        }
        let text = DiagnosticRenderer().render(ScriptRunner.diagnostic(error), in: source)
        #expect(text.split(separator: "\n").count == 5)
        #expect(text.hasSuffix("  = in f\n  = [previous frame repeated 1,998 more times]"))
    }
}
