import Foundation
import Testing
import YottaAPI

/// One call that breaks (or sits exactly on) a documented constraint.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let label: String
    /// The field the error must name; nil when the call is valid.
    let field: String?
    let call: @Sendable (YottaClient) async throws -> Void

    var testDescription: String { label }

    static func rejects(
        _ field: String, _ label: String, _ call: @escaping @Sendable (YottaClient) async throws -> Void
    )
        -> ValidationCase
    {
        ValidationCase(label: "rejects \(label)", field: field, call: call)
    }

    static func accepts(
        _ label: String, _ call: @escaping @Sendable (YottaClient) async throws -> Void
    ) -> ValidationCase {
        ValidationCase(label: "accepts \(label)", field: nil, call: call)
    }
}

func pod(_ change: (inout CreatePodRequest) -> Void = { _ in }) -> CreatePodRequest {
    var request = CreatePodRequest(name: "p", image: "img", gpuType: "NVIDIA_H100_80G", gpuCount: 1)
    change(&request)
    return request
}

func endpoint(_ change: (inout CreateEndpointRequest) -> Void = { _ in }) -> CreateEndpointRequest {
    var request = CreateEndpointRequest(
        name: "ep", image: "img",
        resources: [EndpointResource(region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1)],
        workers: 1, containerVolumeInGb: 20, serviceMode: .init(.queue))
    change(&request)
    return request
}

func update(_ change: (inout UpdateEndpointRequest) -> Void = { _ in }) -> UpdateEndpointRequest {
    var request = UpdateEndpointRequest(
        name: "ep", resources: [EndpointResource(region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1)],
        workers: 1, containerVolumeInGb: 20)
    change(&request)
    return request
}

func task(_ change: (inout SubmitTaskRequest) -> Void = { _ in }) -> SubmitTaskRequest {
    var request = SubmitTaskRequest(input: ["text": "a"], workerPort: 8000, processUri: "/run")
    change(&request)
    return request
}

func volume(_ type: StorageType, _ change: (inout CreateVolumeRequest) -> Void = { _ in }) -> CreateVolumeRequest {
    var request = CreateVolumeRequest(name: "data", storageType: .init(type))
    if type.requiresRegion { request.region = "us-east-1" }
    if type.isSized { request.sizeInGb = 10 }
    if type == .vendor { request.vendorVolumeType = .init(.nvme) }
    change(&request)
    return request
}

let name20 = "a" + String(repeating: "b", count: 19)
let name21 = name20 + "c"
let long255 = String(repeating: "x", count: 255)
let long256 = long255 + "x"

let validationCases: [ValidationCase] = [
    // Credentials
    .rejects("name", "an empty credential name") {
        _ = try await $0.createCredential(.init(name: "", username: "u", password: "p"))
    },
    .rejects("name", "a credential name of 21 characters") {
        _ = try await $0.createCredential(.init(name: name21, username: "u", password: "p"))
    },
    .rejects("name", "a credential name starting with a digit") {
        _ = try await $0.createCredential(.init(name: "1hub", username: "u", password: "p"))
    },
    .rejects("name", "a credential name with a space") {
        _ = try await $0.createCredential(.init(name: "my hub", username: "u", password: "p"))
    },
    .accepts("a credential name of 20 characters with @._-") {
        _ = try await $0.createCredential(
            .init(name: "a@b.c_d-" + String(repeating: "e", count: 12), username: "u", password: "p"))
    },
    .rejects("type", "an unknown credential type") {
        _ = try await $0.createCredential(.init(name: "hub", type: "QUAY", username: "u", password: "p"))
    },
    .rejects("username", "an empty username") {
        _ = try await $0.createCredential(.init(name: "hub", username: "", password: "p"))
    },
    .rejects("password", "a password of 256 characters") {
        _ = try await $0.createCredential(.init(name: "hub", username: "u", password: long256))
    },
    .accepts("a password of 255 characters") {
        _ = try await $0.createCredential(.init(name: "hub", username: long255, password: long255))
    },
    .rejects("name", "an update with nothing to change") { _ = try await $0.updateCredential(id: 1, .init()) },
    .rejects("name", "an update to a bad name") { _ = try await $0.updateCredential(id: 1, .init(name: "-x")) },
    // VMs
    .rejects("vmTypeId", "a vmTypeId of 0") {
        _ = try await $0.createVM(.init(vmTypeId: 0, region: "us-east-1", name: "v"))
    },
    .rejects("region", "an empty region") { _ = try await $0.createVM(.init(vmTypeId: 1, region: "", name: "v")) },
    .rejects("name", "an empty VM name") { _ = try await $0.createVM(.init(vmTypeId: 1, region: "r", name: "")) },
    .rejects("name", "a VM name of 256 characters") {
        _ = try await $0.createVM(.init(vmTypeId: 1, region: "r", name: long256))
    },
    .accepts("a VM name of 255 characters") {
        _ = try await $0.createVM(.init(vmTypeId: 1, region: "r", name: long255))
    },
    .rejects("isSpot", "isSpot 2") { _ = try await $0.createVM(.init(vmTypeId: 1, region: "r", name: "v", isSpot: 2)) },
    .rejects("volumeMountPaths", "a mount keyed by a non-id") {
        _ = try await $0.createVM(.init(vmTypeId: 1, region: "r", name: "v", volumeMountPaths: ["data": "/d"]))
    },
    .rejects("volumeMountPaths[7]", "a relative mount path") {
        _ = try await $0.createVM(.init(vmTypeId: 1, region: "r", name: "v", volumeMountPaths: ["7": "d"]))
    },
    .rejects("name", "a rename to nothing") { _ = try await $0.renameVM(id: 1, name: "") },
    .rejects("page", "page 0") { _ = try await $0.listVMs(page: 0) },
    .rejects("size", "size 0") { _ = try await $0.listVMs(size: 0) },
    .accepts("size 1000") { _ = try await $0.listVMs(size: 1000) },
    // Pods
    .rejects("gpuCount", "gpuCount 3") { _ = try await $0.createPod(pod { $0.gpuCount = 3 }) },
    .rejects("gpuCount", "gpuCount 0") { _ = try await $0.createPod(pod { $0.gpuCount = 0 }) },
    .rejects("gpuCount", "gpuCount -2") { _ = try await $0.createPod(pod { $0.gpuCount = -2 }) },
    .accepts("gpuCount 8") { _ = try await $0.createPod(pod { $0.gpuCount = 8 }) },
    .rejects("name", "a pod without a name") { _ = try await $0.createPod(pod { $0.name = nil }) },
    .rejects("image", "an empty image") { _ = try await $0.createPod(pod { $0.image = "" }) },
    .rejects("image", "an image of 256 characters") { _ = try await $0.createPod(pod { $0.image = long256 }) },
    .rejects("imageRegistry", "a registry of 256 characters") {
        _ = try await $0.createPod(pod { $0.imageRegistry = long256 })
    },
    .rejects("gpuType", "an empty gpuType") { _ = try await $0.createPod(pod { $0.gpuType = "" }) },
    .rejects("expose[0].port", "port 0") {
        _ = try await $0.createPod(pod { $0.expose = [ExposedPort(port: 0, protocol: "HTTP")] })
    },
    .rejects("expose[1].port", "port 65536") {
        _ = try await $0.createPod(
            pod { $0.expose = [ExposedPort(port: 1, protocol: "SSH"), ExposedPort(port: 65536, protocol: "HTTP")] })
    },
    .accepts("ports 1 and 65535") {
        _ = try await $0.createPod(
            pod { $0.expose = [ExposedPort(port: 1, protocol: "SSH"), ExposedPort(port: 65535, protocol: "HTTP")] })
    },
    .rejects("persistentMountPath", "a persistent volume without a mount path") {
        _ = try await $0.createPod(pod { $0.persistentVolumeInGb = 10 })
    },
    .rejects("regions", "repeated regions") {
        _ = try await $0.createPod(pod { $0.regions = ["us-east-1", "us-east-1"] })
    },
    .rejects("imagePublicType", "an unknown image type") {
        _ = try await $0.createPod(pod { $0.imagePublicType = "OFFICIAL" })
    },
    .rejects("resourceType", "an unknown resource type") {
        _ = try await $0.createPod(pod { $0.resourceType = "TPU" })
    },
    .rejects("environmentVars[0].key", "an empty variable name") {
        _ = try await $0.createPod(pod { $0.environmentVars = [EnvironmentVariable(key: "", value: "1")] })
    },
    .rejects("persistentVolumes[0].mountPath", "a relative volume mount") {
        _ = try await $0.createPod(
            pod { $0.persistentVolumes = [PersistentVolumeMount(volumeId: 7, mountPath: "data")] })
    },
    .rejects("end", "a metrics window ending before it starts") {
        _ = try await $0.podMetrics(.cpu, podID: 1, MetricsQuery(start: 10, end: 5))
    },
    .rejects("end", "a metrics window too long for its step") {
        _ = try await $0.podMetrics(
            .cpu, podID: 1, MetricsQuery(start: 0, end: 3 * 3_600_000 + 1, step: .thirtySeconds))
    },
    .accepts("a metrics window exactly as long as its step allows") {
        _ = try await $0.podMetrics(.cpu, podID: 1, MetricsQuery(start: 0, end: 3 * 3_600_000, step: .thirtySeconds))
    },
    // Endpoints
    .rejects("name", "an endpoint name of 21 characters") {
        _ = try await $0.createEndpoint(endpoint { $0.name = name21 })
    },
    .accepts("an endpoint name of 20 characters") { _ = try await $0.createEndpoint(endpoint { $0.name = name20 }) },
    .rejects("name", "an endpoint name starting with '_'") {
        _ = try await $0.createEndpoint(endpoint { $0.name = "_ep" })
    },
    .rejects("resources", "no resources") { _ = try await $0.createEndpoint(endpoint { $0.resources = [] }) },
    .rejects("resources[0].gpuCount", "a resource gpuCount of 6") {
        _ = try await $0.createEndpoint(endpoint { $0.resources[0].gpuCount = 6 })
    },
    .rejects("workers", "0 workers") { _ = try await $0.createEndpoint(endpoint { $0.workers = 0 }) },
    .rejects("containerVolumeInGb", "a 19 GB container volume") {
        _ = try await $0.createEndpoint(endpoint { $0.containerVolumeInGb = 19 })
    },
    .rejects("expose.port", "an endpoint port of 70000") {
        _ = try await $0.createEndpoint(endpoint { $0.expose = EndpointExpose(port: 70000, protocol: "http") })
    },
    .rejects("expose.protocol", "an endpoint port without a protocol") {
        _ = try await $0.createEndpoint(endpoint { $0.expose = EndpointExpose(port: 80, protocol: "") })
    },
    .rejects("serviceMode", "an unknown service mode") {
        _ = try await $0.createEndpoint(endpoint { $0.serviceMode = "GRPC" })
    },
    .rejects("webhook", "an ftp webhook") { _ = try await $0.createEndpoint(endpoint { $0.webhook = "ftp://x" }) },
    .rejects("webhook", "a webhook of 513 characters") {
        _ = try await $0.createEndpoint(endpoint { $0.webhook = "https://h/" + String(repeating: "a", count: 503) })
    },
    .accepts("a webhook of 512 characters") {
        _ = try await $0.createEndpoint(endpoint { $0.webhook = "https://h/" + String(repeating: "a", count: 502) })
    },
    .rejects("minSingleCardVramInGb", "1537 GB of VRAM") {
        _ = try await $0.createEndpoint(endpoint { $0.minSingleCardVramInGb = 1537 })
    },
    .accepts("1536 GB of VRAM") { _ = try await $0.createEndpoint(endpoint { $0.minSingleCardVramInGb = 1536 }) },
    .rejects("workers", "an update to 0 workers") { _ = try await $0.updateEndpoint(id: 1, update { $0.workers = 0 }) },
    .rejects("containerVolumeInGb", "an update to 19 GB") {
        _ = try await $0.updateEndpoint(id: 1, update { $0.containerVolumeInGb = 19 })
    },
    .accepts("an update at the minimums") { _ = try await $0.updateEndpoint(id: 1, update()) },
    .rejects("count", "scaling to -1") { try await $0.scaleEndpoint(id: 1, workers: -1) },
    .accepts("scaling to 0") { try await $0.scaleEndpoint(id: 1, workers: 0) },
    .rejects("pageSize", "a log page of 1001") {
        _ = try await $0.workerLogs(endpointID: 1, workerID: "w", WorkerLogQuery(pageSize: 1001))
    },
    .accepts("a log page of 1000") {
        _ = try await $0.workerLogs(endpointID: 1, workerID: "w", WorkerLogQuery(pageSize: 1000))
    },
    .rejects("startTime", "a log start that is no time") {
        _ = try await $0.workerLogs(endpointID: 1, workerID: "w", WorkerLogQuery(startTime: "yesterday"))
    },
    .accepts("log times as epoch ms and ISO 8601") {
        _ = try await $0.workerLogs(
            endpointID: 1, workerID: "w", WorkerLogQuery(startTime: "1767757113485", endTime: "2026-03-01T10:00:00Z"))
    },
    // Tasks
    .rejects("taskId", "a taskId with '-'") {
        _ = try await $0.submitTask(endpointID: 1, task { $0.taskId = "job-1" })
    },
    .rejects("taskId", "a taskId of 256 characters") {
        _ = try await $0.submitTask(endpointID: 1, task { $0.taskId = long256 })
    },
    .accepts("a taskId of 255 characters") { _ = try await $0.submitTask(endpointID: 1, task { $0.taskId = long255 }) },
    .rejects("input", "an empty input") { _ = try await $0.submitTask(endpointID: 1, task { $0.input = [:] }) },
    .rejects("input", "a null input") { _ = try await $0.submitTask(endpointID: 1, task { $0.input = nil }) },
    .rejects("workerPort", "worker port 0") { _ = try await $0.submitTask(endpointID: 1, task { $0.workerPort = 0 }) },
    .rejects("processUri", "a processUri with a space") {
        _ = try await $0.submitTask(endpointID: 1, task { $0.processUri = "/run job" })
    },
    .rejects("processUri", "a processUri with '<'") {
        _ = try await $0.submitTask(endpointID: 1, task { $0.processUri = "/run<" })
    },
    .rejects("processUri", "a processUri of 256 characters") {
        _ = try await $0.submitTask(endpointID: 1, task { $0.processUri = "/" + long255 })
    },
    .rejects("processUri", "an empty processUri") {
        _ = try await $0.submitTask(endpointID: 1, task { $0.processUri = "" })
    },
    .rejects("webhook", "a task webhook without a host") {
        _ = try await $0.submitTask(endpointID: 1, task { $0.webhook = "https://" })
    },
    .rejects("webhookAuthKey", "a webhook key of 256 characters") {
        _ = try await $0.submitTask(endpointID: 1, task { $0.webhookAuthKey = long256 })
    },
    .rejects("pageSize", "a task page of 0") { _ = try await $0.listTasks(endpointID: 1, pageSize: 0) },
    // Volumes
    .rejects("sizeInGb", "a CEPH volume of 0 GB") { _ = try await $0.createVolume(volume(.ceph) { $0.sizeInGb = 0 }) },
    .rejects("sizeInGb", "a CEPH volume of 10241 GB") {
        _ = try await $0.createVolume(volume(.ceph) { $0.sizeInGb = 10241 })
    },
    .accepts("CEPH volumes of 1 and 10240 GB") {
        _ = try await $0.createVolume(volume(.ceph) { $0.sizeInGb = 1 })
        _ = try await $0.createVolume(volume(.ceph) { $0.sizeInGb = 10240 })
    },
    .rejects("sizeInGb", "a CEPH volume without a size") {
        _ = try await $0.createVolume(volume(.ceph) { $0.sizeInGb = nil })
    },
    .rejects("region", "a CEPH volume without a region") {
        _ = try await $0.createVolume(volume(.ceph) { $0.region = nil })
    },
    .rejects("region", "a VENDOR volume without a region") {
        _ = try await $0.createVolume(volume(.vendor) { $0.region = nil })
    },
    .rejects("vendorVolumeType", "a VENDOR volume without a disk type") {
        _ = try await $0.createVolume(volume(.vendor) { $0.vendorVolumeType = nil })
    },
    .rejects("vendorVolumeType", "a VENDOR volume on SSD") {
        _ = try await $0.createVolume(volume(.vendor) { $0.vendorVolumeType = "SSD" })
    },
    .rejects("vendorVolumeType", "a disk type on a CEPH volume") {
        _ = try await $0.createVolume(volume(.ceph) { $0.vendorVolumeType = .init(.hdd) })
    },
    .rejects("sizeInGb", "a size on an S3 volume") { _ = try await $0.createVolume(volume(.s3) { $0.sizeInGb = 10 }) },
    .accepts("an S3 volume with a name only") { _ = try await $0.createVolume(volume(.s3)) },
    .accepts("an R2 volume with a name only") { _ = try await $0.createVolume(volume(.r2)) },
    .rejects("storageType", "an unknown storage type") {
        _ = try await $0.createVolume(CreateVolumeRequest(name: "d", storageType: "NFS"))
    },
    .rejects("name", "a volume name with a space") {
        _ = try await $0.createVolume(volume(.s3) { $0.name = "my data" })
    },
    .rejects("name", "a volume name of 65 characters") {
        _ = try await $0.createVolume(volume(.s3) { $0.name = String(repeating: "v", count: 65) })
    },
    .rejects("name", "a volume rename to '-x'") { _ = try await $0.renameVolume(id: 1, name: "-x") },
    .rejects("sizeInGb", "a resize to 10241 GB") { try await $0.resizeVolume(id: 1, sizeInGb: 10241) },
    .accepts("a resize to 10240 GB") { try await $0.resizeVolume(id: 1, sizeInGb: 10240) },
]

@Suite struct ValidationTests {
    @Test(arguments: validationCases)
    func constraint(_ testCase: ValidationCase) async throws {
        // A generic success answer that every response type accepts or rejects as a decoding error.
        let transport = ScriptedTransport(fallback: .respond(.envelope(data: "null")))
        do {
            try await testCase.call(makeClient(transport))
            #expect(testCase.field == nil, "expected a validation error on '\(testCase.field ?? "")'")
        } catch YottaError.validation(let error) {
            #expect(error.field == testCase.field, "\(error)")
            #expect(transport.requests.isEmpty, "a request was sent despite the validation error")
        } catch YottaError.decoding {
            // Valid input reached the (fake) server, which answered `data: null`.
            #expect(testCase.field == nil)
            #expect(!transport.requests.isEmpty)
        }
    }

    @Test func validationMessageNamesOperationAndField() async throws {
        let error = await #expect(throws: YottaError.self) {
            _ = try await makeClient(ScriptedTransport()).createPod(pod { $0.gpuCount = 3 })
        }
        #expect(error?.description == "pods.create: invalid 'gpuCount': must be a power of 2 from 1 to 8 (got 3)")
    }

    @Test func processUriGetsItsLeadingSlash() async throws {
        let transport = ScriptedTransport([.respond(.envelope(data: #"{"taskId":"x"}"#))])
        _ = try await makeClient(transport).submitTask(endpointID: 1, task { $0.processUri = "v1/embed" })
        #expect(bodyJSON(transport.requests.first)?["processUri"] == "/v1/embed")
    }
}
