import Foundation
import Language
import Synchronization
import Testing

/// Runs every annotated script in `Scripts/`: a new test is a new file.
///
/// - `# expect: TEXT` — the next line the program prints (in order).
/// - `# expect error: TEXT` — on the line of a syntax or resolution error, whose message contains TEXT;
///   nothing runs.
/// - `# expect runtime error: TEXT` — on the line where the program stops with an error whose
///   message contains TEXT.
/// - `# expect exit: N` — the program ends with `exit N`.
struct GoldenScript: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String

    var testDescription: String { name }

    static func all() -> [GoldenScript] {
        guard let folder = Bundle.module.url(forResource: "Scripts", withExtension: nil),
            let files = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        else { return [] }
        return files.filter { $0.pathExtension == "gpus" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            .compactMap { url in
                (try? String(contentsOf: url, encoding: .utf8)).map {
                    GoldenScript(name: url.lastPathComponent, text: $0)
                }
            }
    }

    struct Expectations {
        var output: [String] = []
        var errors: [(line: Int, text: String)] = []
        var runtimeError: (line: Int, text: String)?
        var exit: Int32?
    }

    var expectations: Expectations {
        var result = Expectations()
        for (index, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init
        ).enumerated() {
            for (marker, kind) in [
                ("# expect runtime error: ", 2), ("# expect error: ", 1), ("# expect exit: ", 3), ("# expect: ", 0),
            ] {
                guard let range = line.range(of: marker) else { continue }
                var value = String(line[range.upperBound...])
                if value.hasSuffix("\r") { value.removeLast() }
                switch kind {
                case 0: result.output.append(value)
                case 1: result.errors.append((index + 1, value))
                case 2: result.runtimeError = (index + 1, value)
                default: result.exit = Int32(value)
                }
                break
            }
        }
        return result
    }
}

final class OutputCollector: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ text: String) {
        lines.withLock { $0 += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }
}

@Suite struct GoldenScriptTests {
    @Test func thereAreEnoughScripts() {
        #expect(GoldenScript.all().count >= 150)
    }

    @Test(arguments: GoldenScript.all())
    func script(_ script: GoldenScript) async throws {
        let expected = script.expectations
        let output = OutputCollector()
        let reported = output
        let interpreter = Interpreter(
            library: Library.core(),
            options: Interpreter.Options(
                clock: VirtualClock(), parallelism: 4, output: { output.append($0) },
                report: { reported.append("defer error: \($0.message)") }))
        let source = SourceFile(name: script.name, text: script.text)
        let outcome = await interpreter.run(source)
        switch outcome {
        case .invalid(let diagnostics):
            let found = diagnostics.map { (source.location(of: $0.range.start).line, $0.message) }
            #expect(!expected.errors.isEmpty, "unexpected errors: \(found)")
            #expect(found.count == expected.errors.count, "expected \(expected.errors.count) errors, got \(found)")
            for (line, text) in expected.errors {
                #expect(
                    found.contains { $0.0 == line && $0.1.contains(text) },
                    "no error containing '\(text)' at line \(line); got \(found)")
            }
            #expect(output.all.isEmpty, "output despite syntax errors")
            return
        case .failed(let error):
            let line = source.location(of: error.range.start).line
            guard let (expectedLine, text) = expected.runtimeError else {
                Issue.record("unexpected runtime error at line \(line): \(error.message)")
                return
            }
            #expect(
                line == expectedLine && error.message.contains(text),
                "got runtime error at line \(line): \(error.message)")
        case .exited(let code):
            #expect(expected.exit == code, "exited with \(code)")
        case .finished:
            #expect(expected.errors.isEmpty, "expected errors \(expected.errors)")
            #expect(expected.runtimeError == nil, "expected a runtime error: \(expected.runtimeError?.text ?? "")")
            #expect(expected.exit == nil)
        case .interrupted:
            Issue.record("interrupted")
        }
        #expect(output.all == expected.output)
    }
}
