import Foundation
import Testing
import YottaAPI

@Suite struct WireTypeTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    @Test(arguments: ["399527225789387495", "\"399527225789387495\"", "9223372036854775807"])
    func idsKeepEveryDigit(_ json: String) throws {
        let id = try decode(ResourceID.self, json)
        #expect(id.rawValue == json.replacingOccurrences(of: "\"", with: ""))
        #expect(try encode(id) == json)
    }

    @Test func idsAboveTwoToTheFiftyThreeAreNotRounded() throws {
        let id = try decode(ResourceID.self, "9007199254740993")
        #expect(id.int64Value == 9_007_199_254_740_993)
        #expect(ResourceID("9007199254740993") == ResourceID(9_007_199_254_740_993))
        #expect(ResourceID("378888638324150969", wireForm: .string) == ResourceID(378_888_638_324_150_969))
    }

    @Test(arguments: ["1.5", "true", "null", "\"\"", "{}"])
    func badIdsAreRejected(_ json: String) {
        #expect(throws: DecodingError.self) { try decode(ResourceID.self, json) }
    }

    @Test(arguments: [
        ("1767757113485", Int64(1_767_757_113_485), Timestamp.WireForm.epochMillis),
        ("\"1767757113485\"", 1_767_757_113_485, .epochMillisString),
        ("\"2026-01-07T03:38:33.485Z\"", 1_767_757_113_485, .iso8601),
        ("\"2026-01-07T03:38:33Z\"", 1_767_757_113_000, .iso8601),
        ("\"2026-01-07T04:38:33+01:00\"", 1_767_757_113_000, .iso8601),
        ("\"2026-01-07T03:38:33\"", 1_767_757_113_000, .iso8601),
    ])
    func timestampsInEveryForm(_ json: String, _ millis: Int64, _ form: Timestamp.WireForm) throws {
        let timestamp = try decode(Timestamp.self, json)
        #expect(timestamp.epochMillis == millis)
        #expect(timestamp.wireForm == form)
        #expect(try decode(Timestamp.self, encode(timestamp)) == timestamp)
    }

    @Test(arguments: ["\"yesterday\"", "true", "\"\""])
    func badTimestampsAreRejected(_ json: String) {
        #expect(throws: DecodingError.self) { try decode(Timestamp.self, json) }
    }

    @Test func openEnumsReadCaseAliasesAndUnknowns() throws {
        #expect(Open<VMStatus>(wire: "Terminated") == .terminated)
        #expect(Open<PodStatus>(wire: "initializing") == .initialize)
        #expect(Open<PodStatus>(wire: "2") == .pausing)
        #expect(Open<VolumeStatus>(wire: "ACTIVE") == .active)
        #expect(Open<ServiceMode>(wire: "Queue").rawValue == "QUEUE")
        let unknown = Open<TaskStatus>(wire: "CANCELLED")
        #expect(unknown == .unknown("CANCELLED"))
        #expect(try encode(unknown) == "\"CANCELLED\"")
        #expect(try decode(Open<TaskStatus>.self, "1") == .delivered)
    }

    @Test func flexibleValuesReadStringsAndNumbers() throws {
        #expect(try decode(FlexibleString.self, "32").text == "32")
        #expect(try decode(FlexibleString.self, "\"32\"").number == 32)
        #expect(try decode(FlexibleNumber.self, "\"0.25\"").value == 0.25)
        #expect(try encode(decode(FlexibleNumber.self, "\"0.25\"")) == "\"0.25\"")
        #expect(throws: DecodingError.self) { try decode(FlexibleNumber.self, "\"cheap\"") }
    }

    @Test func jsonValuesRoundTrip() throws {
        let json = #"{"a":[1,2.5,"x",true,null],"b":{"c":9223372036854775807}}"#
        let value = try decode(JSONValue.self, json)
        #expect(value["b"]?["c"] == .int(Int64.max))
        #expect(value.jsonText == json)
    }

    @Test func updateEndpointReadsBothEnvironmentSpellings() throws {
        let base = #""name":"e","resources":[],"workers":1,"containerVolumeInGb":20"#
        let guide = try decode(UpdateEndpointRequest.self, "{\(base),\"envVars\":[{\"key\":\"A\",\"value\":\"1\"}]}")
        let table = try decode(
            UpdateEndpointRequest.self, "{\(base),\"environmentVars\":[{\"key\":\"A\",\"value\":\"1\"}]}")
        #expect(guide.environmentVars == [EnvironmentVariable(key: "A", value: "1")])
        #expect(guide == table)
        #expect(try encode(guide).contains("\"environmentVars\""))
    }

    @Test func webhookPayloadUsesSnakeCase() throws {
        let payload = WebhookPayload(
            taskId: 1, userTaskId: "job_1", endpointId: "77", status: "SUCCESS", success: true,
            timestamp: "2026-03-01 10:00:00.000", retryCount: 1, result: ["ok": true])
        let json = try encode(payload)
        for key in ["task_id", "user_task_id", "endpoint_id", "retry_count"] { #expect(json.contains("\"\(key)\"")) }
        #expect(try decode(WebhookPayload.self, json) == payload)
    }

    @Test func gpuCatalogueHasEveryReferenceCode() {
        #expect(GPUType.catalogue.filter { !$0.legacy }.count == 16)
        #expect(GPUType.named("NVIDIA_H200_141G")?.vramInGb == 141)
        #expect(Set(GPUType.catalogue.map(\.code)).count == GPUType.catalogue.count)
    }
}
