import Foundation
import Language
import Testing

/// Seeded random and mutated programs never crash or hang the lexer, parser, checker or evaluator.
/// (`scripts/fuzz-language` runs far more of them.)
@Suite struct FuzzTests {
    static let fragments = [
        "let ", "x", "y", " = ", "1", "2.5", "\"s${x}\"", "(", ")", "[", "]", "{", "}", ",", ":", ".", "..", "..<",
        " + ", " - ", " * ", " / ", " % ", " == ", " < ", " and ", " or ", "not ", " in ", "->", "fn ", "f", "if ",
        " else ", "while ", "for ", "return", "break", "continue", "try", " catch ", "e", "throw ", "defer ",
        "wait until ",
        " timeout ", "1s", "5m", "exit", "parallel for ", "print", "len", "\n", ";", "#c\n", "\"", "${", "null", "true",
        "running", "xs.map", "append", "@", "é", "\\",
    ]

    /// A small seeded generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(1, bound)))
        }
    }

    static func program(_ random: inout Random, seeds: [String]) -> String {
        if !seeds.isEmpty, random.next(2) == 0 {
            // Mutate a real program: delete, duplicate or replace a slice.
            var characters = Array(seeds[random.next(seeds.count)])
            for _ in 0..<(1 + random.next(4)) where !characters.isEmpty {
                let start = random.next(characters.count)
                let end = min(characters.count, start + random.next(12))
                switch random.next(3) {
                case 0: characters.removeSubrange(start..<end)
                case 1: characters.insert(contentsOf: characters[start..<end], at: start)
                default: characters.replaceSubrange(start..<end, with: Array(fragments[random.next(fragments.count)]))
                }
            }
            return String(characters)
        }
        return (0..<(1 + random.next(40))).map { _ in fragments[random.next(fragments.count)] }.joined()
    }

    static func seeds() -> [String] {
        GoldenScript.all().map(\.text)
    }

    /// `scripts/fuzz-language` raises the counts and asks for each input to be written to a file
    /// before it runs, so that a crash or a hang names its input.
    static let environment = ProcessInfo.processInfo.environment
    static let scale = Int(environment["GPUS_FUZZ_COUNT"] ?? "") ?? 3000
    static let seed = UInt64(environment["GPUS_FUZZ_SEED"] ?? "") ?? 20_261_129

    static func remember(_ text: String) {
        guard let path = environment["GPUS_FUZZ_CURRENT"] else { return }
        try? text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func lexerParserAndCheckerSurviveRandomPrograms() {
        var random = Random(state: Self.seed)
        let seeds = Self.seeds()
        let interpreter = Interpreter(library: .core())
        for _ in 0..<Self.scale {
            let text = Self.program(&random, seeds: seeds)
            Self.remember(text)
            let source = SourceFile(name: "fuzz", text: text)
            _ = Lexer.tokens(source)
            let parsed = Parser.parse(source)
            _ = DiagnosticRenderer().render(parsed.diagnostics, in: source)
            _ = interpreter.check(source)
        }
    }

    @Test func evaluatorSurvivesRandomProgramsWithinATimeLimit() async {
        var random = Random(state: Self.seed &+ 7)
        let seeds = Self.seeds()
        let interpreter = Interpreter(
            library: .core(), options: Interpreter.Options(clock: VirtualClock(), output: { _ in }))
        var ran = 0
        for _ in 0..<(Self.scale / 8) {
            let source = SourceFile(name: "fuzz", text: Self.program(&random, seeds: seeds))
            Self.remember(source.text)
            guard interpreter.check(source).isEmpty else { continue }
            let token = CancellationToken()
            let timer = Task {
                try? await Task.sleep(for: .milliseconds(300))
                token.cancel()
            }
            _ = await interpreter.run(source, token: token)
            timer.cancel()
            ran += 1
        }
        // Most random programs fail the check; some must have run.
        #expect(ran > 10)
    }
}
