import Foundation
import Synchronization
import YottaAPI

/// The kinds of resources the sandbox keeps are the API's (`YottaAPI.ResourceKind`); its state
/// names them in lower case (`vm`, `pod`, …), as state files of earlier versions do.
extension ResourceKind {
    public var stored: String { rawValue.lowercased() }

    public init?(stored: String) {
        guard let kind = Self.allCases.first(where: { $0.stored == stored }) else { return nil }
        self = kind
    }
}

/// Something that happened to a resource: the lifecycle of each kind is derived from these and the clock.
public struct ResourceEvent: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// Created; `duration` is how long it takes to become ready.
        case created
        /// A spot VM's preemption (scheduled at creation; takes effect at `at`).
        case preempted
        case terminate, pause, resume, stop, start, scale, resize, delete
        /// Cannot be placed: becomes FAILED after `duration`.
        case fail
    }

    public var kind: Kind
    public var at: Int64
    public var duration: Int64
    /// The new worker count for `scale`, the new size for `resize`.
    public var value: Int64?

    public init(_ kind: Kind, at: Int64, duration: Int64 = 0, value: Int64? = nil) {
        self.kind = kind
        self.at = at
        self.duration = duration
        self.value = value
    }
}

/// A resource row with its events, as the controllers read it.
public struct StoredResource: Sendable {
    public var id: Int64
    public var kind: ResourceKind
    public var name: String
    public var createdAt: Int64
    /// The kind's record as JSON (`VMSpec`, `PodSpec`, …).
    public var spec: Data
    public var events: [ResourceEvent]
    /// When the resource left the lists (a finished delete); nil while it exists.
    public var goneAt: Int64?
    /// The state's cache of decoded specs.
    let specs: SpecCache?

    init(
        id: Int64, kind: ResourceKind, name: String, createdAt: Int64, spec: Data, events: [ResourceEvent],
        goneAt: Int64?, specs: SpecCache? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.createdAt = createdAt
        self.spec = spec
        self.events = events
        self.goneAt = goneAt
        self.specs = specs
    }

    /// The spec decoded as its kind's record (from the state's cache while the stored JSON is unchanged).
    func decode<Spec: Decodable & Sendable>(_: Spec.Type) throws -> Spec {
        guard let specs else { return try JSONDecoder().decode(Spec.self, from: spec) }
        return try specs.decode(Spec.self, id: id, data: spec)
    }

    /// Events that have happened by `now`, in order.
    func events(upTo now: Int64) -> [ResourceEvent] { events.filter { $0.at <= now } }
}

/// Decoded specs by resource id, reused while the stored JSON is the same: decoding a pod's spec
/// costs more than reading it from SQLite. One per `SandboxStore`.
final class SpecCache: Sendable {
    private let entries = Mutex<[Int64: (data: Data, value: any Sendable)]>([:])
    private let limit = 50_000

    func decode<Spec: Decodable & Sendable>(_: Spec.Type, id: Int64, data: Data) throws -> Spec {
        if let entry = entries.withLock({ $0[id] }), entry.data == data, let value = entry.value as? Spec {
            return value
        }
        let value = try JSONDecoder().decode(Spec.self, from: data)
        remember(value, id: id, data: data)
        return value
    }

    /// Keeps `value` as the decoded form of `data`, the spec of resource `id`.
    func remember(_ value: any Sendable, id: Int64, data: Data) {
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[id] = (data, value)
        }
    }
}
