import Foundation
import Language
import Runs
import YottaAPI

extension CloudSession {
    /// Creates a resource, recorded in the run ledger on both sides of the request: the intent
    /// (kind, name, spec, and until when the provider could apply it) before it is sent — a ledger
    /// that cannot be written stops the create — and the id after, written even when a signal has
    /// cancelled the program meanwhile.
    ///
    /// A failure is read for what it proves (`CreateFailure`): nothing made (never sent, refused)
    /// closes the intent, and throttling is retried with the client's backoff; an unknown outcome (a
    /// gateway's 5xx, a system error, a lost answer) is resolved against what exists (`resolve`: a
    /// new resource of the name and spec, never someone else's) and, when nothing is found, the
    /// request is sent again under a new intent — the first stays open, so a later clean finds
    /// whatever it made. Never two resources for one intent, and nothing made is left untracked.
    func create<Request: CreateRequest>(
        _ request: Request, lifetime: Lifetime = Lifetime()
    ) async throws -> Request.Model {
        let kind = Request.Model.kind
        let policy = client.configuration.retry
        // A VM's record has no price: the offers are read meanwhile (once a session).
        if kind == .vm, pricesRead == nil { Task { [self] in _ = await prices() } }
        try await checkBudget(request)
        var attempt = 1
        while true {
            let seq: Int64
            do {
                seq = try await ledger.intend(
                    kind, name: request.resourceName, spec: Self.spec(request), settleBy: settleBy,
                    ttl: lifetime.ttl, keep: lifetime.keep)
                if lifetime.ttl != nil { watchExpiries() }
            } catch {
                throw RuntimeError(
                    .apiError, "\(kind.namespace).create '\(request.resourceName)' not sent: \(error)", at: .none,
                    kind: .ledger)
            }
            // Not cancelled with the program: a create that was sent finishes, and is recorded.
            let client = client
            let failure: any Error
            switch await Task(operation: { try await request.send(client) }).result {
            case .success(let model):
                await recordCreated(seq, model)
                return model
            case .failure(let error): failure = error
            }
            let again = attempt < policy.maximumAttempts && !Task.isCancelled
            switch CreateFailure(failure) {
            case .notCreated(let note):
                await ledger.abandon(seq, note: note)
                throw failure
            case .unknown(let note):
                await ledger.unresolved(seq, note: note)
                // A moment for the provider to show what it made (half the client's backoff: the
                // wait holds one of the parallel loop's places), then look; nothing found, it is
                // sent again at once.
                try? await sleep(policy.backoff(afterAttempt: attempt) / 2)
                guard let entry = ledger.entries.first(where: { $0.seq == seq }) else { throw failure }
                switch await resolve([entry])[seq] {
                case .found(let candidate)?:
                    await record([seq: .found(candidate)])
                    guard let model = candidate.model as? Request.Model else { throw failure }
                    return model
                case .ambiguous(let ids)?:
                    throw RuntimeError(
                        .apiError,
                        "\(kind.namespace).create '\(request.resourceName)': \(failure); "
                            + "\(ids.count) resources of that name could be what it made "
                            + "(ids \(ids.map(\.rawValue).joined(separator: ", "))), so none was taken; "
                            + "the intent stays open for gpus runs clean",
                        at: .none, kind: .ambiguous)
                default:
                    guard again else { throw failure }
                }
            }
            if Task.isCancelled { throw failure }
            attempt += 1
        }
    }

    /// `KIND.create(…)`: the request from the call's arguments, created and returned as a record.
    func create<Request: CreateRequest>(_: Request.Type, _ arguments: AsyncArguments) async throws -> Value {
        let request = try ValueBridge.request(Request.self, from: arguments)
        return record(try await create(request, lifetime: try Lifetime(arguments)))
    }

    /// `KIND.ensure(…)`: the one live resource of the name, or a new one. The lookup and the create
    /// hold the ledger's lock on (target, kind, name), so concurrent runs create it once; another
    /// run's open intent on the same name is resolved, or waited for, first. When the
    /// resource found differs from the request in fields the API returns, `onDrift` decides:
    /// `"fail"` (the default) lists the differences, `"keep"` returns it as it is, `"replace"`
    /// deletes it and creates it anew.
    func ensure<Request: CreateRequest>(_: Request.Type, _ arguments: AsyncArguments) async throws -> Value {
        let request = try ValueBridge.request(Request.self, from: arguments)
        let lifetime = try Lifetime(arguments)
        let policy = try arguments.optionalString("onDrift") ?? "fail"
        guard ["fail", "keep", "replace"].contains(policy) else {
            throw arguments.failure(
                "bad argument 'onDrift' to '\(arguments.name)' (\"fail\", \"keep\" or \"replace\" expected)",
                kind: .argument)
        }
        let kind = Request.Model.kind
        let key = LockKey(target: ledger.run.target, kind: kind, name: request.resourceName)
        let model = try await ledger.withLock(kind, name: request.resourceName) { () async throws -> Request.Model in
            // A run that died with its create of this name in flight left an open intent: resolved
            // (or waited for) before looking, or ensure would make a second.
            try await self.settleOpenIntents(key)
            let live = try await request.existing(self.client)
            guard live.count <= 1 else {
                let ids = live.map(\.id.rawValue).joined(separator: ", ")
                throw RuntimeError(
                    .invalidOperation,
                    "\(live.count) live \(kind.rawValue)s are named '\(request.resourceName)' (ids \(ids)); ensure needs at most one",
                    at: .none, kind: .ambiguous)
            }
            guard let found = live.first else { return try await self.create(request, lifetime: lifetime) }
            let differences = Drift.differences(want: request, have: found)
            if differences.isEmpty || policy == "keep" {
                self.onEnsureFound?(kind, request.resourceName, found.id.rawValue, differences.map(\.description))
                return found
            }
            if policy == "replace" {
                self.onEnsureFound?(kind, request.resourceName, found.id.rawValue, differences.map(\.description))
                try await self.remove(kind, found.id, stopTimeout: .seconds(120))
                return try await self.create(request, lifetime: lifetime)
            }
            throw RuntimeError(
                .invalidOperation,
                "\(kind.rawValue) '\(request.resourceName)' (\(found.id.rawValue)) exists but differs: "
                    + differences.map(\.description).joined(separator: "; ")
                    + "; pass onDrift: \"keep\" to use it as it is, or \"replace\" to recreate it",
                at: .none, kind: .drift,
                details: [
                    "differences": .list(
                        ListBox(
                            differences.map {
                                .map(
                                    MapBox([
                                        ("field", .string($0.field)), ("have", $0.have.value), ("want", $0.want.value),
                                    ]))
                            }))
                ])
        }
        return record(model)
    }

    /// The create's arguments as JSON for the ledger, with secrets masked: the request encoded into
    /// values, masked, written once.
    static func spec<Request: Encodable>(_ request: Request) -> String {
        guard let tree = try? ValueCoding.encode(request) else { return "{}" }
        func mask(_ value: SendableValue) -> SendableValue {
            switch value {
            case .map(let keys, let values):
                return .map(keys, zip(keys, values).map { Drift.isSecret($0) ? .string("••••") : mask($1) })
            case .list(let items): return .list(items.map(mask))
            default: return value
            }
        }
        return Drift.text(mask(tree))
    }
}

/// Where a resource found by `ensure` differs from what the call asks for.
enum Drift {
    struct Difference: CustomStringConvertible {
        let field: String
        let have: SendableValue
        let want: SendableValue
        var description: String { "\(field): \(Drift.text(have)) → \(Drift.text(want))" }
    }

    /// A request's or a resource's fields as JSON text.
    static func text(_ value: SendableValue) -> String {
        (try? JSONBridge.text(value.value)) ?? Printer.text(value.value)
    }

    /// Fields never compared: the name (it matched) and secrets (never returned).
    static func isSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["password", "token", "secret", "authkey"].contains { lower.contains($0) }
    }

    /// The request's fields that the resource also has, and that differ.
    static func differences<Request: Encodable, Model: Encodable>(want: Request, have: Model) -> [Difference] {
        guard let wanted = fields(want), let existing = fields(have) else { return [] }
        return differences(wanted: wanted, existing: existing)
    }

    /// The wanted fields that the resource also has, and that differ (the name, secrets and nulls
    /// are not compared).
    static func differences(wanted: [String: SendableValue], existing: [String: SendableValue]) -> [Difference] {
        wanted.keys.sorted().compactMap { key in
            guard key != "name", !isSecret(key), let want = wanted[key], !want.isNull, let have = existing[key],
                !have.isNull, !matches(want, have)
            else { return nil }
            return Difference(field: key, have: have, want: want)
        }
    }

    /// A model's or a request's fields, encoded into values.
    static func fields<T: Encodable>(_ value: T) -> [String: SendableValue]? {
        (try? ValueCoding.encode(value))?.members
    }

    /// Whether what the resource has satisfies what is wanted: numbers by value (`"32"` is 32),
    /// strings regardless of case, objects by the wanted keys only (the API adds its own).
    static func matches(_ want: SendableValue, _ have: SendableValue) -> Bool {
        if let wanted = want.members, let existing = have.members {
            return wanted.allSatisfy { key, value in
                value.isNull || existing[key].map { matches(value, $0) } ?? false
            }
        }
        switch (want, have) {
        case (.list(let wanted), .list(let existing)):
            return wanted.count == existing.count && zip(wanted, existing).allSatisfy { matches($0, $1) }
        case (.null, .null): return true
        case (.bool(let left), .bool(let right)): return left == right
        default:
            if let left = number(want), let right = number(have) { return left == right }
            if case .string(let left) = want, case .string(let right) = have {
                return left.caseInsensitiveCompare(right) == .orderedSame
            }
            return false
        }
    }

    static func number(_ value: SendableValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .float(let number): number
        case .string(let text): Double(text)
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }
}
