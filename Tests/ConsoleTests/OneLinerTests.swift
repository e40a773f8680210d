import Language
import TestSupport
import Testing

@testable import Console

/// `gpus pods list` and friends: commands generated from the built-ins' declarations.
@Suite struct OneLinerTests {
    static func library() -> Library {
        let library = Library.core()
        let none: Builtin.Body = .sync { _ in .null }
        library.register(Builtin("pods.list", "Pods.", parameters: [.optional("status", .string)], body: none))
        library.register(Builtin("pods.get", "One pod by id.", parameters: [ParameterSpec("id", .int)], body: none))
        library.register(
            Builtin(
                "pods.create", "Creates a pod.",
                parameters: [
                    ParameterSpec("name", .string), ParameterSpec("gpuCount", .int),
                    .optional("environmentVars", .map),
                    .optional("regions", .list),
                ], body: none))
        library.register(
            RecordType(
                name: "Pod", summary: "A pod", fields: [("id", ""), ("name", ""), ("status", "")],
                methods: [
                    Builtin("Pod.delete", "Deletes the pod.", body: none),
                    Builtin("Pod.scale", "Scales.", parameters: [ParameterSpec("workers", .int)], body: none),
                ]))
        library.declareResult(of: "pods.get", .record("Pod"))
        library.declareResult(of: "pods.create", .record("Pod"))
        library.declareStatuses(["initialize", "running", "terminated"], of: "Pod")
        return library
    }

    func code(_ words: [String], wait: Bool = false, json: Bool = false) throws -> String {
        try OneLiner.translate(namespace: "pods", words: words, wait: wait, json: json, library: Self.library()).code
    }

    @Test func flagsAreTheParametersInKebabCaseAndValuesAreLiterals() throws {
        #expect(try code(["list"]) == "pods.list()")
        #expect(try code(["list", "--status", "running"]) == #"pods.list(status: "running")"#)
        #expect(
            try code([
                "create", "--name", "a", "--gpu-count", "2", "--regions", "[\"us-east-1\"]",
                "--environment-vars={A: \"1\"}",
            ])
                == #"pods.create(name: "a", gpuCount: 2, regions: ["us-east-1"], environmentVars: {A: "1"})"#)
        #expect(
            try code(["create", "a", "2"]) == #"pods.create("a", 2)"#, "positional values fill parameters in order")
        // A string parameter takes the text as it is, even when it reads as a number.
        #expect(try code(["create", "--name", "101", "--gpu-count", "1"]) == #"pods.create(name: "101", gpuCount: 1)"#)
    }

    @Test func nothingTypedBecomesCode() throws {
        let hostile = #"x") + vms.create(name: "evil"); print("${env("HOME")}\"#
        let call = try OneLiner.translate(
            namespace: "pods", words: ["create", "--name", hostile, "--gpu-count", "1", "--env", "K=${env(\"HOME\")}"],
            library: Self.library())
        // The words are values in the tree, never parsed: one call, its name the text as typed.
        guard call.statements.count == 1, case .expression(.call(_, let arguments, _)) = call.statements[0],
            case .string(let parts, _)? = arguments.first?.value, case .map(let entries, _)? = arguments.last?.value,
            case .string(let value, _)? = entries.first?.value
        else {
            Issue.record("not one call with a string and a map: \(call.code)")
            return
        }
        #expect(parts.count == 1)
        if case .text(let text)? = parts.first { #expect(text == hostile) }
        if case .text(let text)? = value.first { #expect(text == "${env(\"HOME\")}") }
        // Shown as code, it is the same call (quoted so that it reads back as typed).
        let parsed = Parser.parse(SourceFile(name: "t", text: call.code))
        #expect(parsed.diagnostics.isEmpty)
        #expect(ASTDump.dump(parsed.program.statements) == ASTDump.dump(call.statements))
        // Not a literal: a string for a parameter that takes any value, a usage error for a number.
        #expect(
            try code(["create", "--name", "a", "--gpu-count", "1", "--regions", "vms.list()"])
                == #"pods.create(name: "a", gpuCount: 1, regions: ["vms.list()"])"#)
        #expect(throws: OneLiner.Problem.usage("--gpu-count takes an integer, like 1 (got 'vms.list()')")) {
            try code(["create", "--name", "a", "--gpu-count", "vms.list()"])
        }
    }

    @Test func methodsTakeAnIdOrAName() throws {
        #expect(try code(["delete", "915714451015991301"]).hasPrefix("let resource = pods.get(915714451015991301)\n"))
        let byName = try code(["scale", "web", "--workers", "3"])
        // The lookup by name is the built-in's own: `pods.get` takes an id or a name.
        #expect(byName.hasPrefix(#"let resource = pods.get("web")"#))
        #expect(byName.contains("let result = resource.scale(workers: 3)\n"))
        #expect(byName.hasSuffix("outcome(result)"))
        #expect(try code(["get", "web"]).hasSuffix("\nresource"))
        #expect(Parser.parse(SourceFile(name: "t", text: byName)).diagnostics.isEmpty)
    }

    @Test func waitWaitsForTheReadyState() throws {
        #expect(
            try code(["create", "--name", "a", "--gpu-count", "1"], wait: true)
                == "let pod = pods.create(name: \"a\", gpuCount: 1)\nwait until pod.status == running\npod"
        )
        #expect(throws: OneLiner.Problem.usage("--wait: 'pods list' does not make a resource to wait for")) {
            try code(["list"], wait: true)
        }
    }

    @Test func mistakesAreUsageErrorsWithSuggestions() {
        #expect(
            throws: OneLiner.Problem.usage(
                "'pods' has no command 'crate'; did you mean 'create'? (see 'gpus pods help')")
        ) {
            try code(["crate"])
        }
        #expect(
            throws: OneLiner.Problem.usage(
                "'pods create' has no flag --nme; did you mean --name? (see 'gpus pods create --help')")
        ) { try code(["create", "--nme", "x"]) }
        // A flag that starts with a parameter's name is that parameter, misnamed.
        #expect(
            throws: OneLiner.Problem.usage(
                "'pods create' has no flag --name-of-pod; did you mean --name? (see 'gpus pods create --help')")
        ) { try code(["create", "--name-of-pod", "x"]) }
        #expect(throws: OneLiner.Problem.usage("'pods create' needs --gpu-count (int)")) {
            try code(["create", "--name", "x"])
        }
        // Every missing flag at once.
        #expect(throws: OneLiner.Problem.usage("'pods create' needs --name (string), --gpu-count (int)")) {
            try code(["create"])
        }
        #expect(throws: OneLiner.Problem.usage("'pods delete' needs the id or name of the Pod first")) {
            try code(["delete"])
        }
        #expect(throws: OneLiner.Problem.usage("--name is given twice")) {
            try code(["create", "--name", "a", "--name", "b", "--gpu-count", "1"])
        }
    }

    @Test func helpIsGeneratedFromTheDeclarations() throws {
        do {
            _ = try code(["help"])
            Issue.record("expected help")
        } catch OneLiner.Problem.help(let text) {
            #expect(
                text.contains("  create --name STRING --gpu-count INT [--environment-vars] [--regions]  Creates a pod.")
            )
            #expect(text.contains("  get ID-OR-NAME"))
            #expect(text.contains("  scale ID-OR-NAME --workers INT"))
        }
        do {
            _ = try code(["create", "--help"])
            Issue.record("expected help")
        } catch OneLiner.Problem.help(let text) {
            #expect(text.contains("  --gpu-count INT"))
            #expect(
                text.contains(
                    "  --environment-vars K=V (optional; repeat it for more; --env-file FILE reads K=V lines; or --env K=V)"
                ))
            #expect(text.contains("  --regions VALUE (optional; repeat it for more)"))
        }
    }

    /// Any words after a command: a usage error or help, or a call that prints as code which
    /// parses back to the same tree and compiles — never a crash. Words from the shapes people
    /// type, and from the ones that broke parsers before (quotes, `${`, braces, unicode).
    @Test func anyWordsAreAUsageErrorOrACallThatCompiles() async throws {
        let library = Self.library()
        nonisolated(unsafe) let shared = library
        try await offPool {
            let pieces = [
                "create", "list", "get", "delete", "scale", "help", "--name", "--gpu-count", "--regions", "--env",
                "--environment-vars", "--nme", "--no-keep", "--help", "--name=", "--gpu-count=2", "--", "-o", "a",
                "101", "-1", "2.5", "5m", "true", "null", "K=V", "=", "A=${x}", "\"", "\\", "${", "{", "}",
                "[", "]", "{A: \"1\"}", "[1, 2]", "é", "🚀", " ", "\n", "915714451015991301",
                "99999999999999999999", "vms.list()", "(", ")", "fn", "\u{0}",
            ]
            var generator = SystemRandomNumberGenerator()
            var calls = 0
            for _ in 0..<3000 {
                let count = Int.random(in: 0...6, using: &generator)
                let command = ["create", "list", "get", "delete", "scale"].randomElement(using: &generator) ?? ""
                let words = [command] + (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }
                let call: OneLiner
                do {
                    call = try OneLiner.translate(
                        namespace: "pods", words: words, wait: Bool.random(using: &generator), library: shared)
                } catch {
                    continue
                }
                calls += 1
                let parsed = Parser.parse(SourceFile(name: "fuzz", text: call.code))
                #expect(parsed.diagnostics.isEmpty, "\(words): \(call.code)")
                #expect(
                    ASTDump.dump(parsed.program.statements) == ASTDump.dump(call.statements), "\(words): \(call.code)")
            }
            #expect(calls > 100)
        }
    }
}
