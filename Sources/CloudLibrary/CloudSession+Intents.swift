import Foundation
import Language
import Runs
import YottaAPI

/// What a create's failure says about whether the resource exists. Only an answer proves either
/// way: a connection that never opened or a request refused before it was processed created
/// nothing; everything else (a gateway's 5xx without the API's envelope, a 408, a system error, a
/// lost answer, a 2xx that could not be read) leaves the outcome unknown until the resource is found
/// or the provider can no longer apply the request (`LedgerEntry.settleBy`).
enum CreateFailure {
    /// Nothing was made (throttling included: the client has retried it already).
    case notCreated(note: String)
    /// It may have been made.
    case unknown(note: String)

    init(_ error: any Error) {
        guard let error = error as? YottaError else {
            self = .unknown(note: "unknown: \(error)")
            return
        }
        switch error {
        case .validation, .configuration:
            self = .notCreated(note: "never sent: \(error)")
        case .transport(let failure, _):
            self =
                failure.requestNeverSent
                ? .notCreated(note: "never sent: \(failure)")
                : .unknown(note: "unknown: \(failure)")
        case .api(let api):
            switch api.code.category {
            case .system, .unknown:
                // A system error may come after the create was made; an unknown code proves nothing.
                self = .unknown(note: "unknown: code \(api.code), HTTP \(api.httpStatus)")
            default: self = .notCreated(note: "refused: \(api.message) (code \(api.code))")
            }
        case .httpStatus(let status, _, _):
            if status == 408 || status >= 500 || status < 400 {
                self = .unknown(note: "unknown: HTTP \(status)")
            } else {
                self = .notCreated(note: "refused: HTTP \(status)")
            }
        case .decoding:
            self = .unknown(note: "unknown: unreadable answer")
        }
    }
}

/// A resource that may be what an intent created.
struct Candidate: Sendable {
    let id: ResourceID
    let createdAt: Date?
    let fields: [String: SendableValue]
    let model: any CloudModel

    init<Model: CloudModel>(_ model: Model) {
        self.model = model
        id = model.id
        createdAt = model.createdTime
        fields = Drift.fields(model) ?? [:]
    }
}

/// What resolving an open intent found.
enum Resolution: Sendable {
    /// The one resource the intent made.
    case found(Candidate)
    /// Nothing yet, and the provider could still apply the request until this time.
    case notYet(Date)
    /// Nothing, and the provider can no longer apply the request.
    case neverCreated
    /// More resources fit than there are intents: which is ours cannot be told, so none is taken.
    case ambiguous([ResourceID])
    /// The cloud could not be asked.
    case lookupFailed(String)
}

extension CloudSession {
    /// How far the provider's clock may be behind ours: a candidate created more than this before
    /// the intent was recorded is not what the intent made.
    static let clockSkew: TimeInterval = 60
    /// Added to the request timeout for when a provider could still apply a create it was sent.
    static let settleMargin: TimeInterval = 120

    /// The page size of the lists that resolve an intent (the API allows up to 1,000).
    static let resolvePageSize = 500

    /// Until when the provider could still apply a create sent now: the request timeout + 120 s,
    /// or `GPUS_SETTLE_SECONDS` (a provider known to queue creates longer; tests).
    var settleBy: Date {
        if let text = ProcessInfo.processInfo.environment["GPUS_SETTLE_SECONDS"], let seconds = Double(text),
            seconds >= 0, seconds.isFinite
        {
            return Date().addingTimeInterval(seconds)
        }
        return Date().addingTimeInterval(
            Double(client.configuration.requestTimeout / .milliseconds(1)) / 1000 + Self.settleMargin)
    }

    /// The resources of a kind named `name` that still bill.
    func candidates(_ kind: ResourceKind, named name: String) async throws -> [Candidate] {
        switch kind {
        // Large pages: resolving runs while a fleet waits, and each page is a round trip.
        case .vm:
            try await client.allVMs(pageSize: Self.resolvePageSize).collect().filter { $0.name == name && $0.bills }
                .map(Candidate.init)
        case .pod: try await client.listPods().filter { $0.name == name && $0.bills }.map(Candidate.init)
        case .endpoint: try await client.listEndpoints().filter { $0.name == name }.map(Candidate.init)
        case .volume:
            try await StorageType.allCases.asyncFlatMap { type in
                try await self.client.allVolumes(storageType: type, pageSize: Self.resolvePageSize).collect().filter {
                    $0.name == name && $0.bills
                }
                .map(Candidate.init)
            }
        case .credential: try await client.listCredentials().filter { $0.name == name }.map(Candidate.init)
        }
    }

    /// Resolves open intents (no id, not abandoned) against what exists now. A resource is taken for
    /// an intent only when it is of the intent's kind and name, still bills, is attributed to no
    /// other entry of the ledger, matches the intent's spec (the fields the API returns), and was
    /// created no earlier than the intent (less `clockSkew`). When more resources fit a name than
    /// it has open intents, none is taken (ambiguous): nothing that might be someone else's is ever
    /// adopted, and so never deleted.
    func resolve(_ intents: [LedgerEntry], now: Date = Date()) async -> [Int64: Resolution] {
        var result: [Int64: Resolution] = [:]
        let groups = Dictionary(grouping: intents.filter(\.isOpen)) { "\($0.kind.rawValue)\u{0}\($0.name)" }
        for group in groups.values {
            let ordered = group.sorted { $0.intendedAt < $1.intendedAt }
            let first = ordered[0]
            let found: [Candidate]
            do {
                let all = try await candidates(first.kind, named: first.name)
                let attributed = Set(
                    try await ledger.store.entries(
                        .resources(target: first.target, kind: first.kind, ids: all.map(\.id.rawValue))
                    ).compactMap(\.resourceID))
                found = all.filter { !attributed.contains($0.id.rawValue) }
            } catch {
                for intent in ordered { result[intent.seq] = .lookupFailed(Self.describe(error)) }
                continue
            }
            let fits = ordered.map { intent in
                found.filter { Self.fits($0, intent) }.sorted {
                    ($0.createdAt ?? .distantFuture, $0.id.rawValue) < ($1.createdAt ?? .distantFuture, $1.id.rawValue)
                }
            }
            let union = Set(fits.flatMap { $0.map(\.id) })
            if union.count > ordered.count {
                let ids = union.sorted { $0.rawValue < $1.rawValue }
                for intent in ordered { result[intent.seq] = .ambiguous(ids) }
                continue
            }
            var taken = Set<ResourceID>()
            for (intent, fitting) in zip(ordered, fits) {
                if let candidate = fitting.first(where: { !taken.contains($0.id) }) {
                    taken.insert(candidate.id)
                    result[intent.seq] = .found(candidate)
                } else if now < settle(intent) {
                    result[intent.seq] = .notYet(settle(intent))
                } else {
                    result[intent.seq] = .neverCreated
                }
            }
        }
        return result
    }

    /// An intent's settle time (an intent recorded before settle times were: 30 s + the margin).
    func settle(_ intent: LedgerEntry) -> Date {
        intent.settleBy ?? intent.intendedAt.addingTimeInterval(30 + Self.settleMargin)
    }

    /// Whether a resource may be what an intent made: created after it (within the skew) and with
    /// the fields the intent asked for.
    static func fits(_ candidate: Candidate, _ intent: LedgerEntry) -> Bool {
        if let created = candidate.createdAt, created < intent.intendedAt.addingTimeInterval(-clockSkew) {
            return false
        }
        guard let spec = try? JSONBridge.parse(intent.spec),
            let wanted = (try? SendableValue(copying: spec))?.members
        else { return true }
        return Drift.differences(wanted: wanted, existing: candidate.fields).isEmpty
    }

    /// Records what resolution found for entries of any run: the id, or "never created".
    func record(_ resolutions: [Int64: Resolution]) async {
        for (seq, resolution) in resolutions {
            switch resolution {
            case .found(let candidate):
                await recordCreated(seq, candidate.model)
            case .neverCreated:
                await ledger.abandon(seq, note: "never created: not found by the time the provider could apply it")
            default: break
            }
        }
    }

    /// Before `ensure` looks a name up: the open intents of any run on the same (target, kind,
    /// name) — a run killed with its create in flight — are resolved first, waiting while the
    /// provider could still apply them, so that ensure never makes a second resource for them.
    func settleOpenIntents(_ key: LockKey) async throws {
        while true {
            let open = try await ledger.store.entries(.open(key))
            guard !open.isEmpty else { return }
            let resolutions = await resolve(open)
            await record(resolutions)
            var waiting = false
            for resolution in resolutions.values {
                switch resolution {
                case .ambiguous(let ids):
                    throw RuntimeError(
                        .invalidOperation,
                        "an earlier create of \(key.kind.rawValue) '\(key.name)' never answered, and "
                            + "\(ids.count) resources could be it (ids \(ids.map(\.rawValue).joined(separator: ", "))); "
                            + "delete the one that is not wanted, or run gpus runs clean",
                        at: .none, kind: .ambiguous)
                case .lookupFailed(let reason):
                    throw RuntimeError(
                        .apiError, "cannot resolve an earlier create of \(key.kind.rawValue) '\(key.name)': \(reason)",
                        at: .none, kind: .api)
                case .notYet: waiting = true
                case .found, .neverCreated: break
                }
            }
            guard waiting else { return }
            try await sleep(.seconds(1))
        }
    }
}
