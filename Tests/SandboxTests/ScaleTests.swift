import Foundation
import GRDB
import TestSupport
import Testing
import YottaAPI

@testable import Sandbox

/// A state of 100,000 resources of every kind, some with long histories, on disk: lists page, filter
/// and count from the stored statuses, and those stay what the events say as time passes.
@Suite(.serialized) struct ScaleTests {
    static let count = 100_000

    /// Seeded once for the suite (20–40 s in a debug build), on a thread of its own: on the
    /// cooperative pool it would hold one of its two threads from the other suites for that long.
    static let seeding = Task {
        await withCheckedContinuation {
            (continuation: CheckedContinuation<(path: String, clock: ManualClock), Never>) in
            Thread.detachNewThread {
                // 45 MB, removed when the test process ends (it stayed in /tmp once per run).
                let path = try! TemporaryFolder.forTheRun("gpus-scale").appendingPathComponent("state.sqlite").path
                let clock = ManualClock()
                let store = try! SandboxStore(path: path)
                try! SandboxSeeder(count: count).seed(store, now: clock.nowMillis())
                continuation.resume(returning: (path, clock))
            }
        }
    }

    var state: (path: String, clock: ManualClock) { get async { await Self.seeding.value } }

    func service() async throws -> SandboxService {
        let state = await state
        return SandboxService(store: try SandboxStore(path: state.path), clock: state.clock, options: SandboxOptions())
    }

    func get(_ service: SandboxService, _ path: String, _ query: [(String, String)] = []) async -> RawResponse {
        let response = await service.handle(SandboxRequest(method: "GET", path: path, query: query))
        return RawResponse(status: response.status, body: response.body)
    }

    /// The oracle: every status derived from the events, as the sandbox did before it stored them.
    func derivedStatuses(_ service: SandboxService, kind: ResourceKind) async throws -> [Int64: String] {
        let now = await state.clock.nowMillis()
        let all = try await service.store.read { try $0.resources(kind: kind) }
        var statuses: [Int64: String] = [:]
        for stored in all {
            let events = stored.events(upTo: now)
            statuses[stored.id] =
                switch kind {
                case .vm: (Lifecycles.vm(events).status(at: now) ?? .initializing).rawValue
                case .pod: (Lifecycles.pod(events).status(at: now) ?? .initialize).rawValue
                default: (Lifecycles.volume(events).status(at: now) ?? .creating).rawValue
                }
        }
        return statuses
    }

    @Test func vmPagesCountAndFilterLikeTheEvents() async throws {
        let service = try await service()
        let first = await get(service, "/v2/vms", [("page", "1"), ("size", "50")])
        #expect(first.code == 10000)
        #expect(first.json?["data"]?["total"] == .int(30_000))
        guard case .array(let items)? = first.json?["data"]?["items"] else { Issue.record("no items"); return }
        #expect(items.count == 50)
        let ids = items.compactMap { item -> Int64? in if case .int(let id)? = item["id"] { id } else { nil } }
        #expect(ids == ids.sorted(by: >), "newest first")

        for elapsed in [Duration.zero, .seconds(90)] {
            await state.clock.advance(by: elapsed)
            let oracle = try await derivedStatuses(service, kind: .vm)
            for status in ["initializing", "running", "terminated"] {
                let expected = oracle.values.count { $0 == status }
                let page = await get(service, "/v2/vms", [("status", status), ("size", "1000"), ("page", "1")])
                #expect(page.json?["data"]?["total"] == .int(Int64(expected)), "\(status) after \(elapsed)")
                if case .array(let items)? = page.json?["data"]?["items"] {
                    #expect(items.count == min(1000, expected))
                    #expect(items.allSatisfy { $0["status"] == .string(status) })
                }
            }
        }
        let past = await get(service, "/v2/vms", [("page", "100000"), ("size", "50")])
        #expect(past.json?["data"]?["items"] == .array([]))
        #expect(past.json?["data"]?["total"] == .int(30_000))
    }

    @Test func podsAndVolumesFilterOnStoredAttributes() async throws {
        let service = try await service()
        let oracle = try await derivedStatuses(service, kind: .pod)
        for status in ["PAUSED", "TERMINATED", "RUNNING"] {
            let list = await get(service, "/v2/pods", [("statusList", status), ("regionList", "us-east-1")])
            guard case .array(let pods)? = list.json?["data"] else { Issue.record("no pods"); continue }
            let expected = try await service.store.read { try $0.resources(kind: .pod) }
                .filter {
                    oracle[$0.id] == status
                        && (try? JSONDecoder().decode(JSONValue.self, from: $0.spec))?["region"] == .string("us-east-1")
                }
                .count
            #expect(pods.count == expected, "\(status)")
            #expect(pods.allSatisfy { $0["status"] == .string(status) && $0["region"] == .string("us-east-1") })
        }
        // The whole list (the API does not page pods): more ids than SQLite binds in one statement.
        let all = await get(service, "/v2/pods")
        if case .array(let pods)? = all.json?["data"] {
            #expect(pods.count == 40_000)
        } else {
            Issue.record("\(all.message)")
        }
        let volumes = await get(
            service, "/v2/volumes", [("storageType", "CEPH"), ("region", "us-west-1"), ("size", "50")])
        let expected = try await service.store.read { try $0.resources(kind: .volume) }
            .filter {
                let spec = try? JSONDecoder().decode(JSONValue.self, from: $0.spec)
                return spec?["storageType"] == .string("CEPH") && spec?["region"] == .string("us-west-1")
            }
            .count
        #expect(volumes.json?["data"]?["total"] == .int(Int64(expected)))
        #expect(expected > 0)
    }

    @Test func aLongHistoryReadsTheSameAsItsEvents() async throws {
        let service = try await service()
        // Pod number 6 of the seed pattern has a long history (one in ten pods and endpoints).
        let pods = try await service.store.read { try $0.resources(kind: .pod) }
        let long = try #require(pods.max { $0.events.count < $1.events.count })
        #expect(long.events.count > 20)
        let response = await get(service, "/v2/pods/\(long.id)")
        let region = try #require(try? JSONDecoder().decode(JSONValue.self, from: long.spec))["region"]
        guard case .string(let regionName)? = region else { Issue.record("no region"); return }
        let status = response.json?["data"]?["status"]
        guard case .string(let statusName)? = status else { Issue.record("no status"); return }
        let listed = await get(service, "/v2/pods", [("statusList", statusName), ("regionList", regionName)])
        guard case .array(let all)? = listed.json?["data"] else { Issue.record("no list"); return }
        #expect(all.contains { $0["id"] == .int(long.id) && $0["status"] == status })
    }
}

/// The state's rows: a kind this version does not know is an error, not a VM; a v1 state is
/// upgraded with its statuses and references.
@Suite struct StoredRowTests {
    @Test func anUnknownStoredKindIsAnErrorNotAVM() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-kind-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SandboxStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO resources(id, kind, name, created_at, spec, status) VALUES(42, 'gpu-cluster', 'x', 0, X'7B7D', 'running')"
            )
        }
        let service = SandboxService(store: store, options: SandboxOptions())
        let response = await service.handle(SandboxRequest(method: "GET", path: "/v2/vms/42"))
        #expect(response.status == 500)
        let list = await service.handle(SandboxRequest(method: "GET", path: "/v2/vms"))
        #expect(list.status == 200)
    }

    @Test func aVersionOneStateIsUpgraded() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-v1-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let queue = try DatabaseQueue(path: path)
        var v1 = DatabaseMigrator()
        v1.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE resources (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
                        created_at INTEGER NOT NULL, spec BLOB NOT NULL, gone_at INTEGER);
                    CREATE INDEX resources_by_kind ON resources(kind, id);
                    CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL, at INTEGER NOT NULL, duration INTEGER NOT NULL DEFAULT 0, value INTEGER);
                    CREATE INDEX events_by_resource ON events(resource_id, seq);
                    CREATE TABLE tasks (seq INTEGER PRIMARY KEY AUTOINCREMENT, endpoint_id INTEGER NOT NULL,
                        task_id TEXT NOT NULL, submitted_at INTEGER NOT NULL, spec BLOB NOT NULL,
                        delivery_status TEXT NOT NULL DEFAULT 'INIT', delivery_attempts INTEGER NOT NULL DEFAULT 0,
                        delivered_at INTEGER, next_delivery_at INTEGER, claimed_until INTEGER,
                        UNIQUE(endpoint_id, task_id));
                    CREATE INDEX tasks_to_deliver ON tasks(next_delivery_at) WHERE next_delivery_at IS NOT NULL;
                    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    """)
        }
        try v1.migrate(queue)
        let volumeSpec = #"{"storageType":"CEPH","region":"us-east-1","sizeInGb":10}"#
        let podSpec =
            #"{"region":"us-east-1","request":{"name":"p","image":"i","gpuType":"NVIDIA_H100_80G","gpuCount":1,"persistentVolumes":[{"volumeId":1,"mountPath":"/d"}]}}"#
        try await queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO resources(id, kind, name, created_at, spec) VALUES(1, 'volume', 'v', ?, ?), (2, 'pod', 'p', ?, ?)",
                arguments: [now - 600_000, Data(volumeSpec.utf8), now - 300_000, Data(podSpec.utf8)])
            try db.execute(
                sql:
                    "INSERT INTO events(resource_id, kind, at, duration, value) VALUES(1, 'created', ?, 10000, 10), (2, 'created', ?, 30000, NULL)",
                arguments: [now - 600_000, now - 300_000])
        }
        try queue.close()
        let service = SandboxService(store: try SandboxStore(path: path), options: SandboxOptions())
        let pods = await service.handle(
            SandboxRequest(method: "GET", path: "/v2/pods", query: [("statusList", "RUNNING")]))
        #expect(String(decoding: pods.body, as: UTF8.self).contains("\"RUNNING\""))
        let volumes = await service.handle(
            SandboxRequest(method: "GET", path: "/v2/volumes", query: [("storageType", "CEPH")]))
        let body = try JSONDecoder().decode(JSONValue.self, from: volumes.body)
        #expect(body["data"]?["total"] == .int(1))
        if case .array(let items)? = body["data"]?["items"] {
            #expect(items.first?["mountCount"] == .int(1), "the pod's mount was indexed")
        }
        let delete = await service.handle(SandboxRequest(method: "DELETE", path: "/v2/volumes/1"))
        #expect(String(decoding: delete.body, as: UTF8.self).contains("12001"), "mounted: not deleted")
    }
}
