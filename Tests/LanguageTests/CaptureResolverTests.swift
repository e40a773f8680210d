import Foundation
import Synchronization
import Testing

@testable import Language

/// The program is compiled once: `CaptureResolver` finds the captured declarations beforehand.
@Suite struct CaptureResolverTests {
    /// What the compiler itself finds captured when it starts knowing nothing (the first of the two
    /// passes it used to make).
    static func compilerCaptures(_ statements: [Stmt], _ source: SourceFile) -> Set<Int> {
        let compiler = Compiler(library: Library.core(), source: source, globals: nil)
        _ = compiler.compileMain(statements, range: SourceRange(0, source.bytes.count))
        return compiler.captured
    }

    static func programs() -> [(name: String, text: String)] {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        let files = (try? FileManager.default.contentsOfDirectory(at: examples, includingPropertiesForKeys: nil)) ?? []
        let exampleTexts = files.filter { $0.pathExtension == "gpus" }.compactMap { url in
            (try? String(contentsOf: url, encoding: .utf8)).map { (url.lastPathComponent, $0) }
        }
        return GoldenScript.all().map { ($0.name, $0.text) } + exampleTexts
    }

    /// Every test script and example: the resolver finds exactly what the compiler finds, so each
    /// compiles in one pass, and no variable is boxed that need not be.
    @Test func findsWhatTheCompilerFindsInEveryScript() {
        let programs = Self.programs()
        #expect(programs.count > 200)
        var compared = 0
        for (name, text) in programs {
            let source = SourceFile(name: name, text: text)
            let parsed = Parser.parse(source)
            guard parsed.diagnostics.isEmpty else { continue }
            let found = CaptureResolver.captures(parsed.program.statements, globals: nil)
            let expected = Self.compilerCaptures(parsed.program.statements, source)
            #expect(found == expected, "\(name)")
            compared += 1
        }
        #expect(compared > 180)
    }

    /// Mutated test scripts (the fuzzer's programs) that still parse: redeclarations, shadowing and
    /// names out of place included.
    /// On a thread of its own, as the fuzz tests (seconds of compiling would hold one of the
    /// cooperative pool's two threads).
    @Test func findsWhatTheCompilerFindsInMutatedScripts() async {
        let (compared, mismatches) = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var random = FuzzTests.Random(state: 20_261_202)
                let seeds = FuzzTests.seeds()
                var compared = 0
                var mismatches: [String] = []
                for _ in 0..<2000 {
                    let source = SourceFile(name: "mutated", text: FuzzTests.program(&random, seeds: seeds))
                    let parsed = Parser.parse(source)
                    guard parsed.diagnostics.isEmpty else { continue }
                    let found = CaptureResolver.captures(parsed.program.statements, globals: nil)
                    if found != Self.compilerCaptures(parsed.program.statements, source) {
                        mismatches.append(source.text)
                    }
                    compared += 1
                }
                continuation.resume(returning: (compared, mismatches))
            }
        }
        #expect(compared > 200)
        #expect(mismatches.isEmpty, "\(mismatches.first ?? "")")
    }

    @Test func findsCapturesOfEveryKindOfScope() {
        let text = """
            let a = 1
            fn f(p, q = a) {
              let b = 2
              for i in [1] { defer print(i, b) }
              try { g() } catch e { let h = fn() { return e } }
              let xs = parallel for x in [1] { x + p }
              return fn() { return b }
            }
            fn g() { return a }
            let unused = 3
            """
        let source = SourceFile(name: "t", text: text)
        let statements = Parser.parse(source).program.statements
        let found = CaptureResolver.captures(statements, globals: nil)
        #expect(found == Self.compilerCaptures(statements, source))
        // a (default of q, and g), i and b (the defer, the lambda), e (the handler's lambda), p (the
        // parallel body); not unused, xs, q or x.
        #expect(found.count == 6)
    }

    /// Should the resolver miss a capture, the compiler compiles again with it: slower, never wrong.
    @Test func aMissedCaptureIsCompiledAgain() async {
        let text = """
            let count = 0
            let bump = fn() { count += 1 }
            bump()
            bump()
            print(count)
            """
        let source = SourceFile(name: "t", text: text)
        let statements = Parser.parse(source).program.statements
        let lines = Mutex<[String]>([])
        var options = Interpreter.Options()
        options.output = { line in lines.withLock { $0.append(line) } }
        let interpreter = Interpreter(library: Library.core(), options: options)
        let (main, diagnostics) = interpreter.compile(statements, source: source, globals: nil, captured: [])
        #expect(diagnostics.isEmpty)
        _ = await interpreter.run(main, source: source, token: CancellationToken())
        // Compiled with `count` unboxed, the closure would have counted in a copy: 0.
        #expect(lines.withLock { $0 } == ["2"])
    }
}
