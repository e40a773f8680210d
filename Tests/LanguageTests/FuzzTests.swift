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
        "running", "xs.map", "append", "@", "é", "\\", " ? ", " : ",
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

    /// The shapes that crashed the interpreter before (findings: language #1–#8, reliability D7–D13):
    /// long operator chains, deep nests, self-containing values, extreme numbers and huge sizes, each
    /// with random parameters, so the fuzzer keeps looking where crashes were found.
    static func hostile(_ random: inout Random) -> String {
        let sizes = [2, 199, 201, 1_001, 5_000, 30_000]
        func size() -> Int { sizes[random.next(sizes.count)] }
        func pick(_ items: [String]) -> String { items[random.next(items.count)] }
        switch random.next(7) {
        case 0:
            let term = pick(["1", "x", "\"s\"", "1.5", "1s", "[1]", "true"])
            let op = pick([" + ", " and ", " or ", " * ", " - ", " == ", " < ", " / ", " % "])
            return "let x = 1\nprint(" + Array(repeating: term, count: size()).joined(separator: op) + ")"
        case 1:
            let n = size()
            switch random.next(6) {
            case 0: return "print(" + String(repeating: pick(["not ", "-", "- "]), count: n) + "1)"
            case 4:
                // Conditionals nested n deep, on the chosen side or the other (`c ? c ? 1 : 0 : 0`).
                let test = pick(["true", "x", "null", "[]"])
                return random.next(2) == 0
                    ? "let x = 1\nprint(" + String(repeating: "\(test) ? ", count: n) + "1"
                        + String(repeating: " : 0", count: n) + ")"
                    : "let x = 1\nprint(" + String(repeating: "\(test) ? 1 : ", count: n) + "0)"
            case 1:
                return "let m = {a: 1}\nprint(m" + String(repeating: pick([".a", "[0]", "()", ".len"]), count: n) + ")"
            case 2:
                let (open, close) = [("(", ")"), ("[", "]"), ("{a: ", "}"), ("\"${", "}\"")][random.next(4)]
                return "print(" + String(repeating: open, count: n) + "1" + String(repeating: close, count: n) + ")"
            case 3:
                let (open, close) = [
                    ("if true { ", "}"), ("fn f() { ", "}"), ("while false { ", "}"), ("try { ", "} catch e {}"),
                    ("for i in 0..<1 { ", "}"), ("() -> ", ""), ("defer ", ""), ("defer { ", "}"),
                ][random.next(8)]
                return String(repeating: open, count: n) + "print(1)" + String(repeating: close, count: n)
            default:
                return
                    "let x = []\nfor i in 0..<\(n) { x = [x] }\nprint(\(pick(["json(x)", "x == x", "str(x)", "len(x)", "x"])))"
            }
        case 2:
            let make = pick([
                "let v = []\nv.append(v)", "let v = {}\nv[\"self\"] = v", "let v = [[]]\nv[0].append(v)",
                "let a = []\nlet b = [a]\na.append(b)\nlet v = a",
            ])
            let use = pick([
                "print(v)", "json(v)", "str(v)", "v == v", "v == v.copy()", "print([v, v])", "v.contains(1)",
                "len(v)", "print({k: v})", "\"x\" in v", "help(v)", "type(v)", "v.unique()", "[v].sort()",
            ])
            return make + "\n" + use
        case 3:
            let values = [
                "9223372036854775807", "(-9223372036854775807 - 1)", "1e308", "-1e308", "float(\"nan\")",
                "float(\"inf\")", "0", "-1", "9000000000000000000ms", "1d", "0.5", "-0.0", "2", "1s", "now()",
                "time(9223372036854775807)", "time(-9223372036854775807 - 1)", "time(\"2026-12-01T09:30:00Z\")",
            ]
            let expressions = [
                "A + B", "A - B", "A * B", "A / B", "A % B", "-A", "A..B", "A..<B", "len(A..B)", "(A..B)[-1]",
                "round(A)", "round(A, B)", "abs(A)", "int(A)", "float(A)", "sleep(A)", "str(A)", "A == B", "A < B",
                "range(A, B)", "(A..B).list()", "\"x\".repeat(A)", "A in (A..B)", "json(A)", "min(A, B)", "time(A)",
                "time(str(A))", "A.epochMs", "str(A)",
            ]
            return (0..<(1 + random.next(4))).map { _ in
                "try { print("
                    + pick(expressions).replacingOccurrences(of: "A", with: pick(values)).replacingOccurrences(
                        of: "B", with: pick(values)) + ") } catch e { print(e.message) }"
            }.joined(separator: "\n")
        case 4:
            return pick([
                "let s = \"ab\"\nwhile true { s = s + s }",
                "let l = [1]\nwhile true { l = l + l }",
                "let l = [1]\nwhile true { l.extend(l) }",
                "print(len(\"x\".repeat(10000000).repeat(10000000)))",
                "let l = []\nfor i in 0..<100000000 { l.append(i) }",
                "print((0..<9223372036854775807).list())",
                "let m = {}\nfor i in 0..<100000 { m[str(i)] = i }\nfor i in 0..<100000 { m.remove(str(i)) }\nprint(len(m))",
                "let xs = [5, 4, 3, 2, 1]\nxs.sort(fn(a, b) { xs.append(0)\nreturn a < b })\nprint(len(xs))",
                "let xs = [5, 4, 3]\nxs.sort(x -> xs.pop())",
                "print(\"x\".repeat(" + pick(["-1", "10000001", "9223372036854775807"]) + "))",
            ])
        case 5:
            // Recursion through every path that calls a function: a default value, an interpolation,
            // a comparator, a map function, a deferred statement, a parallel body.
            return pick([
                "fn f(a = f()) { return a }\nprint(f())",
                "try { fn f(a = f()) { return a }\nf() } catch e { print(e.message) }",
                "fn g(a = 1, b = g(a)) { return b }\nprint(g(2))",
                "fn f() { return \"${f()}\" }\nprint(f())",
                "fn f(x) { return [2, 1].sort((a, b) -> f(a) < b) }\nprint(f(1))",
                "fn f(x) { return [x].map(y -> f(y)) }\nprint(f(1))",
                "fn f() { defer f()\nreturn 1 }\nprint(f())",
                "fn f() { return parallel for i in 0..<1 { f() } }\nprint(f())",
            ])
        default:
            let n = size()
            return "fn f(n) { if n <= 0 { return 0 }\nreturn f(n - 1) + 1 }\nprint(f(\(n)))\n"
                + "let r = parallel for i in 0..<\(min(n, 64)) { i }\nprint(len(r))"
        }
    }

    static func program(_ random: inout Random, seeds: [String]) -> String {
        if random.next(4) == 0 { return hostile(&random) }
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

    /// On a thread of its own (20 s in a debug build): on the cooperative pool it would hold one of
    /// its two threads from the suites that wait on servers and databases for that long.
    @Test func lexerParserAndCheckerSurviveRandomPrograms() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
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
                continuation.resume()
            }
        }
    }

    @Test func evaluatorSurvivesRandomProgramsWithinATimeLimit() async {
        let interpreter = Interpreter(
            library: .core(), options: Interpreter.Options(clock: VirtualClock(), output: { _ in }))
        // The programs that pass the check, found on a thread of its own: checking is synchronous,
        // and on the cooperative pool it held one of its two threads for most of a minute (a
        // cancelled sleep elsewhere in the suite then took 24 s to end).
        let programs = await withCheckedContinuation { (continuation: CheckedContinuation<[String], Never>) in
            Thread.detachNewThread {
                var random = Random(state: Self.seed &+ 7)
                let seeds = Self.seeds()
                var valid: [String] = []
                for _ in 0..<(Self.scale / 8) {
                    let source = SourceFile(name: "fuzz", text: Self.program(&random, seeds: seeds))
                    Self.remember(source.text)
                    if interpreter.check(source).isEmpty { valid.append(source.text) }
                }
                continuation.resume(returning: valid)
            }
        }
        var ran = 0
        for text in programs {
            let source = SourceFile(name: "fuzz", text: text)
            Self.remember(source.text)
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
