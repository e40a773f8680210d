import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with a deadline, without Foundation's `Process`.
///
/// `Process` learns that a child exited when a socket the child inherited closes. A program that
/// leaves a daemon behind — `tmux new-session` starting its server — hands that socket to the daemon,
/// and `waitUntilExit()` then waits as long as the daemon lives. Here the child gets only standard
/// input (/dev/null), a pipe for standard output and /dev/null for standard error; every other
/// descriptor is closed, signals are unblocked and at their defaults, and the exit is found with
/// `waitpid`.
enum Spawn {
    struct Result {
        let status: Int32
        let output: String
    }

    enum Failure: Error, CustomStringConvertible {
        case couldNotStart([String], Int32)
        case timedOut([String], TimeInterval)
        var description: String {
            switch self {
            case .couldNotStart(let arguments, let code):
                "could not start \(arguments.joined(separator: " ")): \(String(cString: strerror(code)))"
            case .timedOut(let arguments, let seconds):
                "\(arguments.joined(separator: " ")) did not finish within \(seconds) s"
            }
        }
    }

    /// Runs `arguments` (looked up on PATH), killing it after `timeout` seconds.
    static func run(
        _ arguments: [String], environment: [String: String]? = nil, timeout: TimeInterval = 10
    ) throws
        -> Result
    {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Failure.couldNotStart(arguments, errno) }
        let (readEnd, writeEnd) = (fds[0], fds[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        closeTheRest(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The calling thread is a test worker that blocks most signals; a child (and a daemon it
        // starts) must not inherit that mask, nor the runner's ignored SIGPIPE.
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
        close(writeEnd)
        guard code == 0 else {
            close(readEnd)
            throw Failure.couldNotStart(arguments, code)
        }

        // Read on another thread: a child that fills the pipe would otherwise never exit.
        let collected = Collected()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(readEnd, &buffer, buffer.count)
                if count <= 0 { break }
                collected.append(buffer[0..<count])
            }
            close(readEnd)
            collected.finish()
        }
        reader.start()

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw Failure.timedOut(arguments, timeout)
            }
            usleep(5_000)
        }
        // A daemon the child left behind may still hold the pipe: take what is there and go on.
        collected.wait(until: Date().addingTimeInterval(1))
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exit, output: collected.text)
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

    private final class Collected: @unchecked Sendable {
        private let condition = NSCondition()
        private var bytes: [UInt8] = []
        private var done = false

        func append(_ chunk: ArraySlice<UInt8>) {
            condition.lock()
            bytes += chunk
            condition.unlock()
        }
        func finish() {
            condition.lock()
            done = true
            condition.broadcast()
            condition.unlock()
        }
        func wait(until deadline: Date) {
            condition.lock()
            while !done, condition.wait(until: deadline) {}
            condition.unlock()
        }
        var text: String {
            condition.lock()
            defer { condition.unlock() }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
