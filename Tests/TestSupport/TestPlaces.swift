import Foundation

/// A folder of a test's own under the temporary directory, removed with its last reference (the
/// suite used to leave one behind per test run).
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    /// `gpus-home-…`, `gpus-machine-…`: `prefix` names what it is for, in a listing of /tmp.
    public init(_ prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` inside; returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}

/// What the build made and the package holds, found from the test binary (…/.build/debug/…).
public enum Built {
    /// The `gpus` executable beside the test runner.
    public static var gpus: URL { folder.appendingPathComponent("gpus") }

    /// The build folder the test runner is in.
    public static var folder: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    /// The package's root: the first folder above the build that has `Package.swift`.
    public static var package: URL {
        var candidate = folder
        while candidate.path != "/" {
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("Package.swift").path) {
                return candidate
            }
            candidate.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// A script of the package's `scripts/`.
    public static func script(_ name: String) -> String { package.appendingPathComponent("scripts/\(name)").path }
}

/// Runs a synchronous, slow test body — one that drives tmux and sleeps between looks, or blocks on
/// a child — on a thread of its own, so it does not hold one of the cooperative pool's threads (two
/// on two cores) for its whole length while async tests with deadlines wait for them. It stays in
/// the test's task (a task executor preference, not a detached thread), so an `#expect` inside is
/// the test's own.
public func offPool<T: Sendable>(_ body: @Sendable () throws -> T) async throws -> T {
    try await withTaskExecutorPreference(OwnThread()) { try body() }
}

/// A task executor with a serial queue of its own: its jobs run on a thread outside the pool.
final class OwnThread: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "gpus-tests.off-pool")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Waits, asleep between looks, until `condition` holds — the event a test waits for (a proxy
/// holding the creates, a line printed), instead of a fixed sleep that is too short on a loaded
/// machine and too long on an idle one. Throws `what` past `timeout`.
public func waitUntil(
    _ what: String, timeout: TimeInterval = 120, _ condition: @Sendable () throws -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try !condition() {
        guard Date() < deadline else { throw WaitFailure(what: what, timeout: timeout) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// What `waitUntil` throws when the event never comes.
public struct WaitFailure: Error, CustomStringConvertible {
    public let what: String
    public let timeout: TimeInterval
    public var description: String { "\(what) did not happen within \(timeout) s" }
}

extension TemporaryFolder {
    /// A folder kept until the test process ends, then removed: for what outlives the helper that
    /// makes it (a ledger opened by a static helper and read back by its test).
    public static func forTheRun(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        RunFolders.shared.add(url)
        return url
    }
}

/// The folders `TemporaryFolder.forTheRun` made, removed when the process exits.
final class RunFolders: @unchecked Sendable {
    static let shared = RunFolders()
    private let lock = NSLock()
    private var folders: [URL] = []

    private init() {
        atexit {
            RunFolders.shared.removeAll()
        }
    }

    func add(_ url: URL) {
        lock.lock()
        folders.append(url)
        lock.unlock()
    }

    func removeAll() {
        lock.lock()
        let all = folders
        folders.removeAll()
        lock.unlock()
        for url in all { try? FileManager.default.removeItem(at: url) }
    }
}
