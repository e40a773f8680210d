import Console
import Language
import LineEditor
import Testing

@Suite struct HistoryTests {
    @Test func blankAndRepeatedEntriesAreNotKept() {
        var entries: [String] = []
        for entry in ["let x = 1", "  ", "let x = 1", "if x {\n  print(x)\n}", "x"] {
            entries = History.adding(entry, to: entries)
        }
        #expect(entries == ["let x = 1", "if x {\n  print(x)\n}", "x"])
        #expect(
            History.adding("y", to: Array(repeating: "a", count: 5).enumerated().map { "\($0.offset)" }, limit: 3) == [
                "3", "4", "y",
            ])
    }
}

@Suite struct CompletionTests {
    func completer() async -> Completer {
        let library = Library.core()
        library.register(
            Builtin("vms.create", "Creates a VM.", parameters: [ParameterSpec("name")], body: .sync { _ in .null }))
        library.register(
            Builtin(
                "pods.create", "Creates a pod.",
                parameters: [ParameterSpec("name"), ParameterSpec("gpuType"), ParameterSpec("gpuCount")],
                body: .sync { _ in .null }))
        library.register(Builtin("vms.list", "Lists VMs.", body: .sync { _ in .null }))
        let session = Interpreter.Session(interpreter: Interpreter(library: library))
        _ = await session.evaluate("let machine = {status: \"running\", name: \"a\"}\nlet count = 3")
        return Completer(library: library, session: session) { parameter in
            switch parameter {
            case "gpuType": ["NVIDIA_H100_80G", "NVIDIA_H100_PCIe_80G", "NVIDIA_RTX_4090_24G"]
            case "name": ["trainer"]
            case "id": ["914732226619375627"]
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
        #expect(completion.candidates == ["gpuCount:", "gpuType:"])
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
        #expect(LineEditor.columns(["a", "bb", "ccc"], width: 10) == "a    bb\nccc")
    }

    /// The library is loaded at run time; on this machine (and in CI, which installs only the runtime
    /// library, libedit2) it is there.
    @Test func libeditLoadsAtRunTime() {
        #expect(LineEditor.lineEditingUnavailableReason == nil)
    }
}
