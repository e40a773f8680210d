import Foundation
import Language
import Synchronization
import Terminal
import YottaAPI

/// Refreshes the resource records a `wait until` condition reads before each check — several
/// records of one kind with one list call — and ends the wait at once when a record reaches a
/// failure state the condition does not mention.
public struct CloudWaitHook: WaitHook {
    let session: CloudSession
    let progress: Progress

    /// How a wait shows its progress on stderr.
    public enum Progress: Sendable {
        case none
        /// On a terminal: one line, redrawn at each check, never wider than the terminal.
        case statusLine
        /// Off a terminal (a CI log): a line every `every`, as Terraform does.
        case periodic(every: Duration)
        /// To a host, at each check (`gpus mcp` sends them as progress notifications): the seconds
        /// waited and a line such as `1 Pod: initialize (12s)`.
        case report(@Sendable (_ seconds: Double, _ line: String) -> Void)
    }

    /// When the last periodic line was written (shared by the waits of one program).
    private let lastLine = LastLine()
    /// The waits the status line shows (several run at once in `parallel for`).
    private let board = Board()

    /// The waits in progress and what their last checks found: the status line's text, which ticks
    /// every second between checks.
    final class Board: Sendable {
        /// What the line shows of a wait: text and numbers only, taken when the check is made —
        /// the timer thread that redraws the line must not read records the program may be changing.
        struct Entry {
            var start: ContinuousClock.Instant
            var condition: String
            var statuses: [String]
        }

        private let waits = Mutex<[UInt64: Entry]>([:])

        /// Records a check; returns whether the wait is new.
        func update(_ check: WaitCheck, records: [Record], now: ContinuousClock.Instant = .now) -> Bool {
            waits.withLock { waits in
                let isNew = waits[check.wait] == nil
                let start = waits[check.wait]?.start ?? now - check.elapsed
                waits[check.wait] = Entry(
                    start: start, condition: check.condition, statuses: CloudWaitHook.statuses(records))
                return isNew
            }
        }

        /// Forgets a wait; returns whether none is left.
        func remove(_ wait: UInt64) -> Bool {
            waits.withLock { waits in
                waits[wait] = nil
                return waits.isEmpty
            }
        }

        /// "⧗ 41s · 6 running, 2 initializing · waiting for fleet.all(…)": the counts first, so a
        /// long condition is what gets cut; several waits at once are summed up as one line.
        func text(now: ContinuousClock.Instant = .now) -> String {
            waits.withLock { waits in
                let entries = waits.sorted { $0.key < $1.key }.map(\.value)
                guard let oldest = entries.min(by: { $0.start < $1.start }) else { return "" }
                let seconds = Int64(((now - oldest.start) / .seconds(1)).rounded(.down))
                let elapsed = Printer.duration(.seconds(max(0, seconds)))
                let summary = CloudWaitHook.summary(statuses: entries.flatMap(\.statuses))
                let what = entries.count == 1 ? "waiting for \(oldest.condition)" : "\(entries.count) waits"
                return ["⧗ \(elapsed)", summary, what].filter { !$0.isEmpty }.joined(separator: " · ")
            }
        }
    }

    /// The periodic lines: a check's line is written at the next check of the same wait (which
    /// shows the condition did not hold), when `every` has passed since the last line.
    final class LastLine: @unchecked Sendable {
        private let lock = NSLock()
        private var at: ContinuousClock.Instant?
        /// Per condition: the last check's line and its elapsed time.
        private var pending: [String: (line: String, elapsed: Duration)] = [:]

        /// The line to write now, if one is due; records `line` for the next check.
        func next(
            condition: String, line: String, elapsed: Duration, every interval: Duration
        ) -> String? {
            lock.lock()
            defer { lock.unlock() }
            let previous = pending[condition]
            pending[condition] = (line, elapsed)
            // A new wait on the same condition starts again from zero.
            guard let previous, previous.elapsed <= elapsed, previous.elapsed >= interval else { return nil }
            let now = ContinuousClock.now
            if let at, now - at < interval { return nil }
            at = now
            return previous.line
        }
    }

    public init(session: CloudSession, progress: Progress = .none) {
        self.session = session
        self.progress = progress
    }

    /// The progress a program's waits show: a status line on a terminal, a line every 15 s off one,
    /// nothing with `quiet`.
    public static func progress(quiet: Bool, terminal: Bool) -> Progress {
        quiet ? .none : terminal ? .statusLine : .periodic(every: .seconds(15))
    }

    /// "6 running, 2 initializing": how many records are in each status, the most first.
    static func summary(_ records: [Record]) -> String { summary(statuses: statuses(records)) }

    /// The records' statuses as text, control characters escaped.
    static func statuses(_ records: [Record]) -> [String] {
        records.map { Printer.visible(Printer.text($0.fields["status"] ?? .null)) }
    }

    static func summary(statuses: [String]) -> String {
        var counts: [(String, Int)] = []
        for status in statuses {
            if let index = counts.firstIndex(where: { $0.0 == status }) {
                counts[index].1 += 1
            } else {
                counts.append((status, 1))
            }
        }
        return counts.sorted { $0.1 > $1.1 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
    }

    /// The kinds of record a wait refreshes: the resources, and tasks (per endpoint).
    enum Kind: Hashable {
        case resource(ResourceKind)
        case task

        init?(_ record: Record) {
            if record.type.name == "Task" {
                self = .task
            } else if let kind = ResourceKind(rawValue: record.type.name) {
                self = .resource(kind)
            } else {
                return nil
            }
        }

        var typeName: String {
            switch self {
            case .resource(let kind): kind.rawValue
            case .task: "Task"
            }
        }

        /// States from which a record will not reach another state by itself.
        var failureStates: Set<String> {
            switch self {
            case .resource(.vm): ["terminated", "stopped"]
            case .resource(.pod): ["failed", "terminated"]
            case .resource(.endpoint): ["failed", "stopped", "terminated"]
            case .resource(.volume): ["error", "deleting"]
            case .resource(.credential): []
            case .task: ["failed"]
            }
        }
    }

    public func refresh(_ check: WaitCheck) async throws -> WaitRefresh {
        let values = check.values.map(\.value)
        // Which records of each kind the condition reads.
        var wanted: [Kind: Set<String>] = [:]
        for value in values {
            for record in Self.records(in: value) {
                if let kind = Kind(record), let id = Self.key(record) { wanted[kind, default: []].insert(id) }
            }
        }
        if wanted.isEmpty { return WaitRefresh(values: values.map { _ in nil }) }
        var fresh: [String: [String: Value]] = [:]
        for (kind, ids) in wanted {
            fresh[kind.typeName] = try await session.api { try await fetch(kind, ids) }
        }
        let refreshed = values.map { Self.replace($0, with: fresh) }
        let records = refreshed.compactMap { $0 }.flatMap(Self.records)
        let elapsed = Printer.duration(.milliseconds((check.elapsed / .seconds(1)).rounded(.down) * 1000))
        switch progress {
        case .none: break
        case .statusLine:
            if board.update(check, records: records) {
                TerminalOutput.setStatus { [board] in Printer.visible(board.text()) }
            } else {
                TerminalOutput.redraw()
            }
        case .periodic(let interval):
            let what = records.count == 1 ? "1 \(records[0].type.name)" : "\(records.count) records"
            let line =
                "gpus: still waiting for \(check.condition) (\(elapsed) elapsed): \(what): \(Self.summary(records))"
            if let due = lastLine.next(condition: check.condition, line: line, elapsed: check.elapsed, every: interval)
            {
                StandardStream.error.write(due + "\n")
            }
        case .report(let report):
            let what = records.count == 1 ? "1 \(records[0].type.name)" : "\(records.count) records"
            report(Double(check.elapsed / .milliseconds(1)) / 1000, "\(what): \(Self.summary(records)) (\(elapsed))")
        }
        return WaitRefresh(values: refreshed, blocked: Self.blocker(refreshed, check: check))
    }

    public func ended(wait: UInt64) {
        if case .statusLine = progress, board.remove(wait) { TerminalOutput.setStatus(nil) }
    }

    /// Fetches fresh records: one list call for several of a kind, a get for one.
    func fetch(_ kind: Kind, _ ids: Set<String>) async throws -> [String: Value] {
        let client = session.client
        func index<Model: CloudModel>(_ models: [Model]) -> [String: Value] {
            Dictionary(models.map { ($0.id.rawValue, session.record($0)) }, uniquingKeysWith: { first, _ in first })
        }
        let single = ids.count == 1 ? ids.first.map { ResourceID($0) } : nil
        switch kind {
        case .resource(.vm):
            if let id = single { return index([try await client.getVM(id: id)]) }
            return index(try await client.allVMs(pageSize: 1000).collect())
        case .resource(.pod):
            if let id = single { return index([try await client.getPod(id: id)]) }
            return index(try await client.listPods())
        case .resource(.endpoint):
            if let id = single { return index([try await client.getEndpoint(id: id)]) }
            return index(try await client.listEndpoints())
        case .resource(.volume):
            var result: [String: Value] = [:]
            for id in ids { result[id] = session.record(try await client.getVolume(id: ResourceID(id))) }
            return result
        case .resource(.credential):
            if let id = single { return index([try await client.getCredential(id: id)]) }
            return index(try await client.listCredentials())
        case .task:
            // Tasks are listed per endpoint (one call each); finished ones are read in full for their output.
            var result: [String: Value] = [:]
            let byEndpoint = Dictionary(grouping: ids) { $0.split(separator: "/").first.map(String.init) ?? "" }
            for (endpoint, keys) in byEndpoint {
                let listed = try await client.allTasks(endpointID: ResourceID(endpoint), pageSize: 100).collect()
                for task in listed where keys.contains("\(endpoint)/\(task.taskId)") {
                    var full = task
                    if task.status == .success || task.status == .failed {
                        full = try await client.getTask(endpointID: ResourceID(endpoint), taskID: task.taskId)
                    }
                    result["\(endpoint)/\(task.taskId)"] = session.record(full, "Task")
                }
            }
            return result
        }
    }

    static func key(_ record: Record) -> String? {
        switch Kind(record) {
        case .task:
            guard let endpoint = record.fields["endpointId"].flatMap(ValueBridge.id), let task = record.fields["taskId"]
            else { return nil }
            return "\(endpoint.rawValue)/\(Printer.text(task))"
        case .resource:
            return record.fields["id"].flatMap(ValueBridge.id)?.rawValue
        case nil:
            return nil
        }
    }

    static func records(in value: Value) -> [Record] {
        switch value {
        case .record(let record): [record]
        case .list(let list): list.items.compactMap { if case .record(let record) = $0 { record } else { nil } }
        default: []
        }
    }

    /// The value with each record replaced by its fresh version (lists keep their order).
    static func replace(_ value: Value, with fresh: [String: [String: Value]]) -> Value? {
        switch value {
        case .record(let record):
            return key(record).flatMap { fresh[record.type.name]?[$0] } ?? nil
        case .list(let list):
            guard list.items.contains(where: { if case .record = $0 { true } else { false } }) else { return nil }
            return .list(ListBox(list.items.map { item in replace(item, with: fresh) ?? item }))
        default:
            return nil
        }
    }

    /// Why the condition cannot become true: a record in a failure state it does not mention.
    static func blocker(_ values: [Value?], check: WaitCheck) -> String? {
        let mentioned = Set(check.mentionedWords.map { $0.lowercased() })
        for value in values.compactMap({ $0 }) {
            for record in records(in: value) {
                let status = Printer.text(record.fields["status"] ?? .null).lowercased()
                guard let kind = Kind(record), kind.failureStates.contains(status), !mentioned.contains(status)
                else { continue }
                let name = record.fields["name"].map(Printer.text) ?? record.fields["taskId"].map(Printer.text) ?? ""
                let id = record.fields["id"].map(Printer.text) ?? ""
                return
                    "\(record.type.name) '\(name)'\(id.isEmpty ? "" : " (\(id))") is \(status) after \(Printer.duration(check.elapsed)): '\(check.condition)' cannot become true"
            }
        }
        return nil
    }
}
