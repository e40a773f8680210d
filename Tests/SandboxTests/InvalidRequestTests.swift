import Foundation
import Sandbox
import Testing
import YottaAPI

/// One raw request that breaks a documented constraint, sent without the client's own checks.
struct InvalidRequest: Sendable, CustomTestStringConvertible {
    let method: String
    let path: String
    let query: [String: String]
    let body: String?
    /// The field the 10001 message must name.
    let field: String

    var testDescription: String { "\(method) \(path) \(field): \(body ?? query.description)" }

    init(_ method: String, _ path: String, _ body: String? = nil, query: [String: String] = [:], field: String) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.field = field
    }
}

let pod = #""name":"p","image":"img","gpuType":"NVIDIA_RTX_4090_24G""#
let queue = #""name":"ep","image":"img","serviceMode":"QUEUE","containerVolumeInGb":20,"workers":1"#
let resource = #""resources":[{"region":"us-east-1","gpuType":"NVIDIA_A100_80G","gpuCount":1}]"#
let update = #""name":"ep","containerVolumeInGb":20,"workers":1,\#(resource)"#
let task = #""workerPort":8000,"processUri":"/run""#

let invalidRequests: [InvalidRequest] = [
    // Credentials
    InvalidRequest(
        "POST", "/v2/container-registry-auths", #"{"name":"1hub","username":"u","password":"p"}"#, field: "name"),
    InvalidRequest(
        "POST", "/v2/container-registry-auths", #"{"name":"abcdefghijklmnopqrstu","username":"u","password":"p"}"#,
        field: "name"),
    InvalidRequest(
        "POST", "/v2/container-registry-auths", #"{"name":"hub","username":"","password":"p"}"#, field: "username"),
    InvalidRequest("POST", "/v2/container-registry-auths", #"{"name":"hub","username":"u"}"#, field: "password"),
    InvalidRequest(
        "POST", "/v2/container-registry-auths", #"{"name":"hub","type":"QUAY","username":"u","password":"p"}"#,
        field: "type"),
    InvalidRequest("PATCH", "/v2/container-registry-auths/1", "{}", field: "name"),
    // VMs
    InvalidRequest("POST", "/v2/vms", #"{"vmTypeId":101,"region":"us-east-1"}"#, field: "name"),
    InvalidRequest("POST", "/v2/vms", #"{"vmTypeId":101,"region":"us-east-1","name":"v","isSpot":2}"#, field: "isSpot"),
    InvalidRequest("POST", "/v2/vms", #"{"vmTypeId":999999,"region":"us-east-1","name":"v"}"#, field: "vmTypeId"),
    InvalidRequest("POST", "/v2/vms", #"{"vmTypeId":101,"region":"us-west-1","name":"v"}"#, field: "region"),
    InvalidRequest("POST", "/v2/vms", #"{"vmTypeId":"abc","region":"us-east-1","name":"v"}"#, field: "vmTypeId"),
    InvalidRequest("PATCH", "/v2/vms/1", #"{"name":""}"#, field: "name"),
    InvalidRequest("GET", "/v2/vms", query: ["page": "0"], field: "page"),
    InvalidRequest("GET", "/v2/vms", query: ["size": "x"], field: "size"),
    InvalidRequest("GET", "/v2/vms", query: ["status": "sleeping"], field: "status"),
    InvalidRequest("GET", "/v2/vms/abc", field: "id"),
    // Pods
    InvalidRequest("POST", "/v2/pods", "{\(pod),\"gpuCount\":3}", field: "gpuCount"),
    InvalidRequest("POST", "/v2/pods", "{\(pod),\"gpuCount\":0}", field: "gpuCount"),
    InvalidRequest("POST", "/v2/pods", "{\(pod)}", field: "gpuCount"),
    InvalidRequest("POST", "/v2/pods", #"{"name":"p","gpuType":"NVIDIA_RTX_4090_24G","gpuCount":1}"#, field: "image"),
    InvalidRequest(
        "POST", "/v2/pods", "{\(pod),\"gpuCount\":1,\"expose\":[{\"port\":0,\"protocol\":\"HTTP\"}]}",
        field: "expose[0].port"),
    InvalidRequest(
        "POST", "/v2/pods", "{\(pod),\"gpuCount\":1,\"expose\":[{\"port\":65536,\"protocol\":\"HTTP\"}]}",
        field: "expose[0].port"),
    InvalidRequest(
        "POST", "/v2/pods", "{\(pod),\"gpuCount\":1,\"persistentVolumeInGb\":10}", field: "persistentMountPath"),
    InvalidRequest(
        "POST", "/v2/pods", #"{"name":"p","image":"img","gpuType":"NVIDIA_K80_12G","gpuCount":1}"#, field: "gpuType"),
    InvalidRequest("POST", "/v2/pods", "{\(pod),\"gpuCount\":1,\"regions\":[\"mars-1\"]}", field: "regions"),
    InvalidRequest(
        "POST", "/v2/pods", "{\(pod),\"gpuCount\":1,\"containerRegistryAuthId\":424242}",
        field: "containerRegistryAuthId"),
    InvalidRequest(
        "POST", "/v2/pods", "{\(pod),\"gpuCount\":1,\"persistentVolumes\":[{\"volumeId\":9,\"mountPath\":\"/d\"}]}",
        field: "persistentVolumes[0].volumeId"),
    InvalidRequest("POST", "/v2/pods", "{\(pod),\"gpuCount\":1", field: "body"),
    InvalidRequest("GET", "/v2/pods", query: ["statusList": "RUNNING,SLEEPING"], field: "statusList"),
    // Bounds (reliability findings D2, D3, D16, D18): every count and size has an upper bound, names
    // keep no control characters, numbers that are not integers name their field.
    InvalidRequest("POST", "/v2/pods", "{\(pod),\"gpuCount\":16}", field: "gpuCount"),
    InvalidRequest("POST", "/v2/pods", "{\(pod),\"gpuCount\":1.5}", field: "gpuCount"),
    InvalidRequest("POST", "/v2/pods", "{\(pod),\"gpuCount\":9223372036854775808}", field: "gpuCount"),
    InvalidRequest("POST", "/v2/pods", "{\(pod),\"gpuCount\":4611686018427387904}", field: "gpuCount"),
    InvalidRequest(
        "POST", "/v2/pods", #"{"name":"nul\u0000tail","image":"i","gpuType":"NVIDIA_RTX_4090_24G","gpuCount":1}"#,
        field: "name"),
    InvalidRequest(
        "POST", "/v2/pods", #"{"name":"evil\u001b[2J","image":"i","gpuType":"NVIDIA_RTX_4090_24G","gpuCount":1}"#,
        field: "name"),
    InvalidRequest("POST", "/v2/vms", #"{"vmTypeId":101,"region":"us-east-1","name":"a\nb"}"#, field: "name"),
    InvalidRequest("PATCH", "/v2/vms/1", #"{"name":"a\u0000"}"#, field: "name"),
    InvalidRequest(
        "POST", "/v2/pods", "{\(pod),\"gpuCount\":1,\"containerVolumeInGb\":10241}", field: "containerVolumeInGb"),
    InvalidRequest("POST", "/v2/pods", "{\(pod),\"gpuCount\":1,\"shmInGb\":1025}", field: "shmInGb"),
    InvalidRequest(
        "POST", "/v2/pods",
        "{\(pod),\"gpuCount\":1,\"environmentVars\":[\(repeatElement("{\"key\":\"K\",\"value\":\"v\"}", count: 129).joined(separator: ","))]}",
        field: "environmentVars"),
    InvalidRequest(
        "POST", "/v2/pods",
        "{\(pod),\"gpuCount\":1,\"environmentVars\":[{\"key\":\"K\",\"value\":\"\(String(repeating: "v", count: 32769))\"}]}",
        field: "environmentVars[0].value"),
    InvalidRequest(
        "POST", "/v2/pods",
        "{\(pod),\"gpuCount\":1,\"expose\":[\(repeatElement("{\"port\":80,\"protocol\":\"HTTP\"}", count: 33).joined(separator: ","))]}",
        field: "expose"),
    InvalidRequest("GET", "/v2/metrics/cpu/pods/1", query: ["start": "9223372036854775807"], field: "start"),
    InvalidRequest("GET", "/v2/metrics/cpu/pods/1", query: ["end": "253402300800000"], field: "end"),
    InvalidRequest("GET", "/v2/metrics/cpu/pods/1", query: ["start": "-1"], field: "start"),
    InvalidRequest("GET", "/v2/vms", query: ["size": "1001"], field: "size"),
    InvalidRequest("GET", "/v2/vms", query: ["page": "99999999999999999999"], field: "page"),
    InvalidRequest("GET", "/v2/metrics/cpu/pods/1", query: ["start": "10", "end": "5"], field: "end"),
    InvalidRequest("GET", "/v2/metrics/cpu/pods/1", query: ["step": "2m"], field: "step"),
    InvalidRequest(
        "GET", "/v2/metrics/gpu/pods/1", query: ["start": "0", "end": "10800001", "step": "30s"], field: "end"),
    // Endpoints
    InvalidRequest("POST", "/v2/serverless", "{\(queue),\"resources\":[]}", field: "resources"),
    InvalidRequest("POST", "/v2/serverless", "{\(queue)}", field: "resources"),
    InvalidRequest(
        "POST", "/v2/serverless",
        #"{"name":"ep","image":"img","serviceMode":"QUEUE","containerVolumeInGb":20,"workers":0,\#(resource)}"#,
        field: "workers"),
    InvalidRequest(
        "POST", "/v2/serverless",
        #"{"name":"ep","image":"img","serviceMode":"QUEUE","containerVolumeInGb":19,"workers":1,\#(resource)}"#,
        field: "containerVolumeInGb"),
    InvalidRequest(
        "POST", "/v2/serverless",
        #"{"name":"_ep","image":"img","serviceMode":"QUEUE","containerVolumeInGb":20,"workers":1,\#(resource)}"#,
        field: "name"),
    InvalidRequest(
        "POST", "/v2/serverless",
        "{\(queue),\"resources\":[{\"region\":\"us-east-1\",\"gpuType\":\"NVIDIA_A100_80G\",\"gpuCount\":3}]}",
        field: "resources[0].gpuCount"),
    InvalidRequest(
        "POST", "/v2/serverless", "{\(queue),\(resource),\"expose\":{\"port\":70000,\"protocol\":\"http\"}}",
        field: "expose.port"),
    InvalidRequest("POST", "/v2/serverless", "{\(queue),\(resource),\"webhook\":\"ftp://x\"}", field: "webhook"),
    InvalidRequest(
        "POST", "/v2/serverless", "{\(queue),\(resource),\"minSingleCardVramInGb\":2000}",
        field: "minSingleCardVramInGb"),
    InvalidRequest(
        "POST", "/v2/serverless",
        #"{"name":"ep","image":"img","serviceMode":"GRPC","containerVolumeInGb":20,"workers":1,\#(resource)}"#,
        field: "serviceMode"),
    InvalidRequest(
        "POST", "/v2/serverless",
        #"{"name":"ep","image":"img","serviceMode":"ALB","containerVolumeInGb":20,"workers":1,\#(resource)}"#,
        field: "expose"),
    InvalidRequest(
        "POST", "/v2/serverless",
        "{\(queue),\"resources\":[{\"region\":\"mars-1\",\"gpuType\":\"NVIDIA_A100_80G\",\"gpuCount\":1}]}",
        field: "resources[0].region"),
    InvalidRequest(
        "PATCH", "/v2/serverless/1", #"{"name":"ep","containerVolumeInGb":20,"workers":0,\#(resource)}"#,
        field: "workers"),
    InvalidRequest(
        "PATCH", "/v2/serverless/1", #"{"name":"ep","containerVolumeInGb":10,"workers":1,\#(resource)}"#,
        field: "containerVolumeInGb"),
    InvalidRequest("PATCH", "/v2/serverless/1", #"{"containerVolumeInGb":20,"workers":1,\#(resource)}"#, field: "name"),
    InvalidRequest("PUT", "/v2/serverless/1/workers", query: ["count": "-1"], field: "count"),
    InvalidRequest("PUT", "/v2/serverless/1/workers", field: "count"),
    InvalidRequest("PUT", "/v2/serverless/1/workers/many", field: "count"),
    InvalidRequest("PUT", "/v2/serverless/1/workers", query: ["count": "9223372036854775807"], field: "count"),
    InvalidRequest("PUT", "/v2/serverless/1/workers/101", field: "count"),
    InvalidRequest(
        "POST", "/v2/serverless",
        #"{"name":"ep","image":"img","serviceMode":"QUEUE","containerVolumeInGb":20,"workers":10000000,\#(resource)}"#,
        field: "workers"),
    InvalidRequest(
        "PATCH", "/v2/serverless/1", #"{"name":"ep","containerVolumeInGb":20,"workers":101,\#(resource)}"#,
        field: "workers"),
    InvalidRequest(
        "POST", "/v2/serverless",
        "{\(queue),\"resources\":[\(repeatElement("{\"region\":\"us-east-1\",\"gpuType\":\"NVIDIA_A100_80G\",\"gpuCount\":1}", count: 33).joined(separator: ","))]}",
        field: "resources"),
    InvalidRequest(
        "POST", "/v2/serverless",
        "{\(queue),\"resources\":[{\"region\":\"us-east-1\",\"gpuType\":\"NVIDIA_A100_80G\",\"gpuCount\":16}]}",
        field: "resources[0].gpuCount"),
    InvalidRequest("GET", "/v2/serverless", query: ["statusList": "ASLEEP"], field: "statusList"),
    // Tasks (on an existing QUEUE endpoint: see the test)
    InvalidRequest(
        "POST", "/v2/serverless/{queue}/tasks", #"{"taskId":"job-1","input":{"a":1},\#(task)}"#, field: "taskId"),
    InvalidRequest("POST", "/v2/serverless/{queue}/tasks", "{\"input\":{},\(task)}", field: "input"),
    InvalidRequest("POST", "/v2/serverless/{queue}/tasks", "{\(task)}", field: "input"),
    InvalidRequest(
        "POST", "/v2/serverless/{queue}/tasks", #"{"input":{"a":1},"workerPort":0,"processUri":"/run"}"#,
        field: "workerPort"),
    InvalidRequest(
        "POST", "/v2/serverless/{queue}/tasks", #"{"input":{"a":1},"workerPort":80,"processUri":"/a b"}"#,
        field: "processUri"),
    InvalidRequest(
        "POST", "/v2/serverless/{queue}/tasks", "{\"input\":{\"a\":1},\(task),\"webhook\":\"not a url\"}",
        field: "webhook"),
    InvalidRequest(
        "POST", "/v2/serverless/{queue}/tasks",
        "{\"input\":{\"a\":1},\(task),\"webhookAuthKey\":\"\(String(repeating: "k", count: 256))\"}",
        field: "webhookAuthKey"),
    InvalidRequest("GET", "/v2/serverless/{queue}/tasks", query: ["status": "DONE"], field: "status"),
    InvalidRequest(
        "POST", "/v2/serverless/{queue}/tasks",
        "{\"input\":{\"a\":1},\(task),\"headers\":{\((0..<65).map { "\"h\($0)\":\"v\"" }.joined(separator: ","))}}",
        field: "headers"),
    InvalidRequest("GET", "/v2/serverless/{queue}/tasks", query: ["pageSize": "0"], field: "pageSize"),
    InvalidRequest("GET", "/v2/serverless/{queue}/workers/w/logs", query: ["pageSize": "1001"], field: "pageSize"),
    InvalidRequest(
        "GET", "/v2/serverless/{queue}/workers/w/logs", query: ["direction": "Sideways"], field: "direction"),
    InvalidRequest("GET", "/v2/serverless/{queue}/workers/w/logs", query: ["startTime": "soon"], field: "startTime"),
    // Volumes
    InvalidRequest(
        "POST", "/v2/volumes", #"{"name":"d","storageType":"CEPH","region":"us-east-1","sizeInGb":0}"#,
        field: "sizeInGb"),
    InvalidRequest(
        "POST", "/v2/volumes", #"{"name":"d","storageType":"CEPH","region":"us-east-1","sizeInGb":10241}"#,
        field: "sizeInGb"),
    InvalidRequest(
        "POST", "/v2/volumes", #"{"name":"d","storageType":"CEPH","region":"us-east-1"}"#, field: "sizeInGb"),
    InvalidRequest("POST", "/v2/volumes", #"{"name":"d","storageType":"CEPH","sizeInGb":10}"#, field: "region"),
    InvalidRequest(
        "POST", "/v2/volumes", #"{"name":"d","storageType":"VENDOR","region":"us-east-1","sizeInGb":10}"#,
        field: "vendorVolumeType"),
    InvalidRequest("POST", "/v2/volumes", #"{"name":"d","storageType":"S3","sizeInGb":10}"#, field: "sizeInGb"),
    InvalidRequest("POST", "/v2/volumes", #"{"name":"d","storageType":"NFS"}"#, field: "storageType"),
    InvalidRequest("POST", "/v2/volumes", #"{"name":"my data","storageType":"S3"}"#, field: "name"),
    InvalidRequest("POST", "/v2/volumes/1/resize", #"{"sizeInGb":10241}"#, field: "sizeInGb"),
    InvalidRequest("POST", "/v2/volumes/1/name", #"{"name":""}"#, field: "name"),
    InvalidRequest("GET", "/v2/volumes", field: "storageType"),
    InvalidRequest("GET", "/v2/volumes", query: ["storageType": "TAPE"], field: "storageType"),
]

@Suite struct InvalidRequestTests {
    @Test(arguments: invalidRequests)
    func rejectedWith10001NamingTheField(_ request: InvalidRequest) async throws {
        let sandbox = try Harness()
        let endpoint = try await sandbox.queueEndpoint()
        let path = request.path.replacingOccurrences(of: "{queue}", with: endpoint.id.rawValue)
        let response = await sandbox.raw(
            request.method, path, query: request.query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            body: request.body)
        #expect(response.status == 400, "\(response.message)")
        #expect(response.code == 10001)
        #expect(response.message.hasPrefix("\(request.field):"), "\(response.message)")
        #expect(response.json?["data"] == .null)
    }

    @Test func authenticationIsRequired() async throws {
        let store = try SandboxStore(path: ":memory:")
        let service = SandboxService(store: store, options: SandboxOptions(apiKeys: ["right"]))
        for key in [nil, "wrong"] as [String?] {
            let response = await service.handle(
                SandboxRequest(method: "GET", path: "/v2/pods", headers: key.map { [("X-Api-Key", $0)] } ?? []))
            #expect(response.status == 401)
            #expect(String(decoding: response.body, as: UTF8.self).contains("40101"))
        }
        let allowed = await service.handle(
            SandboxRequest(method: "GET", path: "/v2/pods", headers: [("x-api-key", "right")]))
        #expect(allowed.status == 200)
    }

    @Test func unknownPathsAndMethods() async throws {
        let sandbox = try Harness()
        #expect(await sandbox.raw("GET", "/v2/nothing").status == 404)
        #expect(await sandbox.raw("POST", "/v2/vms/types").status == 405)
        // A 405 says which methods the path takes (RFC 9110; findings reliability D14).
        let response = await sandbox.service.handle(SandboxRequest(method: "PUT", path: "/v2/pods/1"))
        #expect(response.status == 405 && response.headers.contains { $0.0 == "Allow" && $0.1 == "GET, DELETE" })
        let list = await sandbox.service.handle(SandboxRequest(method: "DELETE", path: "/v2/vms"))
        #expect(list.headers.first { $0.0 == "Allow" }?.1 == "GET, POST", "\(list.headers)")
    }

    @Test func bothListFilterFormsAreAccepted() async throws {
        let sandbox = try Harness()
        for name in ["a", "b"] {
            _ = try await sandbox.client.createPod(
                CreatePodRequest(name: name, image: "i", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1))
        }
        sandbox.advance(.seconds(30))
        let comma = await sandbox.raw("GET", "/v2/pods", query: [("statusList", "RUNNING,PAUSED")])
        let repeated = await sandbox.raw(
            "GET", "/v2/pods", query: [("statusList", "RUNNING"), ("statusList", "PAUSED")])
        let codes = await sandbox.raw("GET", "/v2/pods", query: [("statusList", "1")])
        for response in [comma, repeated, codes] {
            guard case .array(let pods)? = response.json?["data"] else { return #expect(Bool(false)) }
            #expect(pods.count == 2)
        }
    }

    @Test func bothScaleFormsAndBothEnvironmentSpellings() async throws {
        let sandbox = try Harness()
        let endpoint = try await sandbox.queueEndpoint(workers: 1)
        let id = endpoint.id.rawValue
        #expect(await sandbox.raw("PUT", "/v2/serverless/\(id)/workers/3").code == 10000)
        #expect(try await sandbox.client.getEndpoint(id: endpoint.id).totalWorkers == 3)
        #expect(await sandbox.raw("PUT", "/v2/serverless/\(id)/workers", query: [("count", "2")]).code == 10000)
        #expect(try await sandbox.client.getEndpoint(id: endpoint.id).totalWorkers == 2)
        _ = await sandbox.raw("POST", "/v2/serverless/\(id)/stop")
        sandbox.advance(.seconds(10))
        let patched = await sandbox.raw(
            "PATCH", "/v2/serverless/\(id)", body: "{\(update),\"envVars\":[{\"key\":\"A\",\"value\":\"1\"}]}")
        #expect(patched.code == 10000)
        #expect(
            try await sandbox.client.getEndpoint(id: endpoint.id).environmentVars == [
                EnvironmentVariable(key: "A", value: "1")
            ])
    }
}
