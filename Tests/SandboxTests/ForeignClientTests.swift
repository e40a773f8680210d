import Foundation
import TestSupport
import Testing

/// A client written only from Yotta's docs (Python's standard library, `scripts/sandbox-lifecycle.py`)
/// runs the full lifecycle of every resource kind against `gpus sandbox serve`.
@Suite struct ForeignClientTests {
    @Test func pythonClientRunsEveryLifecycle() async throws {
        let server = try ServedSandbox(speed: "200", state: ":memory:", arguments: ["--quiet"])
        defer { server.stop() }
        let run = try await ChildProcess.run(
            ["python3", Built.script("sandbox-lifecycle.py"), server.url, "k"], timeout: 300)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.contains("all lifecycles passed"), "\(run.output)")
    }
}
