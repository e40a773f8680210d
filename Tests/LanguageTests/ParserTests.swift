import Foundation
import Language
import Testing

@Suite struct LexerTests {
    static let cases: [(String, String)] = [
        ("let x = 1", "let x = 1"),
        ("1_000 2.5 1e3", "1000 2.5 1000.0"),
        ("250ms 1h30m 2s", "250ms 5400000ms 2000ms"),
        ("a..b a..<b a.b", "a .. b a ..< b a . b"),
        ("x += 1; y -> z", "x += 1 ; y -> z"),
        ("== != <= >= < >", "== != <= >= < >"),
        ("\"a${b}c\"", "str(a,${},c)"),
        ("# comment\nx", "\\n x"),
        ("@", "error(unexpectedCharacter)"),
        ("\"open", "error(unterminatedString)"),
        // A backslash at the end of the input (finding: language #27).
        ("\"abc\\", "error(unterminatedString)"),
        ("\"abc\\\nx\"", "error(invalidEscape)"),
        ("5x", "error(invalidDuration)"),
    ]

    @Test(arguments: cases)
    func tokens(_ input: String, _ expected: String) {
        let tokens = Lexer.tokens(SourceFile(name: "t", text: input)).dropLast()
        let text = tokens.map { token -> String in
            switch token.kind {
            case .identifier(let name): name
            case .keyword(let keyword): keyword.rawValue
            case .int(let value): String(value)
            case .float(let value): String(value)
            case .duration(let value): "\(value)ms"
            case .symbol(let symbol): symbol.rawValue
            case .newline: "\\n"
            case .string(let parts):
                "str(" + parts.map { if case .text(let text) = $0 { text } else { "${}" } }.joined(separator: ",") + ")"
            case .error(let id, _): "error(\(id.rawValue))"
            case .eof: "eof"
            }
        }.joined(separator: " ")
        #expect(text == expected)
    }
}

@Suite struct ParserTests {
    static let cases: [(String, String)] = [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("a or b and not c", "(or a (and b (not c)))"),
        ("-x.y", "(- (. x y))"),
        ("(a == b) in c", "(in (== a b) c)"),
        ("x not in xs", "(not in x xs)"),
        ("1..n", "(.. 1 n)"),
        ("0..<n", "(..< 0 n)"),
        ("f(1, name: 2)", "(call f 1 name: 2)"),
        ("xs[0].y()", "(call (. ([] xs 0) y))"),
        ("x -> x * 2", "(fn (x) (* x 2))"),
        ("(a, b) -> a", "(fn (a b) a)"),
        ("() -> 1", "(fn () 1)"),
        ("[1, [2]]", "[1 [2]]"),
        ("let m = {a: 1, \"b c\": 2}", "(let m {a: 1 b c: 2})"),
        ("let x = 1", "(let x 1)"),
        ("x += 2", "(+= x 2)"),
        ("a.b = c", "(= (. a b) c)"),
        ("if a { b } else if c { d } else { e }", "(if a {b} c {d} else {e})"),
        ("while x { break }", "(while x {(break)})"),
        ("for i, v in xs { continue }", "(for i,v xs {(continue)})"),
        ("fn f(a, b = 1) { return a }", "(fn f (a b=1) {(return a)})"),
        ("try { x } catch e { y }", "(try {x} catch e {y})"),
        ("throw \"e\"", "(throw \"e\")"),
        ("defer f()", "(defer (call f))"),
        ("wait until x timeout 5m every 1s", "(wait x timeout 300000ms every 1000ms)"),
        ("exit 2", "(exit 2)"),
        ("parallel for i in xs { i }", "(parallel-for i xs {i})"),
        ("\"a ${b} c\"", "(str \"a \" b \" c\")"),
        ("f(\n 1,\n 2\n)", "(call f 1 2)"),
        ("1 +\n 2", "(+ 1 2)"),
        ("fn(x) { return x }", "(fn (x) {(return x)})"),
    ]

    @Test(arguments: cases)
    func dump(_ input: String, _ expected: String) {
        let result = Parser.parse(SourceFile(name: "t", text: input))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        #expect(ASTDump.dump(result.program.statements) == expected)
    }

    static let incomplete = [
        "if x {", "f(1,", "[1, 2", "let x = 1 +", "\"open", "fn f() {\n  let a = 1", "x ->", "{a: 1,", "try { x }",
    ]

    @Test(arguments: incomplete)
    func incompleteInput(_ input: String) {
        let result = Parser.parse(SourceFile(name: "<repl>", text: input))
        #expect(result.isIncomplete, "\(input.debugDescription) should ask for more input")
    }

    static let complete = ["if x { y }", "f(1)", "let x = 1", "print(\"a\")", "let x = )", "1 + * 2", "}"]

    @Test(arguments: complete)
    func completeOrWrongInput(_ input: String) {
        #expect(!Parser.parse(SourceFile(name: "<repl>", text: input)).isIncomplete)
    }

    @Test func tenThousandNestedBracketsIsAnError() {
        for (open, close) in [("(", ")"), ("[", "]"), ("{a:", "}")] {
            let text =
                "let x = " + String(repeating: open, count: 10_000) + "1" + String(repeating: close, count: 10_000)
            let result = Parser.parse(SourceFile(name: "deep", text: text))
            #expect(result.diagnostics.first?.id == .tooDeeplyNested)
        }
        let blocks = String(repeating: "if true {", count: 10_000) + String(repeating: "}", count: 10_000)
        #expect(Parser.parse(SourceFile(name: "deep", text: blocks)).diagnostics.first?.id == .tooDeeplyNested)
    }

    @Test func errorsAreReportedOncePerStatement() {
        let result = Parser.parse(SourceFile(name: "t", text: "let a = (1 +\nlet b = 2\nlet c = ]\nprint(b)"))
        #expect(result.diagnostics.map(\.id) == [.expectedExpression, .expectedExpression])
        #expect(
            result.diagnostics.map(\.message) == [
                "an expression expected, found 'let'", "an expression expected, found ']'",
            ])
    }
}

@Suite struct DiagnosticRendererTests {
    @Test func rendersFileLineColumnSourceAndCaret() {
        let source = SourceFile(name: "recipe.gpus", text: "let a = 1\nlet vm = vms.create(name: \"a\"\n")
        let result = Parser.parse(source)
        let text = DiagnosticRenderer().render(result.diagnostics, in: source)
        #expect(
            text == """
                recipe.gpus:2:30: error: ')' expected (to close '(' at 2:20), found end of input
                2 | let vm = vms.create(name: "a"
                  |                              ^
                """)
    }

    @Test func columnsCountCharacters() {
        let source = SourceFile(name: "u.gpus", text: "let e = \"ü\" @")
        let diagnostics = Parser.parse(source).diagnostics
        let text = DiagnosticRenderer().render(diagnostics, in: source)
        #expect(text.hasPrefix("u.gpus:1:13: error: unexpected character '@'"))
        #expect(text.hasSuffix("  |             ^"))
    }

    @Test func notesAndColour() {
        let source = SourceFile(name: "<repl>", text: "x")
        let diagnostic = Diagnostic(.userError, "boom", at: SourceRange(0, 1), notes: ["in deploy"])
        #expect(
            DiagnosticRenderer().render(diagnostic, in: source)
                == "<repl>:1:1: error: boom\n1 | x\n  | ^\n  = in deploy")
        #expect(DiagnosticRenderer(colour: true).render(diagnostic, in: source).contains("\u{1B}[1;31m"))
    }

    /// A tab before the token is repeated under it (finding: language #28); control characters in a
    /// message are shown escaped.
    @Test func theCaretFollowsTabsAndMessagesShowControlCharacters() {
        let source = SourceFile(name: "t.gpus", text: "\t\tx")
        let diagnostic = Diagnostic(.userError, "fake\nerror: \u{1B}[2J", at: SourceRange(2, 3))
        #expect(
            DiagnosticRenderer().render(diagnostic, in: source)
                == "t.gpus:1:3: error: fake\\nerror: \\u{1B}[2J\n1 | \t\tx\n  | \t\t^")
    }

    /// A generated line of 240 KB is shown as a window around the error, not whole.
    @Test func aVeryLongLineIsShownAroundTheColumn() {
        let text = "print(" + Array(repeating: "x", count: 30_000).joined(separator: " + ") + ")"
        let source = SourceFile(name: "long.gpus", text: text)
        let rendered = DiagnosticRenderer().render(
            Diagnostic(.userError, "here", at: SourceRange(60_000, 60_001)), in: source)
        let lines = rendered.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].count < 140 && lines[1].hasPrefix("1 | …") && lines[1].hasSuffix("…"))
        // The caret sits under the character the error is at (a '+': offset 60,000 is the 10,000th " + ").
        let caret = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) } ?? 0
        let marked = Array(text.utf8)[60_000]
        #expect(Array(lines[1])[caret] == Character(UnicodeScalar(marked)))
        #expect(Array(lines[1])[caret - 1] != Array(lines[1])[caret])
    }

    /// On a terminal 80 columns wide (findings ux 15: the message wrapped mid-word, the source line
    /// and the caret wrapped under it): the message breaks at spaces, the line is a window that
    /// fits with the caret under its character, and the line's end shows when the error is there.
    @Test func atEightyColumnsNothingWrapsMidWordOrUnderTheCaret() {
        let text =
            #"let p = pods.create(name: "pod-with-a-fairly-long-name", image: "nginx:latest", gpuType: "NVIDIA_H100_80G", gpuCount: 3)"#
        let source = SourceFile(name: "<repl>", text: text)
        let offset = text.utf8.count - 2  // the `3`
        let note = "at the prompt an 'if' runs when its '}' is typed: write '} else {' on that line (↑ recalls it)"
        let diagnostic = Diagnostic(
            .badArgument, "bad argument 'gpuCount' to 'pods.create': must be a power of 2 from 1 to 8 (got 3)",
            at: SourceRange(offset, offset + 1), notes: [note])
        for colour in [false, true] {
            let rendered = DiagnosticRenderer(colour: colour).fitted(to: 80).render(diagnostic, in: source)
            let lines = rendered.split(separator: "\n").map(String.init)
            #expect(lines.allSatisfy { DiagnosticRenderer.visible($0) <= 80 }, "\(rendered)")
            #expect(lines[0].hasSuffix("must be a power") && lines[1] == "  of 2 from 1 to 8 (got 3)", "\(rendered)")
            let code = lines[2]
            #expect(code.hasPrefix("1 | …") && code.hasSuffix("gpuCount: 3)"), "\(rendered)")
            // The caret's column, without the colour sequences around it.
            let caretLine = colour ? lines[3].replacingOccurrences(of: "\u{1B}[1;32m", with: "") : lines[3]
            let caret = Array(caretLine).firstIndex(of: "^") ?? 0
            #expect(caret < code.count && Array(code)[caret] == "3", "\(rendered)")
            // A note breaks at spaces too, its next lines under its first word.
            #expect(
                lines[4].hasPrefix("  = at the prompt") && lines[5].hasPrefix("    ") && lines.count == 6, "\(rendered)"
            )
            #expect(lines[4...].joined(separator: " ").split(separator: " ").joined(separator: " ") == "= " + note)
        }
    }

    /// Strings nested 30,000 deep in `${}`: one error at once (it took seconds, scanning each level).
    @Test func stringsNestedTooDeeplyAreOneErrorQuickly() {
        let text =
            "print(" + String(repeating: "\"${", count: 30_000) + "1" + String(repeating: "}\"", count: 30_000) + ")"
        let started = ContinuousClock.now
        let diagnostics = Parser.parse(SourceFile(name: "s.gpus", text: text)).diagnostics
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.id == .tooDeeplyNested)
        #expect(ContinuousClock.now - started < .seconds(2))
    }
}

@Suite struct GrammarDocumentTests {
    /// Every production in the parser's doc comments is in docs/language.md.
    @Test func docsListTheParsersProductions() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let docs = try String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let folder = root.appendingPathComponent("Sources/Language/Parsing")
        var productions: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard let range = trimmed.range(of: "→"), trimmed.hasPrefix("///") || trimmed.contains("// ") else {
                    continue
                }
                let production = (trimmed.components(separatedBy: "// ").last ?? "").trimmingCharacters(
                    in: CharacterSet(charactersIn: "/ "))
                if production.contains("→"), range.lowerBound < trimmed.endIndex { productions.append(production) }
            }
        }
        #expect(productions.count >= 25)
        for production in productions {
            #expect(docs.contains(production), "docs/language.md lacks: \(production)")
        }
    }
}
