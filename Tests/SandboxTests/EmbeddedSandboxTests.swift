import Foundation
import Sandbox
import Testing
import YottaAPI

@Suite struct EmbeddedSandboxTests {
    @Test func settingsComeFromTheEnvironment() throws {
        let defaults = try EmbeddedSandbox.Settings(environment: ["HOME": "/home/u"])
        #expect(defaults.statePath == "/home/u/.local/state/gpus/sandbox.sqlite")
        #expect(defaults.options.speed == 20)
        #expect(defaults.options.apiKeys.isEmpty)
        let xdg = try EmbeddedSandbox.Settings(environment: ["HOME": "/home/u", "XDG_STATE_HOME": "/state"])
        #expect(xdg.statePath == "/state/gpus/sandbox.sqlite")
        let custom = try EmbeddedSandbox.Settings(environment: [
            "GPUS_SANDBOX_STATE": ":memory:", "GPUS_SANDBOX_SPEED": "5", "GPUS_SANDBOX_FAULTS": "rate=0.5",
        ])
        #expect(custom.statePath == ":memory:" && custom.options.speed == 5 && custom.options.faults.errorRate == 0.5)
        #expect(throws: SandboxSetupError.self) {
            try EmbeddedSandbox.Settings(environment: ["GPUS_SANDBOX_SPEED": "fast"])
        }
        #expect(throws: SandboxSetupError.self) {
            try EmbeddedSandbox.Settings(environment: ["GPUS_SANDBOX_FAULTS": "x"])
        }
    }

    @Test func startsOnTheFirstRequestAndRunsFast() async throws {
        let clock = ManualClock()
        let sandbox = EmbeddedSandbox(
            settings: try EmbeddedSandbox.Settings(environment: ["GPUS_SANDBOX_STATE": ":memory:"]),
            webhooks: AsyncHTTPClientTransport(), clock: clock)
        let client = YottaClient(
            configuration: try ClientConfiguration(baseURL: "http://localhost", apiKey: nil), transport: sandbox)
        #expect(!sandbox.isStarted)
        let offer = try #require(try await client.listVMTypes().first?.regions.first { $0.available })
        #expect(sandbox.isStarted)
        let vm = try await client.createVM(
            CreateVMRequest(vmTypeId: offer.vmTypeId, region: offer.region, name: "quick"))
        clock.advance(by: .seconds(3))
        #expect(try await client.getVM(id: vm.id).status == .running)
    }

    @Test func aStateThatCannotOpenIsATransportError() async throws {
        let sandbox = EmbeddedSandbox(
            settings: try EmbeddedSandbox.Settings(environment: ["GPUS_SANDBOX_STATE": "/proc/forbidden/state.sqlite"]),
            webhooks: AsyncHTTPClientTransport())
        let client = YottaClient(
            configuration: try ClientConfiguration(baseURL: "http://localhost", apiKey: nil), transport: sandbox)
        let error = await #expect(throws: YottaError.self) { _ = try await client.listPods() }
        #expect(error?.description.contains("embedded sandbox could not start") == true)
    }
}
