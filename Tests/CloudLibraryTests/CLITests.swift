import Foundation
import Sandbox
import Synchronization
import Testing
import YottaAPI

/// The built `gpus` binary running recipes against its embedded sandbox (a state file per test).
@Suite struct CLITests {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gpus")
    }

    func temporary(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }

    final class Capture: Sendable {
        let text = Mutex("")
        func attach(_ pipe: Pipe) {
            pipe.fileHandleForReading.readabilityHandler = { [self] handle in
                let chunk = String(decoding: handle.availableData, as: UTF8.self)
                text.withLock { $0 += chunk }
            }
        }
        var value: String { text.withLock { $0 } }
    }

    func launch(_ arguments: [String], state: URL) throws -> (Process, Capture, Capture) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GPUS_SANDBOX_STATE"] = state.path
        environment["XDG_STATE_HOME"] = state.deletingLastPathComponent().path + "/xdg-state"
        environment["GPUS_SANDBOX_SPEED"] = "100"
        environment.removeValue(forKey: "YOTTA_API_KEY")
        process.environment = environment
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        let (stdout, stderr) = (Capture(), Capture())
        stdout.attach(out)
        stderr.attach(err)
        try process.run()
        return (process, stdout, stderr)
    }

    func vmStatuses(_ state: URL) async throws -> [String] {
        let service = SandboxService(store: try SandboxStore(path: state.path), options: SandboxOptions())
        let response = await service.handle(SandboxRequest(method: "GET", path: "/v2/vms"))
        let json = try JSONDecoder().decode(JSONValue.self, from: response.body)
        guard case .array(let items)? = json["data"]?["items"] else { return [] }
        return items.compactMap { if case .string(let status)? = $0["status"] { status } else { nil } }
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
        let (process, stdout, stderr) = try launch([script.path], state: state)
        let deadline = Date().addingTimeInterval(20)
        while !stdout.value.contains("created"), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(1500))  // inside the wait
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(interrupted) < 2)
        #expect(process.terminationStatus == 130, "\(stderr.value)")
        #expect(stdout.value.contains("cleanup ran"))
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
        let (process, _, stderr) = try launch(["run", "--cleanup", script.path], state: state)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.value.contains("midway failure"))
        #expect(stderr.value.contains("deleted VM leaky"))
        #expect(stderr.value.contains("deleted Volume leaky-data"))
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
        let (passing, passOut, _) = try launch(["check", good.path], state: state)
        passing.waitUntilExit()
        try await Task.sleep(for: .milliseconds(300))
        #expect(passing.terminationStatus == 0)
        #expect(passOut.value.contains("no problems"))
        let (failing, _, errors) = try launch(["check", good.path, bad.path], state: state)
        failing.waitUntilExit()
        try await Task.sleep(for: .milliseconds(300))  // the last output still in the pipe
        #expect(failing.terminationStatus == 65)
        let expected = [
            "bad.gpus:1:32: error: 'vms.create' has no parameter 'vmTypId'; did you mean 'vmTypeId'?",
            "bad.gpus:3:7: error: undeclared variable 'totl'; did you mean 'total'?",
            "bad.gpus:4:6: error: 'pods' has no function 'crate'; did you mean 'pods.create'?",
            "3 problem(s) in 2 file(s)",
        ]
        for line in expected { #expect(errors.value.contains(line), "missing: \(line)\n\(errors.value)") }
        // Nothing ran: no sandbox state was created.
        #expect(!FileManager.default.fileExists(atPath: state.path))
    }
}
