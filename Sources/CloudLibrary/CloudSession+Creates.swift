import Foundation
import Language
import Runs
import YottaAPI

extension CloudSession {
    /// Creates a resource, recorded in the run ledger on both sides of the request: the intent
    /// (kind, name, spec) before it is sent — a ledger that cannot be written stops the create —
    /// and the id after. When the response is lost (timeout, broken connection) the create may
    /// still have happened: the resource is looked up by name and recorded, so nothing created is
    /// left untracked; a `kill -9` in between leaves the intent, resolved by name the same way.
    func create<Request: CreateRequest>(_ request: Request) async throws -> Request.Model {
        let kind = Request.Model.kind
        let seq: Int64
        do {
            seq = try await ledger.intend(kind, name: request.resourceName, spec: Self.spec(request))
        } catch {
            throw RuntimeError(
                .apiError, "\(kind.namespace).create '\(request.resourceName)' not sent: \(error)", at: .none,
                kind: "ledger")
        }
        let failure: any Error
        do {
            // Not cancelled with the program: a create that was sent finishes, and is recorded.
            let client = client
            let model = try await Task { try await request.send(client) }.value
            await ledger.created(seq, id: model.id.rawValue, pricePerHour: model.pricePerHour)
            return model
        } catch {
            failure = error
        }
        guard case .transport(let transport, _)? = failure as? YottaError, transport != .cancelled,
            !transport.requestNeverSent
        else {
            await ledger.abandon(seq)
            throw failure
        }
        if let model = try? await request.existing(client).last {
            await ledger.created(seq, id: model.id.rawValue, pricePerHour: model.pricePerHour)
            return model
        }
        // Unknown: the intent stays open, to be resolved by name when the run is cleaned.
        throw failure
    }

    /// `KIND.create(…)`: the request from the call's arguments, created and returned as a record.
    func create<Request: CreateRequest>(_: Request.Type, _ arguments: AsyncArguments) async throws -> Value {
        let request = try ValueBridge.request(Request.self, from: arguments)
        return record(try await create(request))
    }

    /// `KIND.ensure(…)`: the one live resource of the name, or a new one. The lookup and the create
    /// hold the ledger's lock on (target, kind, name), so concurrent runs create it once. When the
    /// resource found differs from the request in fields the API returns, `onDrift` decides:
    /// `"fail"` (the default) lists the differences, `"keep"` returns it as it is, `"replace"`
    /// deletes it and creates it anew.
    func ensure<Request: CreateRequest>(_: Request.Type, _ arguments: AsyncArguments) async throws -> Value {
        let request = try ValueBridge.request(Request.self, from: arguments)
        let policy = try arguments.optionalString("onDrift") ?? "fail"
        guard ["fail", "keep", "replace"].contains(policy) else {
            throw arguments.failure(
                "bad argument 'onDrift' to '\(arguments.name)' (\"fail\", \"keep\" or \"replace\" expected)",
                kind: "argument")
        }
        let kind = Request.Model.kind
        let model = try await ledger.withLock(kind, name: request.resourceName) { () async throws -> Request.Model in
            let live = try await request.existing(self.client)
            guard live.count <= 1 else {
                let ids = live.map(\.id.rawValue).joined(separator: ", ")
                throw RuntimeError(
                    .invalidOperation,
                    "\(live.count) live \(kind.rawValue)s are named '\(request.resourceName)' (ids \(ids)); ensure needs at most one",
                    at: .none, kind: "ambiguous")
            }
            guard let found = live.first else { return try await self.create(request) }
            let differences = Drift.differences(want: request, have: found)
            if differences.isEmpty || policy == "keep" { return found }
            if policy == "replace" {
                try await self.remove(kind, found.id, stopTimeout: .seconds(120))
                return try await self.create(request)
            }
            throw RuntimeError(
                .invalidOperation,
                "\(kind.rawValue) '\(request.resourceName)' (\(found.id.rawValue)) exists but differs: "
                    + differences.map(\.description).joined(separator: "; ")
                    + "; pass onDrift: \"keep\" to use it as it is, or \"replace\" to recreate it",
                at: .none, kind: "drift",
                details: [
                    "differences": .list(
                        ListBox(
                            differences.map {
                                .map(
                                    MapBox([
                                        ("field", .string($0.field)), ("have", ValueBridge.value($0.have)),
                                        ("want", ValueBridge.value($0.want)),
                                    ]))
                            }))
                ])
        }
        return record(model)
    }

    /// The create's arguments as JSON for the ledger, with secrets masked.
    static func spec<Request: Encodable>(_ request: Request) -> String {
        guard let data = try? ValueBridge.encoder.encode(request),
            let json = try? ValueBridge.decoder.decode(JSONValue.self, from: data)
        else { return "{}" }
        func mask(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let fields):
                return .object(
                    Dictionary(
                        uniqueKeysWithValues: fields.map { key, item in
                            (key, Drift.isSecret(key) ? .string("••••") : mask(item))
                        }))
            case .array(let items): return .array(items.map(mask))
            default: return value
            }
        }
        return mask(json).jsonText
    }
}

/// Where a resource found by `ensure` differs from what the call asks for.
enum Drift {
    struct Difference: CustomStringConvertible {
        let field: String
        let have: JSONValue
        let want: JSONValue
        var description: String { "\(field): \(have.jsonText) → \(want.jsonText)" }
    }

    /// Fields never compared: the name (it matched) and secrets (never returned).
    static func isSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["password", "token", "secret", "authkey"].contains { lower.contains($0) }
    }

    /// The request's fields that the resource also has, and that differ.
    static func differences<Request: Encodable, Model: Encodable>(want: Request, have: Model) -> [Difference] {
        guard case .object(let wanted)? = json(want), case .object(let existing)? = json(have) else { return [] }
        return wanted.keys.sorted().compactMap { key in
            guard key != "name", !isSecret(key), let want = wanted[key], want != .null, let have = existing[key],
                have != .null, !matches(want, have)
            else { return nil }
            return Difference(field: key, have: have, want: want)
        }
    }

    static func json<T: Encodable>(_ value: T) -> JSONValue? {
        guard let data = try? ValueBridge.encoder.encode(value) else { return nil }
        return try? ValueBridge.decoder.decode(JSONValue.self, from: data)
    }

    /// Whether what the resource has satisfies what is wanted: numbers by value (`"32"` is 32),
    /// strings regardless of case, objects by the wanted keys only (the API adds its own).
    static func matches(_ want: JSONValue, _ have: JSONValue) -> Bool {
        switch (want, have) {
        case (.object(let wanted), .object(let existing)):
            return wanted.allSatisfy { key, value in
                value == .null || existing[key].map { matches(value, $0) } ?? false
            }
        case (.array(let wanted), .array(let existing)):
            return wanted.count == existing.count && zip(wanted, existing).allSatisfy { matches($0, $1) }
        default:
            if let left = number(want), let right = number(have) { return left == right }
            if case .string(let left) = want, case .string(let right) = have {
                return left.caseInsensitiveCompare(right) == .orderedSame
            }
            return want == have
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        case .string(let text): Double(text)
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }
}
