import CloudLibrary
import Foundation
import Testing

@Suite struct CompletionValuesTests {
    @Test func liveIdsAndNamesComeFromACacheRefreshedInTheBackground() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            "let vm = vms.create(name: \"completable\", vmTypeId: 101, region: \"us-east-1\")\nprint(vm.id)")
        #expect(failure(outcome) == nil)
        let id = try #require(harness.output.all.first)
        let values = CompletionValues(client: harness.session.client)
        #expect(values.values(for: "gpuType").contains("NVIDIA_H100_80G"))
        #expect(values.values(for: "storageType") == ["S3", "CEPH", "VENDOR", "R2"])
        // The first lookup answers at once from the (empty) cache and starts a refresh.
        _ = values.values(for: "id")
        let deadline = Date().addingTimeInterval(5)
        while !values.values(for: "id").contains(id), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(values.values(for: "id").contains(id))
        #expect(values.values(for: "name").contains("completable"))
        #expect(values.values(for: "region").contains("us-east-1"))
        // `vmTypeId: ⇥` offers the VM types, each with its GPU and region.
        let types = values.candidates(for: "vmTypeId")
        #expect(types.contains { $0.value == "101" && $0.note == "NVIDIA_RTX_4090_24G, us-east-1" }, "\(types)")
    }
}
