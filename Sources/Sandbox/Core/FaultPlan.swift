import Foundation
import Synchronization
import YottaAPI

/// Faults to inject, parsed from a spec such as
/// `rate=0.1,codes=10002+503,latency=20ms-80ms,ops=pods.create,capacity=us-west-2+NVIDIA_H100_80G,preempt=0.5,nth=4`.
///
/// - `rate`: the probability that a request fails with one of `codes` (default 10002).
/// - `codes`: business codes (10002, 24000, …) or HTTP statuses (429, 502, 503, 504) to fail with.
/// - `ops`: the operations (`APIOperation` names such as `pods.create`, or a kind such as `pods`) that
///   errors and `nth` apply to; all when absent.
/// - `nth`: the n-th matching request fails (once), whatever the rate.
/// - `latency`: added to every request, fixed (`50ms`) or a range (`20ms-80ms`).
/// - `capacity`: regions and GPU types that are out of capacity.
/// - `preempt`: the probability that a spot VM is preempted (stopped) some time after it starts.
public struct FaultPlan: Sendable, Hashable {
    public var errorRate: Double = 0
    public var codes: [Int] = [10002]
    public var operations: Set<String> = []
    public var nth: Int?
    public var latency: ClosedRange<Int64> = 0...0
    public var outOfCapacity: Set<String> = []
    public var preemptionRate: Double = 0

    public init() {}

    public static let none = FaultPlan()

    public var isEmpty: Bool { self == .none }

    /// The options a spec takes (`rate=0.3,codes=503+429,ops=pods.create`).
    public enum Option: String, CaseIterable, Sendable {
        case rate, codes, ops, nth, latency, capacity, preempt
    }

    /// What `ops=` names: an operation (`pods.create`) or a namespace (`pods`).
    static let operationNames = Set(
        APIOperation.allCases.flatMap { [$0.rawValue, String($0.rawValue.prefix { $0 != "." })] })

    /// What `capacity=` names: a region or a GPU type of the catalogue.
    static let capacityNames = Set(Catalogue.regions.map(\.code) + Catalogue.hourlyPrice.keys)

    /// Reads a spec; an empty spec is no faults. A name the sandbox does not know (an operation, a
    /// region, a GPU type) is refused: a misspelt fault would otherwise inject nothing, silently.
    public init(spec: String) throws(SandboxSetupError) {
        for entry in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw .badFaults("'\(entry)' is not key=value") }
            let (key, value) = (parts[0], parts[1])
            let list = value.split(separator: "+").map(String.init)
            switch Option(rawValue: key) {
            case .rate?:
                guard let rate = Double(value), (0...1).contains(rate) else {
                    throw .badFaults("rate must be a number from 0 to 1 (got '\(value)')")
                }
                errorRate = rate
            case .codes?:
                let parsed = list.compactMap { Int($0) }
                guard parsed.count == list.count, !parsed.isEmpty else {
                    throw .badFaults("codes must be numbers joined by '+' (got '\(value)')")
                }
                codes = parsed
            case .ops?:
                if let unknown = list.first(where: { !Self.operationNames.contains($0) }) {
                    throw .badFaults(
                        "ops names operations (pods.create) or namespaces (pods): no '\(unknown)' (one of "
                            + Self.operationNames.filter { !$0.contains(".") }.sorted().joined(separator: ", ") + ")")
                }
                operations = Set(list)
            case .nth?:
                guard let n = Int(value), n > 0 else { throw .badFaults("nth must be a positive integer") }
                nth = n
            case .latency?: latency = try Self.parseLatency(value)
            case .capacity?:
                if let unknown = list.first(where: { !Self.capacityNames.contains($0) }) {
                    throw .badFaults(
                        "capacity names regions or GPU types: no '\(unknown)' (regions: "
                            + Catalogue.regions.map(\.code).joined(separator: ", ") + ")")
                }
                outOfCapacity = Set(list)
            case .preempt?:
                guard let rate = Double(value), (0...1).contains(rate) else {
                    throw .badFaults("preempt must be a number from 0 to 1 (got '\(value)')")
                }
                preemptionRate = rate
            case nil:
                throw .badFaults(
                    "unknown fault '\(key)' (expected \(Option.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    static func parseLatency(_ text: String) throws(SandboxSetupError) -> ClosedRange<Int64> {
        let bounds = text.split(separator: "-").map { $0.hasSuffix("ms") ? $0.dropLast(2) : $0 }.map { Int64($0) }
        guard bounds.count == 1 || bounds.count == 2, let low = bounds[0], let high = bounds.last ?? nil, low >= 0,
            high >= low
        else {
            throw .badFaults("latency must be like 50ms or 20ms-80ms (got '\(text)')")
        }
        return low...high
    }

    /// Whether `operation` is one the error faults apply to.
    func applies(to operation: APIOperation) -> Bool {
        operations.isEmpty || operations.contains(operation.rawValue)
            || operations.contains(String(operation.rawValue.prefix { $0 != "." }))
    }

    func isOutOfCapacity(region: String?, gpuType: String?) -> Bool {
        [region, gpuType].contains { $0.map(outOfCapacity.contains) ?? false }
    }
}

/// A problem with how the sandbox was asked to start.
public enum SandboxSetupError: Error, Hashable, Sendable, CustomStringConvertible {
    case badFaults(String)
    case badState(String)

    public var description: String {
        switch self {
        case .badFaults(let message): "invalid --faults: \(message)"
        case .badState(let message): "cannot open the sandbox state: \(message)"
        }
    }
}

/// A seeded pseudo-random generator (SplitMix64), shared by the requests of one sandbox, so a seed
/// makes a run's faults repeatable.
public final class SeededRandom: Sendable {
    private let state: Mutex<UInt64>

    public init(seed: UInt64) { state = Mutex(seed) }

    /// A number in 0..<1.
    public func next() -> Double {
        let value = state.withLock { state -> UInt64 in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return Double(value >> 11) / Double(1 << 53)
    }

    /// An integer in the range.
    public func next(in range: ClosedRange<Int64>) -> Int64 {
        guard range.lowerBound < range.upperBound else { return range.lowerBound }
        return range.lowerBound + Int64(next() * Double(range.upperBound - range.lowerBound + 1))
    }
}
