import Foundation
import Sandbox
import YottaAPI

/// A sandbox on a manual clock, reached through the real client over the embedded transport.
struct Harness {
    let clock = ManualClock()
    let service: SandboxService
    let client: YottaClient

    init(faults: FaultPlan = .none, seed: UInt64 = 1, path: String = ":memory:", speed: Double = 1) throws {
        let store = try SandboxStore(path: path)
        service = SandboxService(
            store: store, clock: clock, options: SandboxOptions(speed: speed, faults: faults, seed: seed))
        let configuration = try ClientConfiguration(
            baseURL: "http://127.0.0.1", apiKey: APIKey("sandbox"), retry: .none)
        client = YottaClient(configuration: configuration, transport: EmbeddedTransport(service: service))
    }

    func advance(_ duration: Duration) { clock.advance(by: duration) }

    /// Sends a raw request, bypassing the client and its checks.
    func raw(_ method: String, _ path: String, query: [(String, String)] = [], body: String? = nil) async -> RawResponse
    {
        let response = await service.handle(
            SandboxRequest(
                method: method, path: path, query: query, headers: [("Content-Type", "application/json")],
                body: Data((body ?? "").utf8)))
        return RawResponse(status: response.status, body: response.body)
    }

    /// An available VM offer.
    func offer(_ gpu: String = "NVIDIA_H100_80G") async throws -> VMType.Region {
        let types = try await client.listVMTypes()
        guard let offer = types.first(where: { $0.gpuType == gpu })?.regions.first(where: \.available) else {
            throw HarnessError.noOffer
        }
        return offer
    }

    func queueEndpoint(name: String = "embedder", workers: Int = 2, webhook: String? = nil) async throws -> Endpoint {
        var request = CreateEndpointRequest(
            name: name, image: "acme/embed:1.2",
            resources: [EndpointResource(region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1)],
            workers: workers,
            containerVolumeInGb: 20, serviceMode: .init(.queue))
        request.expose = EndpointExpose(port: 8000, protocol: "http")
        request.webhook = webhook
        return try await client.createEndpoint(request)
    }
}

enum HarnessError: Error { case noOffer }

struct RawResponse {
    var status: Int
    var body: Data

    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: body) }
    var code: Int? {
        if case .int(let code)? = json?["code"] { return Int(code) }
        return nil
    }
    var message: String {
        if case .string(let message)? = json?["message"] { return message }
        return ""
    }
}

/// The business code of a thrown client error.
func code(of error: (any Error)?) -> Int? {
    (error as? YottaError)?.code?.rawValue
}
