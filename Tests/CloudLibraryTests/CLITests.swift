import Foundation
import Sandbox
import TestSupport
import Testing
import YottaAPI

/// The built `gpus` binary running recipes against its embedded sandbox (a state file per test).
@Suite struct CLITests {
    /// The folder of one test's scripts and state, removed after it.
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("gpus-cli") }

    func temporary(_ name: String) throws -> URL { folder.url.appendingPathComponent(name) }

    func launch(_ arguments: [String], state: URL, stdin: ChildProcess.Stream = .null) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["GPUS_SANDBOX_STATE"] = state.path
        environment["XDG_STATE_HOME"] = state.deletingLastPathComponent().path + "/xdg-state"
        environment["GPUS_SANDBOX_SPEED"] = "100"
        environment.removeValue(forKey: "YOTTA_API_KEY")
        return try ChildProcess([Built.gpus.path] + arguments, environment: environment, stdin: stdin, in: folder.url)
    }

    func vmStatuses(_ state: URL) async throws -> [String] {
        let service = SandboxService(store: try SandboxStore(path: state.path), options: SandboxOptions())
        let response = await service.handle(SandboxRequest(method: "GET", path: "/v2/vms"))
        let json = try JSONDecoder().decode(JSONValue.self, from: response.body)
        guard case .array(let items)? = json["data"]?["items"] else { return [] }
        return items.compactMap { if case .string(let status)? = $0["status"] { status } else { nil } }
    }

    /// Piped input reads like a file (an `else` on the line after an `if`'s `}` continues it), but a
    /// producer that waits for our output before it writes more — a driver, an agent — is not
    /// waited on: the `if` runs when nothing more has been written.
    @Test func pipedInputLooksAheadOnlyAtWhatIsWritten() async throws {
        let input = Pipe()
        let process = try launch(
            [], state: try temporary("state.sqlite"), stdin: .descriptor(input.fileHandleForReading.fileDescriptor))
        let writer = input.fileHandleForWriting
        writer.write(Data("if false { print(1) }\nelse { print(\"else ran\") }\nif true { print(\"if ran\") }\n".utf8))
        try await process.waitFor("if ran", timeout: 30)
        #expect(process.stdout.contains("else ran") && process.isRunning, "\(process.stderr)")
        writer.write(Data("print(\"next\")\n".utf8))
        try await process.waitFor("next", timeout: 30)
        try writer.close()
        #expect(try await process.finish(timeout: 30) == 0, "\(process.stderr)")
    }

    @Test func ctrlCDuringAWaitRunsTheDefers() async throws {
        let script = try temporary("wait.gpus")
        try """
        let vm = vms.create(name: "interrupted", vmTypeId: 101, region: "us-east-1")
        defer print("cleanup ran")
        defer vm.terminate()
        print("created")
        wait until vm.status == stopped timeout 1h
        """.write(to: script, atomically: true, encoding: .utf8)
        let state = script.deletingLastPathComponent().appendingPathComponent("state.sqlite")
        let process = try launch([script.path], state: state)
        // The wait starts as soon as "created" is printed.
        try await process.waitFor("created")
        let interrupted = Date()
        process.signal(SIGINT)
        // Waited for on a thread of its own: a busy cooperative pool would notice the exit late.
        let status = try await offPool { try process.finishBlocking(timeout: 30) }
        // Idle, it ends in 10 ms; beside the whole suite on two cores its exit (the defers: a terminate,
        // the ledger's synchronous writes) took 3.3 s once. A wait that ignored the signal would last
        // its hour: the bound is for that. (The REPL's Ctrl-C in a wait is timed in TerminalTests.)
        #expect(Date().timeIntervalSince(interrupted) < 15)
        #expect(status == 130, "\(process.stderr)")
        #expect(process.stdout.contains("cleanup ran"))
        #expect(try await vmStatuses(state) == ["terminated"])
    }

    @Test func cleanupDeletesWhatARunCreatedWhenItFails() async throws {
        let script = try temporary("fail.gpus")
        try """
        let vm = vms.create(name: "leaky", vmTypeId: 101, region: "us-east-1")
        let vol = volumes.create(name: "leaky-data", storageType: "S3")
        throw "midway failure"
        """.write(to: script, atomically: true, encoding: .utf8)
        let state = script.deletingLastPathComponent().appendingPathComponent("state.sqlite")
        let process = try launch(["run", "--cleanup", script.path], state: state)
        #expect(try await process.finish() == 1)
        let stderr = process.stderr
        #expect(stderr.contains("midway failure"))
        #expect(stderr.contains("deleted VM leaky"))
        #expect(stderr.contains("deleted Volume leaky-data"))
        #expect(try await vmStatuses(state) == ["terminated"])
    }
}

extension CLITests {
    @Test func checkFindsMistakesWithoutRunning() async throws {
        let good = try temporary("good.gpus")
        try "let vm = vms.create(name: \"a\", vmTypeId: 101, region: \"us-east-1\")\nprint(vm.name)\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let bad = good.deletingLastPathComponent().appendingPathComponent("bad.gpus")
        try
            "let vm = vms.create(name: \"a\", vmTypId: 101, region: \"us-east-1\")\nlet total = 1\nprint(totl)\npods.crate(name: \"x\")\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let state = good.deletingLastPathComponent().appendingPathComponent("state.sqlite")
        let passing = try launch(["check", good.path], state: state)
        #expect(try await passing.finish() == 0)
        #expect(passing.stdout.contains("no problems"))
        let failing = try launch(["check", good.path, bad.path], state: state)
        #expect(try await failing.finish() == 65)
        let errors = failing.stderr
        let expected = [
            "bad.gpus:1:32: error: 'vms.create' has no parameter 'vmTypId'; did you mean 'vmTypeId'?",
            "bad.gpus:3:7: error: undeclared variable 'totl'; did you mean 'total'?",
            "bad.gpus:4:6: error: 'pods' has no function 'crate'; did you mean 'pods.create'?",
            "3 problem(s) in 2 file(s)",
        ]
        for line in expected { #expect(errors.contains(line), "missing: \(line)\n\(errors)") }
        // Nothing ran: no sandbox state was created.
        #expect(!FileManager.default.fileExists(atPath: state.path))
    }
}
