import Foundation
import YottaAPI

/// `/v2/container-registry-auths`: list, get, create, update, delete. Passwords are never returned.
struct CredentialController {
    let context: RequestContext

    func list() async throws -> SandboxResponse {
        let selected = try await context.store.read { try $0.select(ResourceQuery(kind: .credential)) }
        return try .success(selected.items.reversed().map(present))
    }

    func get() async throws -> SandboxResponse { try await .success(present(find(context.pathID()))) }

    func find(_ id: Int64) async throws -> StoredResource {
        guard let stored = try context.store.resource(id, kind: .credential),
            stored.goneAt == nil
        else { throw APIFailure.business(.recordNotExist, "credential not found") }
        return stored
    }

    /// 10001 naming `field` when `id` is not a live credential.
    func requireExists(_ id: ResourceID, field: String) async throws {
        guard let number = id.int64Value,
            let stored = try context.store.resource(number, kind: .credential),
            stored.goneAt == nil
        else { throw APIFailure.invalid(field, "no credential \(id)") }
    }

    func create() async throws -> SandboxResponse {
        let request = try context.body(CreateCredentialRequest.self, as: .createCredential)
        let spec = CredentialSpec(
            type: request.type?.rawValue ?? CredentialType.dockerHub.rawValue, username: request.username,
            password: request.password)
        let now = context.now
        let stored = try await context.store.write { writer in
            try writer.insert(kind: .credential, name: request.name, record: spec, events: [], now: now)
        }
        return try .success(present(stored))
    }

    func update() async throws -> SandboxResponse {
        let id = try context.pathID()
        let request = try context.body(UpdateCredentialRequest.self, as: .updateCredential)
        let stored = try await context.store.write { writer -> StoredResource? in
            guard let stored = try writer.reader.resource(id, kind: .credential), stored.goneAt == nil,
                var spec = try? stored.decode(CredentialSpec.self)
            else { return nil }
            if let username = request.username { spec.username = username }
            if let password = request.password { spec.password = password }
            try writer.update(id, name: request.name, spec: spec.jsonData())
            return try writer.reader.resource(id, kind: .credential)
        }
        guard let stored else { throw APIFailure.business(.recordNotExist, "credential not found") }
        return try .success(present(stored))
    }

    /// Refused with 25002 while a live pod or endpoint uses the credential.
    func delete() async throws -> SandboxResponse {
        let id = try context.pathID()
        let now = context.now
        let outcome = try await context.store.write { writer -> Result<Void, APIFailure> in
            guard let stored = try writer.reader.resource(id, kind: .credential), stored.goneAt == nil else {
                return .failure(.business(.recordNotExist, "credential not found"))
            }
            let users = try writer.reader.referrers(of: id)
            let pods = users.filter { pod in
                pod.kind == .pod && ![.terminated, .failed].contains(PodController.status(pod, now: now))
            }
            let endpoints = users.filter { $0.kind == .endpoint && $0.goneAt == nil }
            guard pods.isEmpty, endpoints.isEmpty else {
                let podList = pods.map { JSONValue.object(["id": .int($0.id), "name": .string($0.name)]) }
                let elasticList = endpoints.map {
                    JSONValue.object(["id": .string(String($0.id)), "name": .string($0.name)])
                }
                return .failure(
                    .business(
                        .credentialInUse, "Credential is in use and cannot be deleted.",
                        data: ["podList": .array(podList), "elasticList": .array(elasticList)]))
            }
            try writer.markGone(id, at: now, now: now)
            return .success(())
        }
        try outcome.get()
        return try .success(true)
    }

    func present(_ stored: StoredResource) -> Credential {
        let spec = try? stored.decode(CredentialSpec.self)
        return Credential(
            id: ResourceID(stored.id), name: stored.name, type: spec.map { Open(wire: $0.type) },
            createdAt: Timestamp(epochMillis: stored.createdAt, wireForm: .iso8601))
    }
}
