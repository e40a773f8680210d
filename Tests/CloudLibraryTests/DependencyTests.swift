import Foundation
import Testing

/// Deletes that know the cloud's dependencies: a volume waits for the pods that mount it, a
/// credential for the pods that use it, an endpoint is stopped first — and the order of the defers
/// that delete them does not matter. Through the binary, against the embedded sandbox.
@Suite struct DependencyTests {
    static let volumeAndPod = """
        let vol = volumes.create(name: "data", storageType: "CEPH", region: "us-east-1", sizeInGb: 100)
        wait until vol.status == active timeout 5m
        let pod = pods.create(name: "reader", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1,
                              persistentVolumes: [{volumeId: vol.id, mountPath: "/data"}])
        wait until pod.status == running timeout 5m
        """
    static let credentialAndPod = """
        let cred = credentials.create(name: "reg", username: "u", password: "p")
        let pod = pods.create(name: "private", image: "acme/secret:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1,
                              containerRegistryAuthId: cred.id, imagePublicType: "PRIVATE")
        wait until pod.status == running timeout 5m
        """

    @Test(arguments: [
        ("vol", "pod", volumeAndPod), ("pod", "vol", volumeAndPod), ("cred", "pod", credentialAndPod),
        ("pod", "cred", credentialAndPod),
    ])
    func theOrderOfTheDefersDoesNotMatter(_ first: String, _ second: String, _ setup: String) async throws {
        let machine = try Machine()
        let script = try machine.write(
            "deps.gpus", "\(setup)\ndefer \(first).delete()\ndefer \(second).delete()\nprint(\"done\")\n")
        let result = try await machine.gpus(["-q", script])
        #expect(result.status == 0, "\(first)/\(second): \(result.stderr)")
        #expect(result.stdout == "done\n")
        #expect(try await machine.billing() == [])
    }

    @Test func aVolumeAPodStillRunsOnIsRefusedAtOnceNamingIt() async throws {
        let machine = try Machine()
        let script = try machine.write(
            "held.gpus",
            "\(Self.volumeAndPod)\ntry { vol.delete() } catch e { print(e.kind, e.code) }\npod.delete()\nvol.delete()\nprint(\"gone\")\n"
        )
        let started = Date()
        let result = try await machine.gpus(["-q", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "dependency 12001\ngone\n", "\(result.stdout)")
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(try await machine.billing() == [])
    }

    @Test func aRunningEndpointIsStoppedThenDeleted() async throws {
        let machine = try Machine()
        let script = try machine.write(
            "ep.gpus",
            """
            let ep = endpoints.create(name: "web", image: "acme/web:1", serviceMode: "ALB",
                                      resources: [{region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1}],
                                      workers: 1, containerVolumeInGb: 20, expose: {port: 80, protocol: "http"})
            wait until ep.status == running timeout 5m
            ep.delete()
            print(len(endpoints.list()))
            """)
        let result = try await machine.gpus(["-q", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "0\n", "\(result.stdout)")
    }

    @Test func aPipedSessionsDefersRunInAnyOrderAndWhatIsLeftIsNamedAfterThem() async throws {
        let machine = try Machine()
        let input = Pipe()
        let running = try machine.start(["-q"], stdin: input)
        input.fileHandleForWriting.write(
            Data(
                """
                \(Self.volumeAndPod)
                defer pod.delete()
                defer vol.delete()
                let kept = vms.create(name: "kept", vmTypeId: 101, region: "us-east-1")

                """.utf8))
        try input.fileHandleForWriting.close()
        #expect(try await running.finish(timeout: 120) == 0, "\(running.stderr)")
        // Only what the deferred statements left is named as still billing.
        let listed = running.stdout.components(separatedBy: "still billing:").last ?? ""
        #expect(listed.contains("VM kept") && !listed.contains("Volume data") && !listed.contains("Pod reader"))
        let billing = try await machine.billing()
        #expect(billing.count == 1 && billing[0].hasPrefix("VM kept"), "\(billing)")
    }
}
