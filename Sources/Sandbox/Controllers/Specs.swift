import Foundation
import YottaAPI

/// What the sandbox stores for each kind, beside the name and the events.
struct VMSpec: Codable, Sendable {
    var vmTypeId: Int64
    var region: String
    var gpuType: String
    var isSpot: Int
    var volumeMountPaths: [String: String]?
}

struct PodSpec: Codable, Sendable {
    var request: CreatePodRequest
    var region: String
}

struct EndpointSpec: Codable, Sendable {
    var request: CreateEndpointRequest
    var timing: EndpointTimeline.Timing
}

struct VolumeSpec: Codable, Sendable {
    var storageType: String
    var region: String?
    var sizeInGb: Int?
    var vendorVolumeType: String?
}

struct CredentialSpec: Codable, Sendable {
    var type: String
    var username: String
    /// Kept to simulate the registry login; never returned.
    var password: String
}

struct TaskSpec: Codable, Sendable {
    var input: JSONValue
    var workerPort: Int
    var processUri: String
    var webhook: String?
    var webhookAuthKey: String?
    var headers: [String: String]?
    /// From pick-up to DELIVERED, and from DELIVERED to the result, at the speed of submission.
    var deliverMillis: Int64
    var runMillis: Int64
}

extension Encodable {
    func jsonData() throws -> Data { try JSONEncoder().encode(self) }
}

/// Deterministic details (addresses, hashes) derived from ids, so responses look real and repeat.
enum Derived {
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// A public-looking address for a resource.
    static func publicIP(_ id: Int64) -> String {
        let h = hash(String(id))
        return "203.0.\(h % 250 + 1).\((h >> 8) % 250 + 2)"
    }

    static func privateIP(_ id: Int64) -> String {
        let h = hash("private\(id)")
        return "10.\(h % 250).\((h >> 8) % 250).\((h >> 16) % 250 + 2)"
    }

    /// A worker's private address.
    static func workerIP(_ workerID: String) -> String {
        let h = hash(workerID)
        return "10.\(h % 250).\((h >> 8) % 250).\((h >> 16) % 250 + 2)"
    }

    /// Dollars for `millis` of use at `perHour`, rounded to a hundredth of a cent.
    static func cost(millis: Int64, perHour: Double) -> Double {
        ((Double(millis) / 3_600_000 * perHour) * 10_000).rounded() / 10_000
    }
}
