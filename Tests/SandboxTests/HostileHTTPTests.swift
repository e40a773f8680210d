import Foundation
import Sandbox
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Requests as an attacker or a broken client sends them, byte for byte over a socket, to the HTTP
/// server (reliability findings D1, D18): none may crash it, hold it, or get an answer without the
/// envelope where the HTTP layer lets the sandbox answer.
@Suite(.serialized) struct HostileHTTPTests {
    /// Runs `gpus sandbox serve` in its own process on a free port with `limits` while `body` runs:
    /// in this process its handlers would share the cooperative pool with the other suites' blocking
    /// tests, and a busy pool is not what these tests are about.
    func withServer(
        limits: SandboxApplication.Limits = .init(), _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let (seconds, attoseconds) = limits.idleTimeout.components
        let idle = Double(seconds) + Double(attoseconds) / 1e18
        let server = try ServedSandbox(
            speed: nil,
            arguments: ["--quiet", "--max-connections", String(limits.connections), "--idle-timeout", String(idle)])
        defer { server.stop() }
        try await body(server.port)
    }

    /// Sends `request` on a new connection and reads one response, or until the server closes the
    /// connection or `timeout` passes. Blocking, so it runs on its own thread: on the two threads of
    /// the cooperative pool it would hold up the server's handlers.
    static func exchange(
        _ port: Int, _ request: String, halfClose: Bool = false, timeout: Double = 5
    ) async throws -> String {
        let connection = try RawConnection(port: port)
        defer { connection.close() }
        return await offPool {
            connection.send(request)
            if halfClose { connection.shutdownWrite() }
            return connection.read(timeout: timeout, untilResponse: !halfClose)
        }
    }

    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    @Test func emptyAndOddQueryKeysAreAnswered() async throws {
        try await withServer { port in
            for query in ["=", "a=1&=", "&&=&=x", "%zz=1", "==", "statusList=&=RUNNING"] {
                let response = try await Self.exchange(
                    port, "GET /v2/vms/types?\(query) HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\n\r\n")
                #expect(response.hasPrefix("HTTP/1.1 200"), "?\(query): \(response.prefix(200))")
            }
            let after = try await Self.exchange(port, "GET /v2/pods HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\n\r\n")
            #expect(after.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func aDuplicatedKeyIsRefused() async throws {
        try await withServer { port in
            let response = try await Self.exchange(
                port, "GET /v2/pods HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\nX-Api-Key: other\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 401"), "\(response.prefix(200))")
            #expect(response.contains("more than once"))
        }
    }

    @Test func aTruncatedBodyIsABadRequestNotTooLarge() async throws {
        try await withServer { port in
            let response = try await Self.exchange(
                port,
                "POST /v2/pods HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"name\":\"p\"", halfClose: true)
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(response.prefix(300))")
            #expect(response.contains("\"code\":10001") && response.contains("body: incomplete"))
            let after = try await Self.exchange(port, "GET /v2/pods HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\n\r\n")
            #expect(after.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func aSilentConnectionIsClosed() async throws {
        try await withServer(limits: .init(connections: 16, idleTimeout: .milliseconds(500))) { port in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            let started = ContinuousClock.now
            let text = await Self.offPool { connection.read(timeout: 10, untilResponse: false) }
            let waited = ContinuousClock.now - started
            #expect(text.isEmpty)
            #expect(waited < .seconds(5), "closed after \(waited)")
        }
    }

    /// Slow clients hold every connection slot; a real request is still answered once the idle
    /// timeout frees them (without it, it waits for ever).
    @Test func slowClientsCannotStarveOthers() async throws {
        try await withServer(limits: .init(connections: 4, idleTimeout: .milliseconds(500))) { port in
            let loris = try (0..<8).map { _ in try RawConnection(port: port) }
            defer { loris.forEach { $0.close() } }
            for connection in loris { connection.send("GET /v2/pods HTTP/1.1\r\nHost:") }
            let started = ContinuousClock.now
            let response = try await Self.exchange(
                port, "GET /v2/pods HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\n\r\n", timeout: 15)
            #expect(response.hasPrefix("HTTP/1.1 200"), "\(response.prefix(200))")
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}

/// A blocking TCP connection to 127.0.0.1, for sending exactly the bytes a test wants.
final class RawConnection: Sendable {
    let descriptor: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if connected != 0 { throw RawConnectionError.connect(errno) }
    }

    func send(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    func shutdownWrite() { _ = shutdown(descriptor, Int32(SHUT_WR)) }

    /// Reads until EOF, or — with `untilResponse` — until one complete response (head and its
    /// Content-Length of body) has arrived, or until `timeout` seconds pass.
    func read(timeout: Double, untilResponse: Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
            if ready <= 0 { break }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            data += buffer[0..<count]
            if untilResponse, Self.isComplete(data) { break }
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func isComplete(_ data: [UInt8]) -> Bool {
        let text = String(decoding: data, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return true }
        return text.utf8.count - text[..<end.upperBound].utf8.count >= length
    }

    func close() { _ = Glibc.close(descriptor) }
}

enum RawConnectionError: Error { case connect(Int32) }
