import Foundation
import Testing
import YottaAPI

@testable import CloudLibrary
@testable import Language

/// The shapes `gpus check` and the built-ins know are the request models': derived from them, and
/// every limit they declare agrees with the request's own validation (the client's and the
/// sandbox's), value for value and word for word.
@Suite struct RequestShapeTests {
    /// A valid request of each kind, with an item in every list a limit reaches into.
    static var examples: [(APIOperation, [ParameterSpec], [String: Any], (Data) throws -> (any ValidatedRequest))] {
        [
            (
                .createPod, CloudSession.podCreate,
                [
                    "name": "p", "image": "nginx:latest", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1,
                    "regions": ["us-east-1"], "imageRegistry": "docker.io", "shmInGb": 1, "containerVolumeInGb": 20,
                    "persistentVolumeInGb": 10, "persistentMountPath": "/data", "initializationCommand": "true",
                    "minSingleCardVramInGb": 1, "minSingleCardRamInGb": 1, "minSingleCardVcpu": 1,
                    "expose": [["port": 80, "protocol": "HTTP"]],
                ], { try JSONDecoder().decode(CreatePodRequest.self, from: $0) }
            ),
            (
                .createEndpoint, CloudSession.endpointCreate,
                [
                    "name": "e", "image": "nginx:latest", "serviceMode": "QUEUE", "workers": 1,
                    "containerVolumeInGb": 20,
                    "resources": [["region": "us-east-1", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1]],
                    "expose": ["port": 80, "protocol": "HTTP"], "webhook": "https://example.com/hook",
                    "minSingleCardVramInGb": 1, "minSingleCardRamInGb": 1, "minSingleCardVcpu": 1,
                ], { try JSONDecoder().decode(CreateEndpointRequest.self, from: $0) }
            ),
            (
                .createVM, CloudSession.vmCreate, ["name": "v", "vmTypeId": 101, "region": "us-east-1", "isSpot": 0],
                { try JSONDecoder().decode(CreateVMRequest.self, from: $0) }
            ),
            (
                .createVolume, CloudSession.volumeCreate,
                ["name": "d", "storageType": "CEPH", "sizeInGb": 10, "region": "us-east-1"],
                { try JSONDecoder().decode(CreateVolumeRequest.self, from: $0) }
            ),
            (
                .createCredential, CloudSession.credentialCreate, ["name": "c", "username": "u", "password": "p"],
                { try JSONDecoder().decode(CreateCredentialRequest.self, from: $0) }
            ),
            (
                .updateEndpoint,
                RequestShapes.parameters(
                    UpdateEndpointRequest.self, .updateEndpoint, allOptional: true, excluding: ["envVars"]),
                [
                    "name": "e", "workers": 1, "containerVolumeInGb": 20,
                    "resources": [["region": "us-east-1", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1]],
                    "expose": ["port": 80, "protocol": "HTTP"], "webhook": "https://example.com/hook",
                ], { try JSONDecoder().decode(UpdateEndpointRequest.self, from: $0) }
            ),
            (
                .updateCredential,
                RequestShapes.parameters(UpdateCredentialRequest.self, .updateCredential, allOptional: true),
                ["name": "c", "username": "u", "password": "p"],
                { try JSONDecoder().decode(UpdateCredentialRequest.self, from: $0) }
            ),
            (
                .renameVolume, [RequestShapes.parameter("name", .string, .renameVolume)], ["name": "v"],
                { try JSONDecoder().decode(RenameRequest.self, from: $0) }
            ),
            (
                .renameVM, [RequestShapes.parameter("name", .string, .renameVM)], ["name": "v"],
                { try JSONDecoder().decode(RenameRequest.self, from: $0) }
            ),
            (
                .resizeVolume, [RequestShapes.parameter("sizeInGb", .int, .resizeVolume)], ["sizeInGb": 10],
                { try JSONDecoder().decode(ResizeVolumeRequest.self, from: $0) }
            ),
            (
                .submitTask, RequestShapes.parameters(SubmitTaskRequest.self, .submitTask),
                [
                    "input": ["a": 1], "workerPort": 8000, "processUri": "/run", "taskId": "t1",
                    "webhook": "https://example.com/hook", "webhookAuthKey": "k",
                ], { try JSONDecoder().decode(SubmitTaskRequest.self, from: $0) }
            ),
        ]
    }

    static let ints: [Int64] = [
        -1, 0, 1, 2, 3, 4, 8, 16, 19, 20, 64, 65, 100, 101, 255, 256, 1024, 1025, 1536, 1537, 10240, 10241, 65535,
        65536,
    ]
    static let strings: [String] = [
        "", "a", "1abc", "a b", "ab@c.d-e_f", String(repeating: "x", count: 16), String(repeating: "x", count: 17),
        String(repeating: "x", count: 20), String(repeating: "x", count: 21), String(repeating: "x", count: 64),
        String(repeating: "x", count: 65), String(repeating: "x", count: 255), String(repeating: "x", count: 256),
        String(repeating: "x", count: 4097), "http://x", "https://example.com/a", "ftp://x", "https://", "tab\there",
    ]

    /// The limited leaves of a shape, by path (`resources[].gpuCount`).
    static func limits(_ shape: Shape, _ path: String) -> [(String, Shape, Limit)] {
        switch shape {
        case .limited(let inner, let limit): [(path, inner, limit)] + limits(inner, path)
        case .object(let fields): fields.flatMap { limits($0.shape, "\(path).\($0.name)") }
        case .list(let element): limits(element, path + "[]")
        case .either(let shapes): shapes.flatMap { limits($0, path) }
        default: []
        }
    }

    /// `object` with the value at `path` replaced (`resources[].gpuCount`: in the first item).
    static func setting(_ object: Any, _ path: ArraySlice<String>, to value: Any) -> Any {
        guard let key = path.first else { return value }
        if key.hasSuffix("[]") {
            let name = String(key.dropLast(2))
            var map = object as? [String: Any] ?? [:]
            var items = map[name] as? [Any] ?? []
            if items.isEmpty { return object }
            items[0] = path.count == 1 ? value : setting(items[0], path.dropFirst(), to: value)
            map[name] = items
            return map
        }
        var map = object as? [String: Any] ?? [:]
        map[key] = path.count == 1 ? value : setting(map[key] ?? [:], path.dropFirst(), to: value)
        return map
    }

    @Test func everyLimitAgreesWithTheRequestsValidation() throws {
        var compared = 0
        for (operation, parameters, example, decode) in Self.examples {
            // The example itself is valid.
            try decode(try JSONSerialization.data(withJSONObject: example)).validate(as: operation)
            for parameter in parameters {
                guard let shape = parameter.shape else { continue }
                for (path, leaf, limit) in Self.limits(shape, parameter.name) {
                    let candidates: [(Any, Value)]
                    switch leaf {
                    case .int, .number: candidates = Self.ints.map { (Int($0), Value.int($0)) }
                    case .string: candidates = Self.strings.map { ($0, Value.string($0)) }
                    default: candidates = []
                    }
                    #expect(!candidates.isEmpty, "\(operation) \(path): a limit on a \(leaf.name)")
                    let parts = path.split(separator: ".").map(String.init)
                    for (wire, value) in candidates {
                        let object = Self.setting(example, parts[...], to: wire)
                        // A path of one alternative (a pod's single `expose` map) the wire form does not take.
                        guard let request = try? decode(try JSONSerialization.data(withJSONObject: object)) else {
                            continue
                        }
                        let field = path.replacingOccurrences(of: "[]", with: "[0]")
                        let refused = Self.refusal(request, operation, field)
                        #expect(
                            limit.check(value) == refused,
                            "\(operation) \(path) = \(value): the shape says \(limit.check(value) ?? "fine"), the validation \(refused ?? "fine")"
                        )
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 500)
    }

    @Test func theParametersOfACreateAreItsModelsKeys() throws {
        let expected: [(String, [ParameterSpec], Any)] = [
            ("pods", CloudSession.podCreate, CreatePodRequest(name: "p", image: "i", gpuType: "g", gpuCount: 1)),
            (
                "endpoints", CloudSession.endpointCreate,
                CreateEndpointRequest(
                    name: "e", image: "i", resources: [], workers: 1, containerVolumeInGb: 20,
                    serviceMode: .init(.queue))
            ),
            ("vms", CloudSession.vmCreate, CreateVMRequest(vmTypeId: ResourceID(1), region: "r", name: "n")),
            ("volumes", CloudSession.volumeCreate, CreateVolumeRequest(name: "d", storageType: .init(.s3))),
        ]
        for (kind, parameters, model) in expected {
            let keys = Set(Mirror(reflecting: model).children.compactMap(\.label))
            #expect(Set(parameters.map(\.name)) == keys, "\(kind)")
            #expect(parameters.allSatisfy { $0.shape != nil }, "\(kind)")
        }
        // What the hand-written list lacked: a private image's registry login on a pod.
        #expect(CloudSession.podCreate.contains { $0.name == "imageRegistryUsername" })
        #expect(CloudSession.podCreate.prefix(4).map(\.name) == ["name", "image", "gpuType", "gpuCount"])
        #expect(CloudSession.vmCreate.prefix(3).map(\.name) == ["name", "vmTypeId", "region"])
        guard
            case .list(.object(let fields))? = CloudSession.endpointCreate.first(where: { $0.name == "resources" })?
                .shape
                .flatMap(Self.unlimited)
        else {
            Issue.record("resources is not a list of maps")
            return
        }
        #expect(fields.map(\.name) == ["region", "gpuType", "gpuCount"] && fields.allSatisfy(\.required))
    }

    /// What the request's validation says of `field`, or nil when it has nothing against it.
    static func refusal(_ request: any ValidatedRequest, _ operation: APIOperation, _ field: String) -> String? {
        do {
            try request.validate(as: operation)
            return nil
        } catch {
            return error.field == field ? error.message : nil
        }
    }

    static func unlimited(_ shape: Shape) -> Shape {
        if case .limited(let inner, _) = shape { return unlimited(inner) }
        return shape
    }
}
