import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The one way the tests start a program: `gpus`, `tmux`, a shell, `psql`, a proxy script.
///
/// Started with `posix_spawn`, not Foundation's `Process`, which learns that a child exited when a
/// socket the child inherited closes: a program that leaves a daemon behind (`tmux new-session`
/// starting its server) hands that socket on, and `waitUntilExit()` waits as long as the daemon
/// lives. Here the child gets only the descriptors it is given — standard output and error go to
/// files by default (nothing blocks on a full pipe, and a test reads them whenever it likes) —
/// every other one is closed, its signals are unblocked and at their defaults (a test worker
/// thread blocks most, and the runner ignores SIGPIPE), it leads a process group of its own, and
/// its exit is found with `waitpid`. An exit by a signal reads as a shell says it: 128 + N.
public final class ChildProcess: @unchecked Sendable {
    /// Where a standard stream of the child goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A file in the process's folder, read back by `stdout` / `stderr` (not for input).
        case file
        /// A file at this path: read for input, created (or emptied) for output.
        case path(String)
        /// A descriptor of this process (a pipe's end), duplicated into the child.
        case descriptor(Int32)
    }

    public enum Failure: Error, CustomStringConvertible {
        case couldNotStart([String], Int32)
        case timedOut([String], TimeInterval, String)
        case textNeverCame(String, String)

        public var description: String {
            switch self {
            case .couldNotStart(let arguments, let code):
                "could not start \(arguments.joined(separator: " ")): \(String(cString: strerror(code)))"
            case .timedOut(let arguments, let seconds, let stderr):
                "\(arguments.joined(separator: " ")) did not finish within \(seconds) s (killed); stderr: \(stderr)"
            case .textNeverCame(let text, let output): "'\(text)' never appeared; \(output)"
            }
        }
    }

    /// What a finished child printed, and its status.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        /// Both streams, for a failing expectation's message.
        public var output: String { "stdout: \(stdout)\nstderr: \(stderr)" }
    }

    public let arguments: [String]
    public let pid: pid_t
    private let out: String?
    private let err: String?
    private let folder: TemporaryFolder?
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `arguments` (the first looked up on PATH unless it is a path) with `environment` (this
    /// process's when nil). `folder`: where `.file` streams are written (a folder of its own,
    /// removed with it, when nil).
    public init(
        _ arguments: [String], environment: [String: String]? = nil, stdin: Stream = .null, stdout: Stream = .file,
        stderr: Stream = .file, in folder: URL? = nil
    ) throws {
        self.arguments = arguments
        let own = folder == nil ? try TemporaryFolder("gpus-child") : nil
        self.folder = own
        let place = folder ?? own!.url
        let id = UUID().uuidString
        func path(_ stream: Stream, _ suffix: String) -> String? {
            switch stream {
            case .file: place.appendingPathComponent("\(id).\(suffix)").path
            case .path(let path): path
            default: nil
            }
        }
        (out, err) = (path(stdout, "out"), path(stderr, "err"))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let streams: [(stream: Stream, target: Int32, file: String?)] = [
            (stdin, 0, nil), (stdout, 1, out), (stderr, 2, err),
        ]
        for (stream, target, file) in streams {
            let isInput = target == 0
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", isInput ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            case .path(let path) where isInput: posix_spawn_file_actions_addopen(&actions, target, path, O_RDONLY, 0)
            case .file, .path:
                posix_spawn_file_actions_addopen(
                    &actions, target, file ?? "/dev/null", isInput ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            }
        }
        Self.closeTheRest(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0)=\($1)" }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard code == 0 else { throw Failure.couldNotStart(arguments, code) }
        self.pid = pid
    }

    /// A child still running is killed, with its process group, and reaped.
    deinit {
        if isRunning {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            _ = waitpid(pid, &raw, 0)
        }
    }

    /// Closes every descriptor above 2 in the child: glibc's `addclosefrom_np` (2.34+, not in the
    /// imported headers, so looked up), else each descriptor open now.
    private static func closeTheRest(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
    }

    // MARK: - The child's state

    /// Whether it has not exited yet (it is reaped the first time this finds it gone).
    public var isRunning: Bool { exitStatus == nil }

    /// Its exit status once it has exited: the code, or 128 + the signal that ended it.
    public var exitStatus: Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        return status
    }

    /// What it wrote to standard output or error so far (with `.file` or `.path` streams).
    public var stdout: String { out.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "" }
    public var stderr: String { err.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "" }

    /// Sends `signal` to the child (to its whole process group with `group`).
    public func signal(_ number: Int32, group: Bool = false) { kill(group ? -pid : pid, number) }

    // MARK: - Waiting, without holding a thread

    /// Waits for the exit, asleep between looks (a thread of the cooperative pool is not held);
    /// past `timeout` it kills the child's group and throws.
    @discardableResult
    public func finish(timeout: TimeInterval = 120) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = exitStatus { return status }
            if Date() > deadline { throw killed(after: timeout) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The same, blocking this thread (for a test already off the pool: see `offPool`).
    @discardableResult
    public func finishBlocking(timeout: TimeInterval = 120) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = exitStatus { return status }
            if Date() > deadline { throw killed(after: timeout) }
            usleep(5_000)
        }
    }

    private func killed(after timeout: TimeInterval) -> Failure {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        _ = try? finishBlocking(timeout: 5)
        return .timedOut(arguments, timeout, stderr)
    }

    /// Waits until its standard output (or error) contains `text`; throws if it never does or the
    /// child exits first. The bound is generous: it costs nothing when the text comes, and the
    /// whole suite on two cores has held a child for tens of seconds.
    public func waitFor(_ text: String, timeout: TimeInterval = 120, onStderr: Bool = false) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !(onStderr ? stderr : stdout).contains(text) {
            guard Date() < deadline, isRunning || (onStderr ? stderr : stdout).contains(text) else {
                throw Failure.textNeverCame(text, "stdout: \(stdout) stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The result once it has exited.
    public var result: Result { Result(status: exitStatus ?? -1, stdout: stdout, stderr: stderr) }

    // MARK: - Run to the end

    /// Runs `arguments` to the end and returns what it printed (killed past `timeout`).
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, stdin: Stream = .null, in folder: URL? = nil,
        timeout: TimeInterval = 120
    ) async throws -> Result {
        let child = try ChildProcess(arguments, environment: environment, stdin: stdin, in: folder)
        try await child.finish(timeout: timeout)
        return child.result
    }

    /// The same, blocking (a short command — `tmux send-keys`, `pgrep` — in a test off the pool).
    public static func runBlocking(
        _ arguments: [String], environment: [String: String]? = nil, stdin: Stream = .null, in folder: URL? = nil,
        timeout: TimeInterval = 30
    ) throws -> Result {
        let child = try ChildProcess(arguments, environment: environment, stdin: stdin, in: folder)
        try child.finishBlocking(timeout: timeout)
        return child.result
    }
}
