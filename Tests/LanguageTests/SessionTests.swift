import Language
import Testing

/// REPL entries: shared variables, `_`, incomplete input, errors that leave the session usable.
@Suite struct SessionTests {
    @Test func entriesShareVariablesAndBareExpressionsReturnValues() async {
        let output = OutputCollector()
        let session = Interpreter.Session(
            interpreter: Interpreter(library: .core(), options: Interpreter.Options(output: { output.append($0) })))
        guard case .value(nil) = await session.evaluate("let x = 20") else { return #expect(Bool(false)) }
        guard case .value(let value?) = await session.evaluate("x + 1") else { return #expect(Bool(false)) }
        #expect(Printer.repr(value) == "21")
        guard case .value(let last?) = await session.evaluate("_ * 2") else { return #expect(Bool(false)) }
        #expect(Printer.repr(last) == "42")
        _ = await session.evaluate("fn twice(n) { return n * 2 }")
        guard case .value(let called?) = await session.evaluate("twice(x)") else { return #expect(Bool(false)) }
        #expect(Printer.repr(called) == "40")
        guard case .value(nil) = await session.evaluate("print(\"hi\")") else { return #expect(Bool(false)) }
        #expect(output.all == ["hi"])
        // `print(…)` is null: `_` keeps the last value that was something (findings ux).
        guard case .value(let kept?) = await session.evaluate("_") else { return #expect(Bool(false)) }
        #expect(Printer.repr(kept) == "40")
        #expect(Set(session.variableNames).isSuperset(of: ["x", "twice", "_"]))
    }

    @Test func incompleteErrorsAndRecovery() async {
        let session = Interpreter.Session(interpreter: Interpreter(library: .core()))
        guard case .incomplete = await session.evaluate("if true {") else { return #expect(Bool(false)) }
        guard case .invalid(let diagnostics, _) = await session.evaluate("let y = nope") else {
            return #expect(Bool(false))
        }
        #expect(diagnostics.first?.id == .undeclaredVariable)
        // The failed entry declared nothing.
        guard case .invalid = await session.evaluate("y") else { return #expect(Bool(false)) }
        guard case .failed(let error, _) = await session.evaluate("let z = 1 / 0") else { return #expect(Bool(false)) }
        #expect(error.id == .divisionByZero)
        guard case .value(let value?) = await session.evaluate("let w = 5\nw") else { return #expect(Bool(false)) }
        #expect(Printer.repr(value) == "5")
        guard case .value(let again?) = await session.evaluate("let w = 6\nw") else { return #expect(Bool(false)) }
        #expect(Printer.repr(again) == "6")
    }

    /// A function declared again at the prompt is the one every later call reaches, its own
    /// recursive calls included (they read the session's variable, not a copy of the old code).
    @Test func aFunctionDeclaredAgainReplacesItForItsOwnCalls() async {
        let session = Interpreter.Session(interpreter: Interpreter(library: .core()))
        _ = await session.evaluate("fn walk(n) { if n == 0 { return \"old\" }\n return walk(n - 1) }")
        guard case .value(let first?) = await session.evaluate("walk(2)") else { return #expect(Bool(false)) }
        #expect(Printer.text(first) == "old")
        _ = await session.evaluate("let old = walk")
        _ = await session.evaluate("fn walk(n) { if n == 0 { return \"new\" }\n return walk(n - 1) }")
        guard case .value(let second?) = await session.evaluate("walk(2)") else { return #expect(Bool(false)) }
        #expect(Printer.text(second) == "new")
        // The old function's own call by name now reaches the new one, as any call by name does.
        guard case .value(let third?) = await session.evaluate("old(2)") else { return #expect(Bool(false)) }
        #expect(Printer.text(third) == "new")
    }
}
