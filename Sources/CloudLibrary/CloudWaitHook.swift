import Foundation
import Language
import YottaAPI

/// Refreshes the resource records a `wait until` condition reads before each check — several
/// records of one kind with one list call — and ends the wait at once when a record reaches a
/// failure state the condition does not mention.
public struct CloudWaitHook: WaitHook {
    let session: CloudSession
    /// Draws a status line on stderr when it is a terminal.
    let statusLine: Bool

    public init(session: CloudSession, statusLine: Bool = false) {
        self.session = session
        self.statusLine = statusLine
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
        // Which records of each kind the condition reads.
        var wanted: [Kind: Set<String>] = [:]
        for value in check.values {
            for record in Self.records(in: value) {
                if let kind = Kind(record), let id = Self.key(record) { wanted[kind, default: []].insert(id) }
            }
        }
        if wanted.isEmpty { return WaitRefresh(values: check.values.map { _ in nil }) }
        var fresh: [String: [String: Value]] = [:]
        for (kind, ids) in wanted {
            fresh[kind.typeName] = try await session.api { try await fetch(kind, ids) }
        }
        let refreshed = check.values.map { Self.replace($0, with: fresh) }
        let states = refreshed.compactMap { $0 }.flatMap(Self.records).map {
            "\($0.fields["name"].map(Printer.text) ?? $0.type.name): \(Printer.text($0.fields["status"] ?? .null))"
        }
        if statusLine {
            let line =
                "\u{1B}[2K\r⧗ \(Printer.duration(check.elapsed)) waiting for \(check.condition) — \(states.prefix(4).joined(separator: ", "))"
            StandardStream.error.write(line)
        }
        return WaitRefresh(values: refreshed, blocked: Self.blocker(refreshed, check: check))
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
