import Foundation
import Sandbox
import TestSupport
import Testing
import YottaAPI

/// State on disk: shared by two server processes, kept across a SIGKILL and a restart.
@Suite(.serialized) struct PersistenceTests {
    /// The folder of a test's state file, removed after it.
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("gpus-persistence") }

    func temporaryState() throws -> String { folder.path + "/state.sqlite" }

    @Test func stateSurvivesReopening() async throws {
        let path = try temporaryState()
        let clock = ManualClock()
        let first = SandboxService(store: try SandboxStore(path: path), clock: clock, options: SandboxOptions())
        let created = await first.handle(
            SandboxRequest(method: "POST", path: "/v2/volumes", body: Data(#"{"name":"keep","storageType":"S3"}"#.utf8))
        )
        #expect(created.status == 200)
        let second = SandboxService(store: try SandboxStore(path: path), clock: clock, options: SandboxOptions())
        let listed = await second.handle(
            SandboxRequest(method: "GET", path: "/v2/volumes", query: [("storageType", "S3")]))
        #expect(String(decoding: listed.body, as: UTF8.self).contains("\"keep\""))
        try await second.store.reset()
        let emptied = await first.handle(
            SandboxRequest(method: "GET", path: "/v2/volumes", query: [("storageType", "S3")]))
        #expect(String(decoding: emptied.body, as: UTF8.self).contains("\"total\":0"))
    }

    @Test func twoProcessesShareOneStateAndSurviveSIGKILL() async throws {
        let path = try temporaryState()
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        let a = try ServedSandbox(speed: "1000", state: path, arguments: ["--quiet"])
        let b = try ServedSandbox(speed: "1000", state: path, arguments: ["--quiet"])
        let clientA = try a.client(transport: transport)
        let clientB = try b.client(transport: transport)

        let offer = try #require(try await clientA.listVMTypes().first?.regions.first { $0.available })
        // Creates from both processes at once: ids stay unique, nothing is lost.
        let created = try await withThrowingTaskGroup(of: VM.self) { group in
            for index in 0..<20 {
                let client = index.isMultiple(of: 2) ? clientA : clientB
                group.addTask {
                    try await client.createVM(
                        CreateVMRequest(vmTypeId: offer.vmTypeId, region: offer.region, name: "vm-\(index)"))
                }
            }
            return try await group.reduce(into: [VM]()) { $0.append($1) }
        }
        #expect(Set(created.map(\.id)).count == 20)
        #expect(try await clientB.allVMs().collect().count == 20)
        let one = try #require(created.first)
        try await clientB.terminateVM(id: one.id)
        #expect(try await clientA.getVM(id: one.id).status == .terminated)

        #expect(a.stop(signal: SIGKILL) != 0)
        #expect(b.stop(signal: SIGKILL) != 0)
        let c = try ServedSandbox(speed: nil, state: path, arguments: ["--quiet"])
        let clientC = try c.client(transport: transport)
        let survivors = try await clientC.allVMs().collect()
        #expect(Set(survivors.map(\.id)) == Set(created.map(\.id)))
        let terminated = survivors.first { $0.id == one.id }
        #expect(terminated?.status.known == .terminated)
        #expect(c.stop() == 0)  // SIGTERM: a clean shutdown
        try await transport.shutdown()
    }
}
