import Foundation
import Testing
import YottaAPI

/// Responses shaped like the reference's examples, read through the client as a caller would.
@Suite struct FixtureDecodingTests {
    func client(answering fixture: String) throws -> YottaClient {
        let url = try #require(Bundle.module.url(forResource: fixture, withExtension: "json", subdirectory: "Fixtures"))
        let body = try Data(contentsOf: url)
        return makeClient(ScriptedTransport([.respond(HTTPResponse(status: 200, body: body))]))
    }

    @Test func vmFromTheV2Guide() async throws {
        let vm = try await client(answering: "vm-v2").getVM(id: 1)
        #expect(vm.id.rawValue == "399527225789387495")
        #expect(vm.id.int64Value == 399_527_225_789_387_495)
        #expect(vm.status == .running)
        #expect(vm.memoryInGb?.text == "32")
        #expect(vm.createdAt?.epochMillis == 1_767_757_113_485)
        #expect(vm.isSpot == 0)
    }

    @Test func vmFromTheV1DetailExample() async throws {
        let vm = try await client(answering: "vm-v1-detail").getVM(id: 1)
        #expect(vm.id.rawValue == "399527225789387495")
        #expect(vm.orgId?.rawValue == "378888638324150969")
        #expect(vm.status == .terminated)
        #expect(vm.memoryInGb?.text == "200")
        #expect(vm.createdAt?.epochMillis == 1_767_757_113_485)
        #expect(vm.terminatedAt?.epochMillis == 1_767_760_713_485)
        #expect(vm.osInfo == "Ubuntu 22.04 LTS")
    }

    @Test func vmTypesWithNumberAndStringIds() async throws {
        let types = try await client(answering: "vm-types").listVMTypes()
        #expect(types.count == 2)
        #expect(types[0].regions.map(\.available) == [true, false])
        #expect(types[1].regions[0].vmTypeId == 201)
    }

    @Test func vmPageKeepsUnknownStatuses() async throws {
        let page = try await client(answering: "vms-page").listVMs()
        #expect(page.items.map(\.status.rawValue) == ["running", "hibernating"])
        #expect(page.items[1].status == .unknown("hibernating"))
        #expect(page.total == 2 && !page.hasNext)
    }

    @Test func podFromTheGuide() async throws {
        let pod = try await client(answering: "pod-guide").getPod(id: 456)
        #expect(pod.id == 456)
        #expect(pod.status == .running)
        #expect(pod.sshCmd == "ssh root@pod-ip -p 10022")
        #expect(pod.createdAt?.epochMillis == 1_767_757_113_485)
    }

    @Test func podWithTheRicherFields() async throws {
        let pod = try await client(answering: "pod-rich").getPod(id: 1)
        #expect(pod.status == .initialize)
        #expect(pod.resourceType == .init(.gpu))
        #expect(pod.singleCardPrice?.text == "2.49")
        #expect(pod.expose?.count == 2)
        #expect(pod.expose?[0].proxyPort == 10022)
        #expect(pod.expose?[1].protocol == "http")
        #expect(pod.environmentVars == [EnvironmentVariable(key: "A", value: "1")])
    }

    @Test func bothPodStatusVocabularies() async throws {
        let pods = try await client(answering: "pods-vocabularies").listPods()
        #expect(pods.map(\.status.known) == [.initialize, .paused, .pausing, .running, .terminating, nil, .paused])
        #expect(pods[5].status.rawValue == "MIGRATING")
    }

    @Test func endpointWithStringId() async throws {
        let endpoint = try await client(answering: "endpoint").getEndpoint(id: "378888638324150969")
        #expect(endpoint.id.rawValue == "378888638324150969")
        #expect(endpoint.serviceMode == .init(.queue))
        #expect(endpoint.expose == EndpointExpose(port: 8000, protocol: "http"))
        #expect(endpoint.perHourPrice?.value == 1.8)
        #expect(endpoint.createdAt?.wireForm == .iso8601)
    }

    @Test func bothEndpointStatusVocabularies() async throws {
        let endpoints = try await client(answering: "endpoints-statuses").listEndpoints()
        #expect(endpoints.map(\.status.known) == [.stopping, .terminated, nil, .stopped])
    }

    @Test(arguments: ["workers-guide", "workers-mcp"])
    func workersInBothShapes(_ fixture: String) async throws {
        let workers = try await client(answering: fixture).listWorkers(endpointID: 1)
        #expect(workers.count == 1)
        #expect(workers[0].status == .running)
        #expect(workers[0].workerId.hasPrefix("w-"))
    }

    @Test func taskDetailKeepsLargeIntegers() async throws {
        let task = try await client(answering: "task-detail").getTask(endpointID: 1, taskID: "job_1")
        #expect(task.endpointId?.rawValue == "378888638324150969")
        #expect(task.status == .success)
        #expect(task.deliveryStatus == .init(.success))
        #expect(task.input?["n"] == .int(9_007_199_254_740_993))
        #expect(task.output?["ok"] == .bool(true))
        #expect(task.headers == ["X-Trace": "1"])
        #expect(task.deliveredAt?.epochMillis == 1_767_757_114_485)
    }

    @Test func taskPageWithOmittedDetail() async throws {
        let page = try await client(answering: "tasks-page").listTasks(endpointID: 77)
        #expect(page.items.map(\.status.known) == [.processing, .failed])
        #expect(page.items[1].deliveryStatus == .init(.maxRetriesExceeded))
        #expect(page.items[0].input == nil)
    }

    @Test func workerLogPageWithCursor() async throws {
        let page = try await client(answering: "worker-logs").workerLogs(endpointID: 1, workerID: "w")
        #expect(page.logs.map(\.offset) == [0, 1])
        #expect(page.logs[0].timestamp.epochMillis == 1_772_359_200_123)
        #expect(page.hasMore)
        #expect(WorkerLogQuery().following(page)?.searchAfterOffset == 1)
    }

    @Test func volumeInTheGuideShape() async throws {
        let volume = try await client(answering: "volume-guide").getVolume(id: 789)
        #expect(volume.storageType == .init(.ceph))
        #expect(volume.status == .active)
        #expect(volume.cost?.value == 3.5)
        #expect(volume.vendorVolumeType == nil)
    }

    @Test func volumeInTheLiveShape() async throws {
        let volume = try await client(answering: "volume-live").getVolume(id: 1)
        #expect(volume.id.rawValue == "399527225789387499")
        #expect(volume.storageType == .init(.s3))
        #expect(volume.status == .active)
        #expect(volume.cost?.value == 0.02)
        #expect(volume.sizeBytes?.text == "1073741824")
    }

    @Test func credentialsKeepUnknownTypes() async throws {
        let credentials = try await client(answering: "credentials").listCredentials()
        #expect(credentials.map(\.name) == ["dockerhub", "ghcr"])
        #expect(credentials[0].type == .init(.dockerHub))
        #expect(credentials[1].type == .unknown("GHCR"))
        #expect(credentials[1].createdAt?.epochMillis == 1_772_359_200_500)
    }

    @Test func credentialInUseCarriesItsUsers() async throws {
        let error = await #expect(throws: YottaError.self) {
            try await client(answering: "credential-in-use").deleteCredential(id: 123)
        }
        guard case .api(let apiError)? = error else {
            Issue.record("expected an API error, got \(String(describing: error))")
            return
        }
        #expect(apiError.code == .credentialInUse)
        #expect(apiError.httpStatus == 200)
        #expect(apiError.resourceID == "123")
        #expect(apiError.credentialUsage?.podList.count == 1)
        #expect(apiError.credentialUsage?.elasticList.first?["name"] == "embedder")
    }

    @Test func memoryMetrics() async throws {
        let metrics = try await client(answering: "metrics-memory").podMetrics(.memory, podID: 456)
        #expect(metrics.metricName == "memory_bytes")
        #expect(metrics.latestTotal == 34_359_738_368)
        #expect(metrics.series[0].dataPoints.count == 2)
    }
}
