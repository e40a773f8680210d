import Foundation
import Language
import Testing

/// Programs built from values (`Syntax`), and the tree shown as code (`CodeText`).
@Suite struct SyntaxTests {
    /// Every golden script, printed as code and parsed again, is the same tree: the text a host's
    /// built call is shown as reads back as that call.
    @Test func everyGoldenScriptPrintsAsCodeThatParsesToTheSameTree() {
        var checked = 0
        for script in GoldenScript.all() {
            let parsed = Parser.parse(SourceFile(name: script.name, text: script.text))
            guard parsed.diagnostics.isEmpty else { continue }
            let printed = CodeText.text(parsed.program.statements)
            let again = Parser.parse(SourceFile(name: script.name, text: printed))
            #expect(again.diagnostics.isEmpty, "\(script.name): \(again.diagnostics.map(\.message))\n\(printed)")
            #expect(
                ASTDump.dump(again.program.statements) == ASTDump.dump(parsed.program.statements),
                "\(script.name)\n\(printed)")
            checked += 1
        }
        #expect(checked > 150)
    }

    @Test func valuesPrintAsLiteralsThatReadBack() {
        let values: [Expr] = [
            Syntax.string("a\"b\\c${x}$y\n\t\r\0é"), .float(1, .none), .float(2.5e-300, .none), .float(1e300, .none),
            .duration(90_000, .none), .duration(1500, .none), .duration(0, .none), .duration(86_400_000 * 3, .none),
            .map(
                entries: [MapEntry(key: "not", value: .int(1, .none)), MapEntry(key: "a b", value: .null(.none))], .none
            ),
        ]
        for value in values {
            let text = CodeText.text(value)
            let parsed = Parser.parse(SourceFile(name: "v", text: "(" + text + ")"))
            #expect(parsed.diagnostics.isEmpty, "\(text)")
            #expect(ASTDump.dump(parsed.program.statements) == ASTDump.dump([.expression(value)]), "\(text)")
        }
        #expect(CodeText.text(.duration(90_000, .none)) == "90s")
        // A map as a statement reads back as a map, an empty one too (not as a block).
        for statement: Stmt in [.expression(.map(entries: [], .none)), .expression(Syntax.call("f"))] {
            let parsed = Parser.parse(SourceFile(name: "s", text: CodeText.text(statement)))
            #expect(ASTDump.dump(parsed.program.statements) == ASTDump.dump([statement]), "\(CodeText.text(statement))")
        }
        #expect(CodeText.text(Syntax.call("pods.create", [("name", Syntax.string("a"))])) == #"pods.create(name: "a")"#)
    }

    /// Declarations built at no place are still two variables: a function that captures both reads
    /// each (they shared one key once, and the second read the first's value).
    @Test func builtDeclarationsAreDistinctVariablesToAClosure() async {
        let output = OutputCollector()
        let interpreter = Interpreter(library: .core(), options: Interpreter.Options(output: { output.append($0) }))
        let statements =
            [Syntax.declare("first", .int(1, .none)), Syntax.declare("second", Syntax.string("two"))]
            + Syntax.statements(SourceFile(name: "fixed", text: "fn both() { return [first, second] }\nprint(both())"))
        let outcome = await interpreter.run(statements, source: SourceFile(name: "built", text: ""))
        guard case .finished = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(output.all == [#"[1, "two"]"#])
    }

    /// A wait built from values has no text of its own: its timeout says the condition as code.
    @Test func aBuiltWaitNamesItsConditionAsCode() async {
        let library = Library.core()
        library.define("ready", .string("ready"))
        let interpreter = Interpreter(library: library, options: Interpreter.Options(clock: VirtualClock()))
        let statements = [
            Syntax.declare("thing", .map(entries: [MapEntry(key: "status", value: Syntax.string("pending"))], .none)),
            Syntax.wait(until: "thing", is: "ready", timeout: .duration(1000, .none)),
        ]
        let outcome = await interpreter.run(statements, source: SourceFile(name: "built", text: ""))
        guard case .failed(let error) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(error.message.contains("'thing.status == ready'"), "\(error.message)")
    }
}
