import Console
import Foundation
import Language
import Terminal
import TestSupport
import Testing

@Suite struct CompletionTests {
    func completer() async -> Completer {
        let library = Library.core()
        library.register(
            Builtin(
                "vms.create", "Creates a VM.", parameters: [ParameterSpec("name"), .optional("vmTypeId", .int)],
                body: .sync { _ in .null }))
        library.register(
            Builtin(
                "pods.create", "Creates a pod.",
                parameters: [ParameterSpec("name"), ParameterSpec("gpuType"), ParameterSpec("gpuCount")],
                body: .sync { _ in .null }))
        library.register(Builtin("vms.list", "Lists VMs.", body: .sync { _ in .null }))
        let session = Interpreter.Session(interpreter: Interpreter(library: library))
        _ = await session.evaluate("let machine = {status: \"running\", name: \"a\"}\nlet count = 3")
        return Completer(library: library, session: session) { parameter, _ in
            switch parameter {
            case "gpuType":
                ["NVIDIA_H100_80G", "NVIDIA_H100_PCIe_80G", "NVIDIA_RTX_4090_24G"].map { CompletionValue($0) }
            case "name": [CompletionValue("trainer")]
            case "id": [CompletionValue("914732226619375627")]
            case "vmTypeId": [CompletionValue("101", note: "NVIDIA_RTX_4090_24G, us-east-1")]
            default: []
            }
        }
    }

    @Test func namespaceOperationsComplete() async {
        let completion = await completer().complete("let vm = vms.cr")
        #expect(completion.insertion == "eate(")
        #expect(await completer().complete("vms.").candidates == ["create", "list"])
    }

    @Test func namedArgumentsInsideABuiltinCall() async {
        let completion = await completer().complete("pods.create(gpu")
        // In the order of the signature.
        #expect(completion.candidates == ["gpuType:", "gpuCount:"])
        #expect(completion.insertion == "")
        #expect(await completer().complete("pods.create(name: \"a\", gpuT").insertion == "ype: ")
        // A value position completes values, not parameter names.
        #expect(await completer().complete("pods.create(name: cou").insertion == "nt")
    }

    @Test func argumentValuesFromTheHost() async {
        let codes = await completer().complete("pods.create(name: \"a\", gpuType: \"NVIDIA_H1")
        #expect(codes.candidates == ["NVIDIA_H100_80G", "NVIDIA_H100_PCIe_80G"])
        #expect(codes.insertion == "00_")
        #expect(await completer().complete("pods.create(gpuType: \"NVIDIA_RTX").insertion == "_4090_24G\"")
        #expect(await completer().complete("vms.create(\"tr").insertion == "ainer\"")
        #expect(
            !(await completer().complete("pods.create(name: \"a\", gpuCount: ").candidates.contains("NVIDIA_H100_80G")))
        // An id parameter takes its values bare (`vmTypeId: 101`), not every name in scope.
        #expect(await completer().complete("vms.create(name: \"a\", vmTypeId: ").insertion == "101")
    }

    @Test func keywordsVariablesAndBuiltins() async {
        #expect(await completer().complete("whi").insertion == "le")
        #expect(await completer().complete("mach").insertion == "ine")
        #expect(await completer().complete("cou").insertion == "nt")
        #expect(await completer().complete("pri").insertion == "nt(")
        #expect(await completer().complete("xyz").candidates.isEmpty)
    }

    @Test func fieldsAndMethodsOfAVariablesValue() async {
        let completion = await completer().complete("machine.st")
        #expect(completion.insertion == "atus")
        #expect(await completer().complete("machine.").candidates.contains("keys"))
    }

    @Test func severalCandidatesInsertTheCommonPrefixAndAreListed() async {
        let completion = await completer().complete("co")
        #expect(completion.insertion == "")
        #expect(completion.candidates.contains("continue") && completion.candidates.contains("count"))
        #expect(Completion.columns(["a", "bb", "ccc"], width: 10) == "a    bb\nccc")
    }

    /// The library is loaded at run time; on this machine (and in CI, which installs only the runtime
    /// library, libedit2) it is there.
    @Test func libeditLoadsAtRunTime() {
        #expect(LineEditor.lineEditingUnavailableReason == nil)
    }
}

/// Completion that knows kinds: ids of the right kind with their name and status, status words of
/// the record's kind, method arguments, values inside map and list literals, the signature, and
/// meta-commands with their arguments.
@Suite struct CompletionByKindTests {
    func completer() async -> Completer {
        let library = Library.core()
        let pod = RecordType(name: "Pod", summary: "A pod", fields: [("id", ""), ("name", ""), ("status", "")])
        library.register(pod)
        library.declareStatuses(["initialize", "running", "paused", "failed"], of: "Pod")
        library.declareStatuses(["initializing", "running", "stopped", "terminated"], of: "VM")
        library.register(
            Builtin("pods.get", "One pod.", parameters: [ParameterSpec("id", .int)], body: .sync { _ in .null }))
        library.register(
            Builtin(
                "endpoints.create", "Creates an endpoint.",
                parameters: [
                    ParameterSpec("name", .string),
                    ParameterSpec("resources", .list, "list of {region, gpuType, gpuCount}"),
                    .optional("regions", .list),
                ],
                body: .sync { _ in .null }))
        library.registerMethod(
            Builtin(
                "Pod.metrics", "A metric.", parameters: [ParameterSpec("metric", .string)], body: .sync { _ in .null }),
            on: "Pod")
        let record = Record(type: pod, fields: ["id": .int(7), "name": .string("w1"), "status": .status("running")])
        library.register(Builtin("pods.sample", "A pod.", body: .sync { _ in .record(record) }))
        let session = Interpreter.Session(interpreter: Interpreter(library: library))
        _ = await session.evaluate("let p = pods.sample()\nlet ps = [p]")
        return Completer(library: library, session: session) { parameter, kind in
            switch (parameter, kind) {
            case ("id", "Pod"): [CompletionValue("7", note: "w1, running")]
            case ("id", _): [CompletionValue("7", note: "w1, running"), CompletionValue("99", note: "a VM")]
            case ("gpuType", _): [CompletionValue("NVIDIA_H100_80G"), CompletionValue("NVIDIA_RTX_4090_24G")]
            case ("regions", _), ("region", _): [CompletionValue("us-east-1"), CompletionValue("us-west-2")]
            case ("metric", _): [CompletionValue("gpu"), CompletionValue("gpuMemory"), CompletionValue("cpu")]
            default: []
            }
        }
    }

    @Test func idsOfTheCallsKindOnlyWithNameAndStatus() async {
        let completion = await completer().complete("pods.get(id: ")
        #expect(completion.insertion == "7")
        #expect(completion.candidates == ["7 (w1, running)"])
    }

    @Test func statusWordsOfTheRecordsKind() async {
        let completion = await completer().complete("wait until p.status == ")
        #expect(completion.candidates == ["failed", "initialize", "paused", "running"])
        #expect(await completer().complete("wait until p.status == ru").insertion == "nning")
        #expect(await completer().complete("wait until ps[0].status == ").candidates.contains("initialize"))
        #expect(await completer().complete("wait until ps[0].status == ").candidates.count == 4)
    }

    @Test func theSignatureAboveTheParameterNames() async {
        let completion = await completer().complete("endpoints.create(")
        #expect(completion.heading == "endpoints.create(name: string, resources: list, regions?: list)")
        #expect(completion.candidates == ["name:", "resources:", "regions:"])
        #expect(completion.listing()?.hasPrefix("endpoints.create(name: string") == true)
    }

    @Test func insideMapAndListLiterals() async {
        #expect(await completer().complete("endpoints.create(name: \"a\", resources: [{gpuT").insertion == "ype: ")
        let codes = await completer().complete("endpoints.create(name: \"a\", resources: [{gpuType: \"NVIDIA_R")
        #expect(codes.insertion == "TX_4090_24G\"")
        let second = await completer().complete(
            "endpoints.create(resources: [{gpuType: \"NVIDIA_H100_80G\", region: \"us-e")
        #expect(second.insertion == "ast-1\"")
        #expect(await completer().complete("endpoints.create(regions: [\"us-w").insertion == "est-2\"")
        #expect(await completer().complete("endpoints.create(regions: [\"us-east-1\", \"us-w").insertion == "est-2\"")
    }

    @Test func methodArguments() async {
        #expect(await completer().complete("p.metrics(m").insertion == "etric: ")
        let metric = await completer().complete("p.metrics(\"gpu")
        #expect(metric.candidates == ["gpu", "gpuMemory"])
    }

    @Test func metaCommandsAndTheirArguments() async throws {
        #expect(await completer().complete(":lo").insertion == "ad ")
        #expect(await completer().complete(":h").candidates == [":h", ":help", ":history"])
        #expect(await completer().complete(":help endpoints.cr").insertion == "eate")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-completion-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "print(1)".write(to: folder.appendingPathComponent("recipe.gpus"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        #expect(await completer().complete(":load \(folder.path)/re").insertion == "cipe.gpus")
        #expect(await completer().complete(":load \(folder.path)/").candidates == ["recipe.gpus", "sub/"])
    }
}

@Suite struct TextWrapTests {
    @Test func longLinesBreakAtSpacesUnderTheirIndentation() {
        let line =
            "  .metrics(metric, start?, end?, step?) — A metric of the pod: cpu, gpu, memory, gpuMemory or storage."
        let wrapped = TextWrap.wrap(line + "\nshort", width: 40)
        #expect(
            wrapped == """
                  .metrics(metric, start?, end?, step?)
                      — A metric of the pod: cpu, gpu,
                      memory, gpuMemory or storage.
                short
                """)
        #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= 40 })
        #expect(TextWrap.wrap(line, width: 0) == line)
    }
}

/// TAB runs inside libedit's callback: no text before the cursor may crash the completer.
@Suite struct CompletionFuzzTests {
    /// On a thread of its own: on the cooperative pool the loop would hold one of its two threads for
    /// seconds from the suites that wait for an interpreter or a server.
    @Test func anyTextBeforeTheCursorCompletesOrDoesNothing() async throws {
        // Handed to the thread and used only there.
        nonisolated(unsafe) let completer = await CompletionByKindTests().completer()
        try await offPool { Self.fuzz(completer) }
    }

    static func fuzz(_ completer: Completer) {
        let pieces = [
            "pods.get(", "endpoints.create(", "p.metrics(", "p.status == ", "ps[0].status != ", ":load ", ":help ",
            ":", "\"", "\\", "\\\"", "${", "}", "{", "[", "]", "(", ")", ",", ": ", "gpuType: \"N", "resources: [{",
            "x", ".", "..", "é", "🚀", " ", "\n", "\t", "regions: [\"", "0", "-", "id: ", "wait until ", "let ",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let count = Int.random(in: 0...8, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            let completion = completer.complete(text)
            // Whatever it offers, the listing can be drawn.
            _ = completion.listing(width: 80)
            _ = completion.listing(width: 0)
        }
    }
}
