import Foundation
import Testing
import YottaAPI

/// One client method, the request it must send, and the `data` the fake server answers with.
struct OperationCase: Sendable, CustomTestStringConvertible {
    let operation: APIOperation
    let method: String
    let url: String
    let body: JSONValue?
    let data: String
    let call: @Sendable (YottaClient) async throws -> Void

    var testDescription: String { operation.rawValue }

    init(
        _ operation: APIOperation, _ method: String, _ url: String, body: JSONValue? = nil, data: String = "null",
        _ call: @escaping @Sendable (YottaClient) async throws -> Void
    ) {
        self.operation = operation
        self.method = method
        self.url = url
        self.body = body
        self.data = data
        self.call = call
    }
}

let base = "https://api.example.test"
let podJSON = #"{"id":399527225789387495,"name":"p","status":"INITIALIZE","createdAt":1767757113485}"#
let vmJSON = #"{"id":123,"name":"v","status":"initializing","memoryInGb":"32","createdAt":"2026-03-01T10:00:00Z"}"#
let endpointJSON = #"{"id":"378888638324150969","name":"e","status":"INITIALIZING","totalWorkers":1}"#
let volumeJSON = #"{"id":7,"name":"data","storageType":"CEPH","status":"creating","sizeInGb":100,"mountCount":0}"#
let credentialJSON = #"{"id":5,"name":"hub","type":"DOCKER_HUB","createdAt":"2026-03-01T10:00:00.000Z"}"#
let pageJSON = #"{"items":[],"page":1,"size":10,"total":0,"pages":0}"#

let operationCases: [OperationCase] = [
    OperationCase(.listCredentials, "GET", "/v2/container-registry-auths", data: "[\(credentialJSON)]") {
        _ = try await $0.listCredentials()
    },
    OperationCase(.getCredential, "GET", "/v2/container-registry-auths/5", data: credentialJSON) {
        _ = try await $0.getCredential(id: 5)
    },
    OperationCase(
        .createCredential, "POST", "/v2/container-registry-auths",
        body: ["name": "hub", "type": "DOCKER_HUB", "username": "me", "password": "pw"], data: credentialJSON
    ) {
        _ = try await $0.createCredential(
            CreateCredentialRequest(name: "hub", type: .init(.dockerHub), username: "me", password: "pw"))
    },
    OperationCase(
        .updateCredential, "PATCH", "/v2/container-registry-auths/5", body: ["password": "new"], data: credentialJSON
    ) {
        _ = try await $0.updateCredential(id: 5, UpdateCredentialRequest(password: "new"))
    },
    OperationCase(.deleteCredential, "DELETE", "/v2/container-registry-auths/5", data: "true") {
        try await $0.deleteCredential(id: 5)
    },
    OperationCase(.listVMTypes, "GET", "/v2/vms/types", data: "[]") { _ = try await $0.listVMTypes() },
    OperationCase(.listVMs, "GET", "/v2/vms?page=2&size=5&status=running", data: pageJSON) {
        _ = try await $0.listVMs(page: 2, size: 5, status: "running")
    },
    OperationCase(.getVM, "GET", "/v2/vms/123", data: vmJSON) { _ = try await $0.getVM(id: 123) },
    OperationCase(
        .createVM, "POST", "/v2/vms",
        body: [
            "vmTypeId": 42, "region": "us-east-1", "name": "trainer", "isSpot": 1, "volumeMountPaths": ["7": "/data"],
        ],
        data: vmJSON
    ) {
        _ = try await $0.createVM(
            CreateVMRequest(
                vmTypeId: 42, region: "us-east-1", name: "trainer", isSpot: 1, volumeMountPaths: ["7": "/data"]))
    },
    OperationCase(.renameVM, "PATCH", "/v2/vms/123", body: ["name": "renamed"], data: vmJSON) {
        _ = try await $0.renameVM(id: 123, name: "renamed")
    },
    OperationCase(.terminateVM, "DELETE", "/v2/vms/123", data: "true") { try await $0.terminateVM(id: 123) },
    OperationCase(.listPods, "GET", "/v2/pods?regionList=us-east-1,us-west-2&statusList=RUNNING,PAUSED", data: "[]") {
        _ = try await $0.listPods(PodFilter(regions: ["us-east-1", "us-west-2"], statuses: ["RUNNING", "PAUSED"]))
    },
    OperationCase(.getPod, "GET", "/v2/pods/399527225789387495", data: podJSON) {
        _ = try await $0.getPod(id: 399_527_225_789_387_495)
    },
    OperationCase(
        .createPod, "POST", "/v2/pods",
        body: [
            "name": "w", "image": "pytorch/pytorch:latest", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": 2,
            "expose": [["port": 22, "protocol": "SSH"]], "environmentVars": [["key": "A", "value": "1"]],
        ],
        data: podJSON
    ) {
        var request = CreatePodRequest(
            name: "w", image: "pytorch/pytorch:latest", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 2)
        request.expose = [ExposedPort(port: 22, protocol: "SSH")]
        request.environmentVars = [EnvironmentVariable(key: "A", value: "1")]
        _ = try await $0.createPod(request)
    },
    OperationCase(.deletePod, "DELETE", "/v2/pods/9", data: "true") { try await $0.deletePod(id: 9) },
    OperationCase(.pausePod, "POST", "/v2/pods/9/pause", body: [:]) { try await $0.pausePod(id: 9) },
    OperationCase(.resumePod, "POST", "/v2/pods/9/resume", body: [:]) { try await $0.resumePod(id: 9) },
    OperationCase(
        .podCPUMetrics, "GET", "/v2/metrics/cpu/pods/9?start=1000&end=3601000&step=30s",
        data: #"{"metric_name":"cpu","series":[]}"#
    ) {
        _ = try await $0.podMetrics(.cpu, podID: 9, MetricsQuery(start: 1000, end: 3_601_000, step: .thirtySeconds))
    },
    OperationCase(
        .podGPUMetrics, "GET", "/v2/metrics/gpu/pods/9?start=1000", data: #"{"metric_name":"gpu","series":[]}"#
    ) {
        _ = try await $0.podMetrics(.gpu, podID: 9, MetricsQuery(start: 1000))
    },
    OperationCase(.podMemoryMetrics, "GET", "/v2/metrics/memory/pods/9", data: #"{"metric_name":"m","series":[]}"#) {
        _ = try await $0.podMetrics(.memory, podID: 9)
    },
    OperationCase(
        .podGPUMemoryMetrics, "GET", "/v2/metrics/gpu/pods/9/memory?end=5000", data: #"{"metric_name":"g","series":[]}"#
    ) {
        _ = try await $0.podMetrics(.gpuMemory, podID: 9, MetricsQuery(end: 5000))
    },
    OperationCase(.podStorageMetrics, "GET", "/v2/metrics/storage/pods/9", data: #"{"metric_name":"s","series":[]}"#) {
        _ = try await $0.podMetrics(.storage, podID: 9)
    },
    OperationCase(.listEndpoints, "GET", "/v2/serverless?statusList=RUNNING,STOPPED", data: "[\(endpointJSON)]") {
        _ = try await $0.listEndpoints(statuses: ["RUNNING", "STOPPED"])
    },
    OperationCase(.getEndpoint, "GET", "/v2/serverless/378888638324150969", data: endpointJSON) {
        _ = try await $0.getEndpoint(id: "378888638324150969")
    },
    OperationCase(
        .createEndpoint, "POST", "/v2/serverless",
        body: [
            "name": "embedder", "image": "acme/embed:1.2", "serviceMode": "QUEUE", "workers": 2,
            "containerVolumeInGb": 20,
            "resources": [["region": "us-east-1", "gpuType": "NVIDIA_A100_80G", "gpuCount": 1]],
            "expose": ["port": 8000, "protocol": "http"],
        ],
        data: endpointJSON
    ) {
        var request = CreateEndpointRequest(
            name: "embedder", image: "acme/embed:1.2",
            resources: [EndpointResource(region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1)], workers: 2,
            containerVolumeInGb: 20, serviceMode: .init(.queue))
        request.expose = EndpointExpose(port: 8000, protocol: "http")
        _ = try await $0.createEndpoint(request)
    },
    OperationCase(
        .updateEndpoint, "PATCH", "/v2/serverless/77",
        body: [
            "name": "embedder", "workers": 3, "containerVolumeInGb": 40, "credentialId": 5,
            "resources": [["region": "us-east-1", "gpuType": "NVIDIA_A100_80G", "gpuCount": 2]],
        ],
        data: endpointJSON
    ) {
        var request = UpdateEndpointRequest(
            name: "embedder",
            resources: [EndpointResource(region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 2)],
            workers: 3, containerVolumeInGb: 40)
        request.credentialId = 5
        _ = try await $0.updateEndpoint(id: 77, request)
    },
    OperationCase(.deleteEndpoint, "DELETE", "/v2/serverless/77") { try await $0.deleteEndpoint(id: 77) },
    OperationCase(.startEndpoint, "POST", "/v2/serverless/77/start", body: [:]) { try await $0.startEndpoint(id: 77) },
    OperationCase(.stopEndpoint, "POST", "/v2/serverless/77/stop", body: [:]) { try await $0.stopEndpoint(id: 77) },
    OperationCase(.scaleEndpoint, "PUT", "/v2/serverless/77/workers?count=4") {
        try await $0.scaleEndpoint(id: 77, workers: 4)
    },
    OperationCase(
        .listWorkers, "GET", "/v2/serverless/77/workers?statusList=running",
        data: #"[{"workerId":"w-1","status":"running","createdAt":1767757113485}]"#
    ) {
        _ = try await $0.listWorkers(endpointID: 77, statuses: ["running"])
    },
    OperationCase(
        .workerLogs, "GET",
        "/v2/serverless/77/workers/w-1/logs?pageSize=2&keyword=boot&searchAfterTime=1767757113485&searchAfterOffset=3&direction=Backward",
        data: #"{"logs":[],"hasMore":false,"nextSearchAfterTime":null,"nextSearchAfterOffset":null}"#
    ) {
        _ = try await $0.workerLogs(
            endpointID: 77, workerID: "w-1",
            WorkerLogQuery(
                pageSize: 2, keyword: "boot", searchAfterTime: "1767757113485", searchAfterOffset: 3,
                direction: .backward))
    },
    OperationCase(
        .submitTask, "POST", "/v2/serverless/77/tasks",
        body: [
            "taskId": "job_1", "input": ["text": "alpha"], "workerPort": 8000, "processUri": "/embed",
            "webhook": "https://hooks.example.test/done", "webhookAuthKey": "k", "headers": ["X-Trace": "1"],
        ],
        data: #"{"taskId":"job_1"}"#
    ) {
        _ = try await $0.submitTask(
            endpointID: 77,
            SubmitTaskRequest(
                taskId: "job_1", input: ["text": "alpha"], workerPort: 8000, processUri: "embed",
                webhook: "https://hooks.example.test/done", webhookAuthKey: "k", headers: ["X-Trace": "1"]))
    },
    OperationCase(.listTasks, "GET", "/v2/serverless/77/tasks?pageNumber=2&pageSize=20&status=SUCCESS", data: pageJSON)
    {
        _ = try await $0.listTasks(endpointID: 77, status: .success, pageNumber: 2, pageSize: 20)
    },
    OperationCase(
        .getTask, "GET", "/v2/serverless/77/tasks/job_1",
        data: #"{"taskId":"job_1","endpointId":77,"status":"SUCCESS","output":{"v":[1,2]}}"#
    ) {
        _ = try await $0.getTask(endpointID: 77, taskID: "job_1")
    },
    OperationCase(.countTasks, "GET", "/v2/serverless/77/tasks/count", data: #"{"processing":3}"#) {
        _ = try await $0.countTasks(endpointID: 77)
    },
    OperationCase(.listVolumes, "GET", "/v2/volumes?page=1&size=10&storageType=CEPH&region=us-east-1", data: pageJSON) {
        _ = try await $0.listVolumes(storageType: .ceph, region: "us-east-1")
    },
    OperationCase(.getVolume, "GET", "/v2/volumes/7", data: volumeJSON) { _ = try await $0.getVolume(id: 7) },
    OperationCase(
        .createVolume, "POST", "/v2/volumes",
        body: [
            "name": "data", "storageType": "VENDOR", "region": "us-east-1", "sizeInGb": 100, "vendorVolumeType": "NVMe",
        ],
        data: volumeJSON
    ) {
        _ = try await $0.createVolume(
            CreateVolumeRequest(
                name: "data", storageType: .init(.vendor), region: "us-east-1", sizeInGb: 100,
                vendorVolumeType: .init(.nvme)))
    },
    OperationCase(.renameVolume, "POST", "/v2/volumes/7/name", body: ["name": "data2"], data: volumeJSON) {
        _ = try await $0.renameVolume(id: 7, name: "data2")
    },
    OperationCase(.resizeVolume, "POST", "/v2/volumes/7/resize", body: ["sizeInGb": 200]) {
        try await $0.resizeVolume(id: 7, sizeInGb: 200)
    },
    OperationCase(.deleteVolume, "DELETE", "/v2/volumes/7", data: "true") { try await $0.deleteVolume(id: 7) },
    OperationCase(
        .listGPUResources, "POST", "/api/v2/resource/gpu/list",
        body: ["regions": ["us-east-1"], "minSingleCardVramInGb": 80, "maxSingleCardVramInGb": 1536],
        data:
            #"[{"code": "NVIDIA_H100_80G", "region": "us-east-1", "available": 1, "singleCardPrice": "2.49", "odd": {}}]"#
    ) {
        let resources = try await $0.listGPUResources(
            GPUResourceQuery(regions: ["us-east-1"], minSingleCardVramInGb: 80))
        // Tolerant: the code under another key, availability as a number, the price as text.
        #expect(resources.count == 1 && resources.first?.gpuType == "NVIDIA_H100_80G")
        #expect(resources.first?.available == true && resources.first?.singleCardPrice?.value == 2.49)
    },
]

@Suite struct OperationRequestTests {
    @Test(arguments: operationCases)
    func sendsTheDocumentedRequest(_ testCase: OperationCase) async throws {
        let transport = ScriptedTransport([.respond(.envelope(data: testCase.data))])
        try await testCase.call(makeClient(transport))
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method.rawValue == testCase.method)
        #expect(request.method == testCase.operation.method)
        #expect(request.url == base + testCase.url)
        #expect(bodyJSON(request) == testCase.body)
        #expect(request.header("X-Api-Key") == "test-key-0123456789")
        if request.body != nil { #expect(request.header("Content-Type") == "application/json") }
    }

    @Test func everyOperationHasACase() {
        let covered = Set(operationCases.map(\.operation))
        #expect(covered == Set(APIOperation.allCases))
    }

    @Test func pathParametersAreEncodedAsOneSegment() async throws {
        let transport = ScriptedTransport([.respond(.envelope(data: "{\"taskId\":\"a\",\"status\":\"SUCCESS\"}"))])
        _ = try await makeClient(transport).getTask(endpointID: "e 1", taskID: "a/../b")
        #expect(transport.requests.first?.path == "/v2/serverless/e%201/tasks/a%2F..%2Fb")
    }
}
