import Foundation
import Language
import YottaAPI

extension CloudSession {
    /// Sends a create; records the new resource in the ledger. When the response is lost (timeout,
    /// broken connection) the create may still have happened: the resource is looked up by name and
    /// recorded, so nothing created is left untracked.
    func create<Model: Encodable & Sendable>(
        _ kind: String, name: String?, id: (Model) -> ResourceID, _ send: @escaping @Sendable () async throws -> Model,
        find: () async throws -> Model?
    ) async throws -> Value {
        let failure: any Error
        do {
            // Not cancelled with the program: a create that was sent finishes, and is recorded.
            let model = try await Task { try await send() }.value
            ledger.record(kind, id(model), name)
            return record(model, kind)
        } catch {
            failure = error
        }
        guard case .transport(let transport, _)? = failure as? YottaError, transport != .cancelled,
            !transport.requestNeverSent
        else { throw failure }
        if let model = try? await find() {
            ledger.record(kind, id(model), name)
            return record(model, kind)
        }
        throw failure
    }

    func createVM(_ arguments: Arguments) async throws -> Value {
        let request = try ValueBridge.request(CreateVMRequest.self, from: arguments)
        return try await create("VM", name: request.name, id: { $0.id }) {
            try await self.client.createVM(request)
        } find: {
            try await client.allVMs().collect().last { $0.name == request.name && $0.status != .terminated }
        }
    }

    func createPod(_ arguments: Arguments) async throws -> Value {
        let request = try ValueBridge.request(CreatePodRequest.self, from: arguments)
        return try await create("Pod", name: request.name, id: { $0.id }) {
            try await self.client.createPod(request)
        } find: {
            try await client.listPods().first { $0.name == request.name && $0.status != .terminated }
        }
    }

    func createEndpoint(_ arguments: Arguments) async throws -> Value {
        let request = try ValueBridge.request(CreateEndpointRequest.self, from: arguments)
        return try await create("Endpoint", name: request.name, id: { $0.id }) {
            try await self.client.createEndpoint(request)
        } find: {
            try await client.listEndpoints().first { $0.name == request.name }
        }
    }

    func createVolume(_ arguments: Arguments) async throws -> Value {
        let request = try ValueBridge.request(CreateVolumeRequest.self, from: arguments)
        return try await create("Volume", name: request.name, id: { $0.id }) {
            try await self.client.createVolume(request)
        } find: {
            guard let type = request.storageType.known else { return nil }
            return try await client.allVolumes(storageType: type).collect().last { $0.name == request.name }
        }
    }

    func createCredential(_ arguments: Arguments) async throws -> Value {
        let request = try ValueBridge.request(CreateCredentialRequest.self, from: arguments)
        return try await create("Credential", name: request.name, id: { $0.id }) {
            try await self.client.createCredential(request)
        } find: {
            try await client.listCredentials().first { $0.name == request.name }
        }
    }

    /// Deletes everything the ledger holds, whatever state it is in: endpoints (stopped first),
    /// pods and VMs, then volumes and credentials. Returns one line per resource.
    public func cleanup(stopTimeout: Duration = .seconds(120)) async -> [String] {
        var report: [String] = []
        let order = ["Endpoint", "Pod", "VM", "Volume", "Credential"]
        for entry in ledger.all.sorted(by: { order.firstIndex(of: $0.kind) ?? 9 < order.firstIndex(of: $1.kind) ?? 9 })
        {
            let id = ResourceID(entry.id)
            do {
                switch entry.kind {
                case "VM":
                    if try await client.getVM(id: id).status != .terminated { try await client.terminateVM(id: id) }
                case "Pod":
                    let status = try await client.getPod(id: id).status
                    if ![.terminated, .terminating, .failed].contains(status.known) {
                        try await client.deletePod(id: id)
                    }
                case "Endpoint":
                    try await stopAndDeleteEndpoint(id, timeout: stopTimeout)
                case "Volume": try await deleteVolumeWhenFree(id, timeout: stopTimeout)
                default: try await client.deleteCredential(id: id)
                }
                ledger.remove(entry.kind, entry.id)
                report.append("deleted \(entry.kind) \(entry.name) (\(entry.id))")
            } catch {
                if (error as? YottaError)?.code?.category == .notFound {
                    ledger.remove(entry.kind, entry.id)
                    report.append("already gone: \(entry.kind) \(entry.name) (\(entry.id))")
                } else {
                    report.append("could not delete \(entry.kind) \(entry.name) (\(entry.id)): \(error)")
                }
            }
        }
        return report
    }

    func stopAndDeleteEndpoint(_ id: ResourceID, timeout: Duration) async throws {
        var waited = Duration.zero
        while true {
            let status = try await client.getEndpoint(id: id).status
            if status == .stopped || status == .failed { break }
            if status == .running || status == .initializing { try await client.stopEndpoint(id: id) }
            guard waited < timeout else { break }
            try await sleep(.milliseconds(500))
            waited += .milliseconds(500)
        }
        try await client.deleteEndpoint(id: id)
    }

    /// A volume can be deleted once no pod mounts it (pods being deleted release it).
    func deleteVolumeWhenFree(_ id: ResourceID, timeout: Duration) async throws {
        var waited = Duration.zero
        while true {
            let failure: YottaError
            do {
                try await client.deleteVolume(id: id)
                return
            } catch {
                failure = error
            }
            guard failure.code == .resourceStatusInvalid, waited < timeout else { throw failure }
            try await sleep(.milliseconds(500))
            waited += .milliseconds(500)
        }
    }
}
