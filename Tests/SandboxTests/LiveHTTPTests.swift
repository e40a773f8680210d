import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Sandbox
import Testing
import YottaAPI

/// The client against `SandboxApplication` over real HTTP on loopback, for every operation.
@Suite struct LiveHTTPTests {
    /// Runs a sandbox server on a free port while `body` runs with a client pointed at it.
    func withServer(
        clock: ManualClock, _ body: @Sendable (YottaClient, SandboxService) async throws -> Void
    ) async throws {
        let store = try SandboxStore(path: ":memory:")
        let service = SandboxService(store: store, clock: clock, options: SandboxOptions(apiKeys: ["live-key"]))
        var logger = Logger(label: "live")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = SandboxApplication.build(service: service, port: 0, logger: logger) { continuation.yield($0) }
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let configuration = try ClientConfiguration(baseURL: "http://127.0.0.1:\(port)", apiKey: APIKey("live-key"))
            try await body(YottaClient(configuration: configuration, transport: transport), service)
            group.cancelAll()
        }
        try await transport.shutdown()
    }

    @Test func everyOperationOverHTTP() async throws {
        let clock = ManualClock()
        try await withServer(clock: clock) { client, service in
            let credential = try await client.createCredential(
                CreateCredentialRequest(name: "hub", username: "u", password: "p"))
            _ = try await client.listCredentials()
            _ = try await client.getCredential(id: credential.id)
            _ = try await client.updateCredential(id: credential.id, UpdateCredentialRequest(username: "u2"))

            let offer = try #require(
                try await client.listVMTypes().first { $0.gpuType == "NVIDIA_H100_80G" }?.regions.first)
            let vm = try await client.createVM(
                CreateVMRequest(vmTypeId: offer.vmTypeId, region: offer.region, name: "trainer"))
            _ = try await client.allVMs().collect()
            _ = try await client.renameVM(id: vm.id, name: "trainer-2")
            clock.advance(by: .seconds(60))
            #expect(try await client.getVM(id: vm.id).status == .running)
            try await client.terminateVM(id: vm.id)

            let volume = try await client.createVolume(
                CreateVolumeRequest(name: "data", storageType: .init(.ceph), region: "us-east-1", sizeInGb: 10))
            clock.advance(by: .seconds(10))
            _ = try await client.listVolumes(storageType: .ceph)
            _ = try await client.renameVolume(id: volume.id, name: "data2")
            try await client.resizeVolume(id: volume.id, sizeInGb: 20)
            clock.advance(by: .seconds(10))
            #expect(try await client.getVolume(id: volume.id).sizeInGb == 20)

            var podRequest = CreatePodRequest(name: "p", image: "img", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            podRequest.containerRegistryAuthId = credential.id
            let pod = try await client.createPod(podRequest)
            clock.advance(by: .seconds(30))
            _ = try await client.listPods(PodFilter(regions: ["us-east-1", "us-east-2"], statuses: ["RUNNING"]))
            let now = clock.nowMillis()
            for metric in PodMetric.allCases {
                let series = try await client.podMetrics(
                    metric, podID: pod.id, MetricsQuery(start: now - 60_000, end: now))
                #expect(!series.series.isEmpty)
            }
            try await client.pausePod(id: pod.id)
            clock.advance(by: .seconds(10))
            try await client.resumePod(id: pod.id)
            _ = try await client.getPod(id: pod.id)
            try await client.deletePod(id: pod.id)
            clock.advance(by: .seconds(10))
            try await client.deleteCredential(id: credential.id)
            try await client.deleteVolume(id: volume.id)

            var endpointRequest = CreateEndpointRequest(
                name: "embedder", image: "acme/embed:1.2",
                resources: [EndpointResource(region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1)], workers: 1,
                containerVolumeInGb: 20, serviceMode: .init(.queue))
            endpointRequest.expose = EndpointExpose(port: 8000, protocol: "http")
            let endpoint = try await client.createEndpoint(endpointRequest)
            _ = try await client.listEndpoints(statuses: ["INITIALIZING"])
            clock.advance(by: .seconds(45))
            let submitted = try await client.submitTask(
                endpointID: endpoint.id,
                SubmitTaskRequest(taskId: "t1", input: ["x": 1], workerPort: 8000, processUri: "/run"))
            clock.advance(by: .seconds(3))
            #expect(try await client.getTask(endpointID: endpoint.id, taskID: submitted.taskId).status == .success)
            _ = try await client.listTasks(endpointID: endpoint.id)
            _ = try await client.countTasks(endpointID: endpoint.id)
            let worker = try #require(try await client.listWorkers(endpointID: endpoint.id).first)
            #expect(
                try await client.allWorkerLogs(endpointID: endpoint.id, workerID: worker.workerId).collect().count == 6)
            try await client.scaleEndpoint(id: endpoint.id, workers: 2)
            try await client.stopEndpoint(id: endpoint.id)
            clock.advance(by: .seconds(10))
            _ = try await client.updateEndpoint(
                id: endpoint.id,
                UpdateEndpointRequest(
                    name: "embedder", resources: endpointRequest.resources, workers: 1, containerVolumeInGb: 30))
            try await client.startEndpoint(id: endpoint.id)
            _ = try await client.getEndpoint(id: endpoint.id)
            try await client.stopEndpoint(id: endpoint.id)
            clock.advance(by: .seconds(10))
            try await client.deleteEndpoint(id: endpoint.id)

            let offers = try await client.listGPUResources(
                GPUResourceQuery(regions: ["us-east-1"], minSingleCardVramInGb: 80))
            #expect(
                !offers.isEmpty && offers.allSatisfy { $0.region == "us-east-1" && ($0.singleCardVramInGb ?? 0) >= 80 })
            #expect(offers.allSatisfy { ($0.singleCardPrice?.value ?? 0) > 0 })

            let served = Set(service.requestCounts().keys)
            #expect(
                served == Set(APIOperation.allCases), "not exercised: \(Set(APIOperation.allCases).subtracting(served))"
            )
        }
    }

    @Test func wrongKeyIsRefusedOverHTTP() async throws {
        let store = try SandboxStore(path: ":memory:")
        let service = SandboxService(store: store, options: SandboxOptions(apiKeys: ["live-key"]))
        var logger = Logger(label: "live")
        logger.logLevel = .error
        let app = SandboxApplication.build(service: service, port: 0, logger: logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v2/pods", method: .get, headers: [.init("X-Api-Key")!: "nope"]) {
                response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("40101"))
            }
            try await client.execute(
                uri: "/v2/pods?statusList=RUNNING", method: .get, headers: [.init("X-Api-Key")!: "live-key"]
            ) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
            }
        }
    }
}
