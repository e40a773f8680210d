import Foundation
import YottaAPI

/// A resource a program can create: its kind, id and name, and whether it still bills (its price:
/// `Prices`).
protocol CloudModel: Encodable, Sendable {
    static var kind: ResourceKind { get }
    var id: ResourceID { get }
    /// Whether the resource bills (or may yet): not terminated, failed or being deleted.
    var bills: Bool { get }
    /// Whether the resource answers to its name and shows in lists: it bills or can come back (a
    /// paused pod, a stopped endpoint) — not terminated, terminating, failed or being deleted.
    var isLive: Bool { get }
    /// When the resource was created, by the provider's clock, where the record says.
    var createdTime: Date? { get }
    /// The name it was given (what `X.get(NAME)` and `ensure` look up).
    var givenName: String? { get }
}

/// A create request: what it makes, how it is sent, and how resources of its name are found.
protocol CreateRequest: Codable, Sendable {
    associatedtype Model: CloudModel
    /// The name the resource is created with (what `ensure` looks up).
    var resourceName: String { get }
    func send(_ client: YottaClient) async throws -> Model
    /// The resources of the request's kind and name that still bill (for `ensure`, and for a
    /// create whose response was lost).
    func existing(_ client: YottaClient) async throws -> [Model]
}

extension VM: CloudModel {
    var givenName: String? { name }
    var createdTime: Date? { createdAt?.date }
    static var kind: ResourceKind { .vm }
    var bills: Bool { status != .terminated }
    var isLive: Bool { bills }
}

extension Pod: CloudModel {
    var givenName: String? { name }
    var createdTime: Date? { createdAt?.date }
    static var kind: ResourceKind { .pod }
    var bills: Bool { ![.terminated, .terminating, .failed].contains(status.known) }
    var isLive: Bool { bills }
}

extension Endpoint: CloudModel {
    var givenName: String? { name }
    var createdTime: Date? { createdAt?.date }
    static var kind: ResourceKind { .endpoint }
    var bills: Bool { status.known != .terminated }
    var isLive: Bool { ![.terminated, .failed].contains(status.known) }
}

extension Volume: CloudModel {
    var givenName: String? { name }
    var createdTime: Date? { createdAt?.date }
    static var kind: ResourceKind { .volume }
    var bills: Bool { status != .deleting }
    var isLive: Bool { bills }
}

extension Credential: CloudModel {
    var givenName: String? { name }
    var createdTime: Date? { createdAt?.date }
    static var kind: ResourceKind { .credential }
    var bills: Bool { true }
    var isLive: Bool { true }
}

extension CreateVMRequest: CreateRequest {
    var resourceName: String { name }
    func send(_ client: YottaClient) async throws -> VM { try await client.createVM(self) }
    func existing(_ client: YottaClient) async throws -> [VM] {
        try await client.allVMs().collect().filter { $0.name == name && $0.isLive }
    }
}

extension CreatePodRequest: CreateRequest {
    var resourceName: String { name ?? "" }
    func send(_ client: YottaClient) async throws -> Pod { try await client.createPod(self) }
    func existing(_ client: YottaClient) async throws -> [Pod] {
        try await client.listPods().filter { $0.name == resourceName && $0.isLive }
    }
}

extension CreateEndpointRequest: CreateRequest {
    var resourceName: String { name }
    func send(_ client: YottaClient) async throws -> Endpoint { try await client.createEndpoint(self) }
    func existing(_ client: YottaClient) async throws -> [Endpoint] {
        try await client.listEndpoints().filter { $0.name == name && $0.isLive }
    }
}

extension CreateVolumeRequest: CreateRequest {
    var resourceName: String { name }
    func send(_ client: YottaClient) async throws -> Volume { try await client.createVolume(self) }
    func existing(_ client: YottaClient) async throws -> [Volume] {
        let types = storageType.known.map { [$0] } ?? StorageType.allCases
        var found: [Volume] = []
        for type in types {
            found += try await client.allVolumes(storageType: type).collect().filter { $0.name == name && $0.isLive }
        }
        return found
    }
}

extension CreateCredentialRequest: CreateRequest {
    var resourceName: String { name }
    func send(_ client: YottaClient) async throws -> Credential { try await client.createCredential(self) }
    func existing(_ client: YottaClient) async throws -> [Credential] {
        try await client.listCredentials().filter { $0.name == name }
    }
}

extension Sequence {
    func asyncFlatMap<T>(_ transform: (Element) async throws -> [T]) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result += try await transform(element) }
        return result
    }
}
