import Foundation

/// Facts about processes on this machine: who and where we are, and whether a run's process lives.
public enum RunProcess {
    /// This machine's name (`GPUS_HOST` overrides it, as tests of several machines do).
    public static var host: String {
        if let name = ProcessInfo.processInfo.environment["GPUS_HOST"], !name.isEmpty { return name }
        return ProcessInfo.processInfo.hostName
    }

    /// The user running gpus.
    public static var user: String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? String(getuid())
    }

    /// When a process started, in clock ticks since boot (Linux `/proc/PID/stat`), or 0 when unknown.
    public static func startTime(of pid: Int32) -> Int64 {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name (which may hold spaces): state is field 3, starttime field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Int64(fields[19]) else { return 0 }
        return ticks
    }

    /// A process's state letter (`R`, `S`, `Z`…) from `/proc/PID/stat`, or nil when unknown.
    public static func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").first?.first
    }

    /// Whether the process that recorded `run` is still running: same pid and, where the kernel
    /// says, the same start time (a pid reused by another process does not count).
    public static func isAlive(_ run: RunInfo) -> Bool {
        guard run.pid > 0 else { return false }
        if kill(run.pid, 0) != 0, errno != EPERM { return false }
        // A zombie (killed, not yet reaped by its parent) runs nothing.
        if state(of: run.pid) == "Z" { return false }
        guard run.processStart != 0 else { return true }
        let start = startTime(of: run.pid)
        return start == 0 || start == run.processStart
    }

    /// A new run id: when it started (UTC, sortable, readable) and eight random hex digits (32 bits:
    /// four digits collided at a few hundred runs a second; two ids of one second now share them
    /// once in 4 billion pairs). Formatted by hand: a `DateFormatter` loads ICU's data, which showed
    /// in start-up time. Ids written by earlier versions (four digits) stay valid.
    public static func newRunID(at date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))-"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))-"
            + String(repeating: "0", count: 8 - random.count) + random
    }
}

extension RunInfo {
    /// How many heartbeats a run on another host may miss before it counts as crashed.
    public static let missedHeartbeats = 3.0

    /// How the run stands: ended runs by their exit code; a run with no end is running while its
    /// process lives on this host, or (on another host) while its last heartbeat is younger than
    /// `missedHeartbeats` of its intervals.
    public func state(
        now: Date = Date(), host thisHost: String = RunProcess.host, isAlive: (RunInfo) -> Bool = RunProcess.isAlive
    ) -> RunState {
        if endedAt != nil { return exitCode == 0 ? .finished : .failed }
        if host == thisHost { return isAlive(self) ? .running : .crashed }
        return now.timeIntervalSince(heartbeatAt) > heartbeatSeconds * Self.missedHeartbeats ? .crashed : .running
    }
}
