import Foundation
import Synchronization

/// An exclusive lock across processes: `flock` on a file named after the key. The kernel releases
/// it when the holder's process ends in any way, so a crashed run never leaves a lock behind.
/// Two opens of one file conflict even within a process, so tasks of one run exclude each other too.
final class FileLock: Sendable {
    let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Waits (polling, so that the wait can be cancelled) until the lock is ours.
    static func acquire(in folder: String, for key: LockKey) async throws -> FileLock {
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = folder + "/" + fileName(for: key)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw LedgerError("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        var pause = Duration.milliseconds(2)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw LedgerError("cannot lock \(path): \(reason)")
            }
            do {
                try await Task.sleep(for: pause)
            } catch {
                close(descriptor)
                throw error
            }
            pause = min(pause * 2, .milliseconds(50))
        }
        return FileLock(descriptor: descriptor)
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// A file name for the key: readable where it can be, with a hash that keeps keys apart.
    static func fileName(for key: LockKey) -> String {
        let text = "\(key.target)\u{0}\(key.kind.rawValue)\u{0}\(key.name)"
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let safe = key.name.unicodeScalars.prefix(40).map {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII ? String($0) : "_"
        }.joined()
        return "\(key.kind.rawValue.lowercased())-\(safe)-\(String(hash, radix: 16)).lock"
    }
}

/// Locks held within one process (an in-memory ledger has no files to lock).
final class ProcessLocks: Sendable {
    private let held = Mutex<Set<LockKey>>([])

    func withLock<T: Sendable>(_ key: LockKey, _ body: @Sendable () async throws -> T) async throws -> T {
        var pause = Duration.milliseconds(1)
        while !held.withLock({ $0.insert(key).inserted }) {
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
        defer { _ = held.withLock { $0.remove(key) } }
        return try await body()
    }
}
