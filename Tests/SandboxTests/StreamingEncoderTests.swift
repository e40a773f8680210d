import Foundation
import Testing
import YottaAPI

@testable import Sandbox

/// The sandbox's streaming encoder writes the JSON `JSONEncoder` writes (the same bytes, or the same
/// document with keys in declaration order), for every response model and awkward strings and numbers.
@Suite struct StreamingEncoderTests {
    static func same<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reference = JSONEncoder()
        reference.outputFormatting = [.withoutEscapingSlashes]
        let expected = String(decoding: try reference.encode(value), as: UTF8.self)
        let streamed = String(decoding: try StreamingJSONEncoder().encode(value), as: UTF8.self)
        guard streamed != expected else { return }
        // JSONEncoder keeps each object's keys in a dictionary, so its key order is arbitrary; the
        // streaming encoder writes them in `encode(to:)` order. Then the two must be the same JSON.
        let decoder = JSONDecoder()
        let same =
            try decoder.decode(JSONValue.self, from: Data(streamed.utf8))
            == decoder.decode(JSONValue.self, from: Data(expected.utf8))
        #expect(same, "\(streamed.prefix(300)) ≠ \(expected.prefix(300))", sourceLocation: sourceLocation)
    }

    @Test func everyResponseModelEncodesAsJSONEncoderDoes() async throws {
        let sandbox = try Harness()
        let client = sandbox.client
        try Self.same(try await client.listVMTypes())
        let offer = try await sandbox.offer()
        var vmRequest = CreateVMRequest(vmTypeId: offer.vmTypeId, region: offer.region, name: "vm \"quoted\" \\ é 🚀")
        vmRequest.isSpot = 1
        let vm = try await client.createVM(vmRequest)
        try Self.same(vm)
        var pod = CreatePodRequest(name: "p/slash", image: "img", gpuType: "NVIDIA_H100_80G", gpuCount: 2)
        pod.environmentVars = [EnvironmentVariable(key: "K", value: "line\nbreak\u{1}")]
        pod.expose = [ExposedPort(port: 8080, protocol: "http")]
        let created = try await client.createPod(pod)
        sandbox.advance(.seconds(3600))
        try Self.same(try await client.listVMs(page: 1, size: 10))
        try Self.same(try await client.getPod(id: created.id))
        try Self.same(try await client.listPods())
        try Self.same(try await client.podMetrics(.gpu, podID: created.id))
        try Self.same(try await client.podMetrics(.memory, podID: created.id))
        try Self.same(
            try await client.createCredential(CreateCredentialRequest(name: "hub", username: "u", password: "p")))
        try Self.same(
            try await client.createVolume(
                CreateVolumeRequest(name: "data", storageType: .init(.ceph), region: "us-east-1", sizeInGb: 10)))
        let endpoint = try await sandbox.queueEndpoint()
        sandbox.advance(.seconds(600))
        try Self.same(try await client.listEndpoints())
        let workers = try await client.listWorkers(endpointID: endpoint.id)
        try Self.same(workers)
        let input: JSONValue = [
            "text": "a \"b\" \u{7f}", "n": 1.5, "big": 1e21, "tiny": 0.0001, "list": [1, nil, true],
        ]
        let submitted = try await client.submitTask(
            endpointID: endpoint.id, SubmitTaskRequest(input: input, workerPort: 8000, processUri: "/run"))
        sandbox.advance(.seconds(60))
        try Self.same(try await client.getTask(endpointID: endpoint.id, taskID: submitted.taskId))
        if let worker = workers.first {
            try Self.same(try await client.workerLogs(endpointID: endpoint.id, workerID: worker.workerId))
        }
    }

    @Test(arguments: [0.0, -0.0, 1.0, 2.49, 0.1 + 0.2, 1e-5, 1e21, 123456789.125, -3.5e-300, 5e-324])
    func doublesAsJSONEncoder(_ value: Double) throws {
        try Self.same(["value": value])
        try Self.same(JSONValue.double(value))
    }

    @Test func stringsAndNesting() throws {
        let control = (0..<32).map { String(UnicodeScalar(UInt8($0))) }.joined()
        try Self.same([control, "\u{7f}\u{2028}\u{fffe}", "/", "\"\\", ""])
        try Self.same(JSONValue.object(["a": .array([.object([:]), .array([]), .null]), "b": .object(["c": 1])]))
        try Self.same([[String: Int]](repeating: [:], count: 3))
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Double.nan]) }
    }
}
