import Foundation
import Synchronization
import YottaAPI

/// A `gpus sandbox serve` child process on a free port, for tests across processes.
final class ServerProcess: Sendable {
    let process: Process
    let port: Int

    /// The built `gpus` binary, beside the test runner in the build folder.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gpus")
    }

    init(state: String, arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments =
            ["sandbox", "serve", "--port", "0", "--state", state, "--api-key", "k", "--quiet"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let output = Mutex("")
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.withLock { $0 += text }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        var port: Int?
        while port == nil, Date() < deadline, process.isRunning {
            port = output.withLock { text in
                text.range(of: "listening on http://127.0.0.1:").flatMap { range in
                    Int(text[range.upperBound...].prefix { $0.isNumber })
                }
            }
            if port == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        guard let port else {
            process.terminate()
            throw ServerProcessError.didNotStart(output.withLock { $0 })
        }
        self.process = process
        self.port = port
    }

    func client(transport: AsyncHTTPClientTransport) throws -> YottaClient {
        let configuration = try ClientConfiguration(
            baseURL: "http://127.0.0.1:\(port)", apiKey: APIKey("k"), retry: .none)
        return YottaClient(configuration: configuration, transport: transport)
    }

    /// Stops the process with `signal` and waits for it to exit.
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

enum ServerProcessError: Error { case didNotStart(String) }
