import Foundation
import TestSupport
import Testing

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

    static var binary: URL { Built.gpus }

    private let home: TemporaryFolder
    var folder: URL { home.url }
    let host: String
    let cloud: Cloud

    init(host: String = "test-host", cloud: Cloud? = nil) throws {
        home = try TemporaryFolder("gpus-machine")
        self.host = host
        self.cloud = cloud ?? .embedded(state: home.path + "/sandbox.sqlite")
    }

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
    typealias Running = ChildProcess

    /// Starts `gpus [target options] arguments…`. Target options go first unless `targeted` is false.
    func start(
        _ arguments: [String], targeted: Bool = true, stdin: Pipe? = nil, environment extra: [String: String] = [:]
    ) throws -> Running {
        try ChildProcess(
            [Self.binary.path] + (targeted ? Self.insertTarget(targetArguments, into: arguments) : arguments),
            environment: environment.merging(extra) { $1 },
            stdin: stdin.map { .descriptor($0.fileHandleForReading.fileDescriptor) } ?? .null, in: folder)
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

    typealias Result = ChildProcess.Result

    /// Runs `gpus arguments…` to the end.
    func gpus(
        _ arguments: [String], targeted: Bool = true, environment extra: [String: String] = [:]
    ) async throws -> Result {
        let running = try start(arguments, targeted: targeted, environment: extra)
        try await running.finish()
        return running.result
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
typealias SandboxServer = ServedSandbox

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

    let process: ChildProcess
    let url: String
    let port: Int

    /// A script of the package's `scripts/`.
    static func script(_ name: String) -> String { Built.script(name) }

    convenience init(upstream: String, mode: Mode) throws {
        try self.init(script: "gateway-proxy.py", [upstream, mode.argument])
    }

    /// A relay to PostgreSQL at `upstream` (host:port) that freezes on `freeze()`
    /// (`scripts/tcp-freeze-proxy.py`).
    static func freezing(_ upstream: String) throws -> GatewayProxy {
        try GatewayProxy(script: "tcp-freeze-proxy.py", [upstream])
    }

    /// From now on nothing passes, and nothing is answered (a frozen server).
    func freeze() { process.signal(SIGUSR1) }

    /// Runs `scripts/NAME 0 ARGUMENTS…` and waits for its `listening on PORT`.
    init(script name: String, _ arguments: [String]) throws {
        process = try ChildProcess(["python3", Self.script(name), "0"] + arguments)
        guard let port = ServedSandbox.port(of: process, after: "listening on ") else {
            throw ChildProcess.Failure.textNeverCame("\(name): listening on", process.result.output)
        }
        self.port = port
        url = "http://127.0.0.1:\(port)"
    }

    private var log: String { process.stderr }

    /// How many creates it is holding or has held (`.delay`).
    var held: Int {
        log.components(separatedBy: "proxy: holding").count - 1
    }

    /// How many creates it forwarded.
    var creates: Int {
        log.components(separatedBy: "proxy: POST").count - 1
    }
}
