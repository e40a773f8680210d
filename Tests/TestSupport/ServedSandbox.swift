import Foundation

/// `gpus sandbox serve` as a child process on a free port, for tests across processes: its log and
/// request lines in files of its own, stopped and removed when released.
public final class ServedSandbox: @unchecked Sendable {
    public let process: ChildProcess
    public let port: Int
    public let url: String
    private let folder: TemporaryFolder

    /// `state`: a state file (one a server stopped before: a cloud that went down and came back),
    /// else one of its own; `speed`: the lifecycles' speed (`--speed`), the sandbox's own when nil;
    /// `port`: 0 for any free one.
    public init(
        speed: String? = "100", key: String = "k", port: Int = 0, faults: String? = nil, state: String? = nil,
        arguments extra: [String] = []
    ) throws {
        folder = try TemporaryFolder("gpus-server")
        let arguments =
            [
                Built.gpus.path, "sandbox", "serve", "--port", String(port), "--state",
                state ?? folder.path + "/state.sqlite", "--api-key", key,
            ] + (speed.map { ["--speed", $0] } ?? []) + (faults.map { ["--faults", $0] } ?? []) + extra
        process = try ChildProcess(
            arguments, stdout: .path(folder.path + "/server.log"), stderr: .path(folder.path + "/requests.log"),
            in: folder.url)
        guard let port = Self.port(of: process, after: "listening on http://127.0.0.1:") else {
            throw ChildProcess.Failure.textNeverCame("listening on", process.result.output)
        }
        self.port = port
        url = "http://127.0.0.1:\(port)"
    }

    /// The state file this server was started with (unless given another).
    public var statePath: String { folder.path + "/state.sqlite" }

    /// Its request log so far: `METHOD /path status time`, one request a line.
    public var requests: [String] {
        (process.stdout + "\n" + process.stderr).split(separator: "\n").compactMap { line in
            ["GET ", "POST ", "PUT ", "PATCH ", "DELETE "].first { line.contains($0) }.map { method in
                String(line[line.range(of: method)!.lowerBound...])
            }
        }
    }

    /// The port a starting child prints after `marker` on its standard output, waited for up to 15 s.
    public static func port(of child: ChildProcess, after marker: String) -> Int? {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, child.isRunning {
            let text = child.stdout
            if let range = text.range(of: marker), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return port
            }
            usleep(20_000)
        }
        return nil
    }

    /// Stops the server with `signal` and waits for it; returns its exit status (its port is free).
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { process.signal(signal) }
        return (try? process.finishBlocking(timeout: 30)) ?? -1
    }

    deinit { stop() }
}
