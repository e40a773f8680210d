import Foundation
import Testing

/// Starts `executable arguments…` with its standard output and error going to two new files in
/// `folder` (nothing blocks on a full pipe) and `stdin` (a pipe or a file handle) or nothing as input.
func startProcess(
    _ executable: URL, _ arguments: [String], environment: [String: String], in folder: URL, stdin: Any? = nil
) throws -> (process: Process, out: URL, err: URL) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    let id = UUID().uuidString
    let (out, err) = (folder.appendingPathComponent("\(id).out"), folder.appendingPathComponent("\(id).err"))
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = stdin ?? FileHandle.nullDevice
    try process.run()
    return (process, out, err)
}

/// A machine for process-level tests of runs: its own home (state, ledger, locks), a host name,
/// and a cloud — the embedded sandbox on a state file, or a `gpus sandbox serve` child process —
/// possibly shared with other machines.
final class Machine: @unchecked Sendable {
    enum Cloud {
        /// The embedded sandbox on this state file (several machines may share it).
        case embedded(state: String)
        /// `gpus sandbox serve` at this URL, key `k`.
        case served(url: String)
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gpus")
    }

    let folder: URL
    let host: String
    let cloud: Cloud

    init(host: String = "test-host", cloud: Cloud? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-machine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.host = host
        self.cloud = cloud ?? .embedded(state: folder.path + "/sandbox.sqlite")
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var environment: [String: String] {
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": folder.path,
            "XDG_CONFIG_HOME": folder.path + "/config", "XDG_STATE_HOME": folder.path + "/state",
            "GPUS_HOST": host, "GPUS_SANDBOX_SPEED": "100",
        ]
        switch cloud {
        case .embedded(let state): environment["GPUS_SANDBOX_STATE"] = state
        case .served: environment["YOTTA_API_KEY"] = "k"
        }
        return environment
    }

    /// The options that choose this machine's cloud.
    var targetArguments: [String] {
        if case .served(let url) = cloud { return ["--api-url", url] }
        return []
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A gpus process started in the background; its output goes to files.
    final class Running: @unchecked Sendable {
        let process: Process
        let out: URL
        let err: URL

        init(process: Process, out: URL, err: URL) {
            self.process = process
            self.out = out
            self.err = err
        }

        var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }
        var pid: Int32 { process.processIdentifier }

        /// Waits (without blocking a thread) until stdout contains `text`. The bound is generous: it
        /// costs nothing when the text comes, and 30 s was once not enough with the whole suite
        /// running on two cores.
        func waitFor(_ text: String, timeout: TimeInterval = 120, onStderr: Bool = false) async throws {
            let deadline = Date().addingTimeInterval(timeout)
            while !(onStderr ? stderr : stdout).contains(text) {
                guard Date() < deadline, process.isRunning else {
                    Issue.record("'\(text)' never appeared; stdout: \(stdout) stderr: \(stderr)")
                    throw CancellationError()
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        /// Waits for the exit; returns the status (kills the process after `timeout`).
        func finish(timeout: TimeInterval = 60) async throws -> Int32 {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning {
                if Date() > deadline {
                    kill(pid, SIGKILL)
                    Issue.record("gpus did not finish within \(timeout) s; stderr: \(stderr)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Starts `gpus [target options] arguments…`. Target options go first unless `targeted` is false.
    func start(
        _ arguments: [String], targeted: Bool = true, stdin: Pipe? = nil, environment extra: [String: String] = [:]
    ) throws -> Running {
        let (process, out, err) = try startProcess(
            Self.binary, targeted ? Self.insertTarget(targetArguments, into: arguments) : arguments,
            environment: environment.merging(extra) { $1 }, in: folder, stdin: stdin)
        return Running(process: process, out: out, err: err)
    }

    /// Target options belong to the subcommand: after `run`, `runs clean`, or first.
    static func insertTarget(_ target: [String], into arguments: [String]) -> [String] {
        if arguments.first == "run" || arguments.first == "plan" {
            return [arguments[0]] + target + arguments.dropFirst()
        }
        if arguments.starts(with: ["runs", "clean"]) { return ["runs", "clean"] + target + arguments.dropFirst(2) }
        if arguments.first == "runs" { return arguments }
        return target + arguments
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `gpus arguments…` to the end.
    func gpus(
        _ arguments: [String], targeted: Bool = true, environment extra: [String: String] = [:]
    ) async throws -> Result {
        let running = try start(arguments, targeted: targeted, environment: extra)
        let status = try await running.finish()
        return Result(status: status, stdout: running.stdout, stderr: running.stderr)
    }

    /// What still bills on this machine's cloud, one `Kind name status` line each.
    func billing() async throws -> [String] {
        let code = """
            let live = []
            for p in pods.list(all: true) { if not (p.status in ["TERMINATED", "TERMINATING", "FAILED"]) { live.append("Pod ${p.name} ${p.status}") } }
            for v in vms.list(all: true) { if v.status != "terminated" { live.append("VM ${v.name} ${v.status}") } }
            for e in endpoints.list(all: true) { live.append("Endpoint ${e.name} ${e.status}") }
            for v in volumes.list(all: true) { if v.status != "deleting" { live.append("Volume ${v.name} ${v.status}") } }
            for c in credentials.list(all: true) { live.append("Credential ${c.name}") }
            print(json(live))
            """
        let result = try await gpus(["-q", "-e", code])
        #expect(result.status == 0, "\(result.stderr)")
        let data = Data(result.stdout.utf8)
        return (try? JSONDecoder().decode([String].self, from: data)) ?? ["unreadable: \(result.stdout)"]
    }

    /// The runs `gpus runs --json` lists.
    func runs() async throws -> [[String: Any]] {
        let result = try await gpus(["runs", "list", "--json"], targeted: false)
        #expect(result.status == 0, "\(result.stderr)")
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }
}

/// A `gpus sandbox serve` child process (key `k` unless given), stopped when released.
final class SandboxServer: @unchecked Sendable {
    let process: Process
    let url: String
    let folder: URL

    /// `state`: the state file of a server stopped before (a cloud that went down and came back).
    init(speed: String = "100", key: String = "k", port: Int = 0, faults: String? = nil, state: String? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = Machine.binary
        process.arguments =
            [
                "sandbox", "serve", "--port", String(port), "--state", state ?? folder.path + "/state.sqlite",
                "--api-key", key,
                "--speed", speed,
            ] + (faults.map { ["--faults", $0] } ?? [])
        process.standardOutput = try FileHandle(forWritingTo: log)
        let requests = folder.appendingPathComponent("requests.log")
        FileManager.default.createFile(atPath: requests.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: requests)
        try process.run()
        let port = Self.port(in: log, after: "listening on http://127.0.0.1:")
        guard let port else {
            process.terminate()
            throw CancellationError()
        }
        url = "http://127.0.0.1:\(port)"
    }

    /// The state file this server was started with (unless given another).
    var statePath: String { folder.path + "/state.sqlite" }

    /// Its request log so far: `METHOD /path status time`, one request a line.
    var requests: [String] {
        let text = ["server.log", "requests.log"].map {
            (try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) ?? ""
        }.joined(separator: "\n")
        return text.split(separator: "\n").compactMap { line in
            ["GET ", "POST ", "PUT ", "PATCH ", "DELETE "].first { line.contains($0) }.map { method in
                String(line[line.range(of: method)!.lowerBound...])
            }
        }
    }

    /// The port a starting server writes to `file` after `marker`, waited for up to 15 s.
    static func port(in file: URL, after marker: String) -> String? {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            if let range = text.range(of: marker) {
                let port = String(text[range.upperBound...].prefix { $0.isNumber })
                if !port.isEmpty { return port }
            }
            usleep(20_000)
        }
        return nil
    }

    /// Stops the server now (its port becomes free).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A provider's front door failing after the fact, between gpus and a served sandbox
/// (`scripts/gateway-proxy.py`): creates are forwarded and made, then answered with a gateway's
/// 5xx, reset, or held before they are forwarded (`GatewayProxy.Mode`). Stopped when released.
final class GatewayProxy: @unchecked Sendable {
    enum Mode {
        /// The create is made; the client gets this status with an HTML body.
        case status(Int)
        /// The create is made; the connection is reset.
        case reset
        /// Each create is held this many seconds before it is forwarded.
        case delay(Double)

        var argument: String {
            switch self {
            case .status(let code): String(code)
            case .reset: "reset"
            case .delay(let seconds): "delay\(seconds)"
            }
        }
    }

    let process: Process
    let url: String
    let port: Int
    let log: URL

    /// A script of the package's `scripts/`, found from the test binary (…/.build/debug/…).
    static func script(_ name: String) -> String {
        var folder = Machine.binary.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("scripts/\(name)")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            folder.deleteLastPathComponent()
        }
        return "scripts/\(name)"
    }

    convenience init(upstream: String, mode: Mode) throws {
        try self.init(script: "gateway-proxy.py", [upstream, mode.argument])
    }

    /// A relay to PostgreSQL at `upstream` (host:port) that freezes on `freeze()`
    /// (`scripts/tcp-freeze-proxy.py`).
    static func freezing(_ upstream: String) throws -> GatewayProxy {
        try GatewayProxy(script: "tcp-freeze-proxy.py", [upstream])
    }

    /// From now on nothing passes, and nothing is answered (a frozen server).
    func freeze() { kill(process.processIdentifier, SIGUSR1) }

    /// Runs `scripts/NAME 0 ARGUMENTS…` and waits for its `listening on PORT`.
    init(script name: String, _ arguments: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("out")
        log = folder.appendingPathComponent("log")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script(name), "0"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let port = SandboxServer.port(in: out, after: "listening on ")
        guard let port, !port.isEmpty else {
            process.terminate()
            Issue.record("\(name) did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            throw CancellationError()
        }
        self.port = Int(port) ?? 0
        url = "http://127.0.0.1:\(port)"
    }

    /// How many creates it is holding or has held (`.delay`).
    var held: Int {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").components(separatedBy: "proxy: holding").count - 1
    }

    /// How many creates it forwarded.
    var creates: Int {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").components(separatedBy: "proxy: POST").count - 1
    }

    deinit {
        // SIGKILL: a signal the test process ignores is ignored by its children too.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
