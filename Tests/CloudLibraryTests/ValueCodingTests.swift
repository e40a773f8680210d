import Foundation
import Language
import Testing
import YottaAPI

@testable import CloudLibrary

/// The Codable coder over `SendableValue` reads and writes what JSON would: a model encoded into
/// values is its JSON document (a record has exactly the API's fields), and a request decoded from
/// values is the request JSON would have made of the same document.
@Suite struct ValueCodingTests {
    /// A tree as the JSON document it stands for (an integral double is an int, as JSON reads it).
    static func json(_ value: SendableValue) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .float(let number): .double(number)
        case .string(let text), .status(let text): .string(text)
        case .list(let items): .array(items.map(json))
        case .map(let keys, let values): .object(Dictionary(uniqueKeysWithValues: zip(keys, values.map(json))))
        default: .string("unexpected \(value)")
        }
    }

    static func viaJSON<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    static func same<T: Encodable>(_ model: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(json(try ValueCoding.encode(model)) == (try viaJSON(model)), sourceLocation: sourceLocation)
    }

    @Test func everyModelEncodesIntoItsJSONDocument() async throws {
        let harness = try CloudHarness()
        let client = harness.session.client
        let types = try await client.listVMTypes()
        try Self.same(types)
        let offer = try #require(types.first?.regions.first)
        let vm = try await client.createVM(
            CreateVMRequest(vmTypeId: offer.vmTypeId, region: offer.region, name: "vm é 🚀"))
        try Self.same(vm)
        var podRequest = CreatePodRequest(name: "p", image: "img", gpuType: "NVIDIA_H100_80G", gpuCount: 2)
        podRequest.environmentVars = [EnvironmentVariable(key: "K", value: "line\nbreak")]
        podRequest.expose = [ExposedPort(port: 8080, protocol: "http")]
        let pod = try await client.createPod(podRequest)
        try Self.same(pod)
        try Self.same(try await client.getPod(id: pod.id))
        try Self.same(try await client.podMetrics(.gpu, podID: pod.id))
        try Self.same(
            try await client.createCredential(CreateCredentialRequest(name: "hub", username: "u", password: "p")))
        try Self.same(
            try await client.createVolume(
                CreateVolumeRequest(name: "data", storageType: .init(.ceph), region: "us-east-1", sizeInGb: 10)))
        try Self.same(try await client.listEndpoints())
        let input: JSONValue = ["n": 1.5, "whole": 2.0, "big": 1e21, "list": [1, nil, true], "text": "a\"b"]
        try Self.same(SubmitTaskRequest(input: input, workerPort: 8000, processUri: "/run"))
    }

    /// A request decoded from values encodes to the same JSON as the request itself, and the
    /// record made of a model has its JSON document's fields, times as times.
    @Test func requestsRoundTripAndRecordsHaveTheModelsFields() throws {
        var pod = CreatePodRequest(name: "p", image: "img:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        pod.environmentVars = [EnvironmentVariable(key: "HF_HOME", value: "/data")]
        pod.expose = [ExposedPort(port: 80, protocol: "HTTP")]
        let tree = try ValueCoding.encode(pod)
        let decoded = try ValueCoding.decode(CreatePodRequest.self, from: tree)
        #expect(try Self.viaJSON(decoded) == (try Self.viaJSON(pod)))
        let submit = SubmitTaskRequest(input: ["a": [1, 2.5, "x"]], workerPort: 8000, processUri: "/run")
        let back = try ValueCoding.decode(SubmitTaskRequest.self, from: try ValueCoding.encode(submit))
        #expect(try Self.viaJSON(back) == (try Self.viaJSON(submit)))
    }

    /// The language's forms: a duration or a time is its text, a range its ints, an int any integer
    /// type that holds it (an integral float too); anything else is a DecodingError with the path.
    @Test func theLanguagesFormsAndItsMistakes() throws {
        struct Probe: Decodable {
            var text: String
            var small: Int8
            var whole: Int
            var list: [Int]
            var any: JSONValue
        }
        struct Ratio: Decodable { var ratio: Double }
        let good: SendableValue = .map(
            ["text", "small", "whole", "list", "any"],
            [.duration(90 * 60_000), .int(12), .float(3.0), .range(lower: 1, last: 3), .time(0)])
        let probe = try ValueCoding.decode(Probe.self, from: good)
        #expect(probe.text == "1h30m" && probe.small == 12 && probe.whole == 3 && probe.list == [1, 2, 3])
        #expect(probe.any == .string("1970-01-01T00:00:00.000Z") || probe.any == .string("1970-01-01T00:00:00Z"))
        func path(_ value: SendableValue) -> String {
            switch Result(catching: { try ValueCoding.decode(Probe.self, from: value) }) {
            case .success: return "decoded"
            case .failure(let error as DecodingError): return ValueBridge.describe(error, call: "probe")
            case .failure(let error): return "\(error)"
            }
        }
        func replacing(_ key: String, _ value: SendableValue?) -> SendableValue {
            guard case .map(let keys, let values) = good else { return good }
            let pairs = zip(keys, values).compactMap { $0 == key ? value.map { (key, $0) } : ($0, $1) }
            return .map(pairs.map(\.0), pairs.map(\.1))
        }
        #expect(path(replacing("small", .int(300))) == "bad argument 'small' to 'probe': out of range for Int8")
        #expect(path(replacing("whole", .float(2.5))) == "bad argument 'whole' to 'probe' (int expected)")
        #expect(
            path(replacing("list", .list([.int(1), .string("x")])))
                == "bad argument 'list[1]' to 'probe' (int expected)")
        #expect(path(replacing("text", nil)) == "missing argument 'text' to 'probe'")
        #expect(path(replacing("text", .null)) == "missing argument 'text' to 'probe'")
        #expect {
            _ = try ValueCoding.decode(Ratio.self, from: .map(["ratio"], [.float(.infinity)]))
        } throws: { error in
            (error as? DecodingError).map { ValueBridge.describe($0, call: "probe") }?.contains("not a finite number")
                == true
        }
    }
}
