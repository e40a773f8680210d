import Foundation
import Testing

/// A client written only from Yotta's docs (Python's standard library, `scripts/sandbox-lifecycle.py`)
/// runs the full lifecycle of every resource kind against `gpus sandbox serve`.
@Suite struct ForeignClientTests {
    @Test func pythonClientRunsEveryLifecycle() throws {
        let server = try ServerProcess(state: ":memory:", arguments: ["--speed", "200"])
        defer { _ = server.stop() }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/sandbox-lifecycle.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "http://127.0.0.1:\(server.port)", "k"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("all lifecycles passed"))
    }
}
