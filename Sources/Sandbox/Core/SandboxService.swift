import Foundation
import Logging
import Synchronization
import YottaAPI

/// The simulated Yotta cloud: takes a request, returns the response the real API would give.
///
/// Used by the HTTP server (`gpus sandbox serve`) and, without any network, by the embedded transport.
public final class SandboxService: Sendable {
    public let store: SandboxStore
    public let clock: any SandboxClock
    public let options: SandboxOptions
    let timings: Timings
    let random: SeededRandom
    let logger: Logger
    /// Requests counted per operation, for fault `nth` and for tests that count calls.
    private let counts = Mutex<[APIOperation: Int]>([:])
    private let faultMatches = Mutex(0)

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    public init(
        store: SandboxStore, clock: any SandboxClock = SystemClock(), options: SandboxOptions, logger: Logger? = nil
    ) {
        self.store = store
        self.clock = clock
        self.options = options
        self.timings = options.timings
        self.random = SeededRandom(seed: options.seed ?? UInt64.random(in: 0...UInt64.max))
        self.logger = logger ?? Logger(label: "gpus.sandbox")
    }

    /// How many requests each operation has received.
    public func requestCounts() -> [APIOperation: Int] { counts.withLock { $0 } }

    public func handle(_ request: SandboxRequest) async -> SandboxResponse {
        guard options.apiKeys.isEmpty || request.header("X-Api-Key").map(options.apiKeys.contains) == true else {
            return .failure(APIFailure(httpStatus: 401, code: .authenticationMissing, message: "unauthorized"))
        }
        let route: Route
        let parameters: [String: String]
        switch Route.match(method: request.method, path: request.path) {
        case .found(let found, let values): (route, parameters) = (found, values)
        case .methodMismatch:
            return .failure(
                APIFailure(
                    httpStatus: 405, code: .invalidParameters,
                    message: "method \(request.method) not allowed on \(request.path)"))
        case .notFound:
            return .failure(
                APIFailure(httpStatus: 404, code: .recordNotExist, message: "no such path: \(request.path)"))
        }
        counts.withLock { $0[route.operation, default: 0] += 1 }
        if let injected = await injectFault(for: route.operation) { return injected }
        let context = RequestContext(service: self, request: request, parameters: parameters, now: clock.nowMillis())
        do {
            return try await dispatch(route.operation, context)
        } catch let failure as APIFailure {
            return .failure(failure)
        } catch {
            logger.error("\(route.operation.rawValue): \(error)")
            return .failure(APIFailure(httpStatus: 500, code: .systemError, message: "system error"))
        }
    }

    /// Added latency, then an injected error when the fault plan says so.
    func injectFault(for operation: APIOperation) async -> SandboxResponse? {
        let faults = options.faults
        guard !faults.isEmpty else { return nil }
        let delay = random.next(in: faults.latency)
        if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
        guard faults.applies(to: operation), faults.errorRate > 0 || faults.nth != nil else { return nil }
        let count = faultMatches.withLock { count -> Int in
            count += 1
            return count
        }
        let hit = count == faults.nth || (faults.errorRate > 0 && random.next() < faults.errorRate)
        guard hit, !faults.codes.isEmpty else { return nil }
        let code = faults.codes[Int(random.next() * Double(faults.codes.count)) % faults.codes.count]
        logger.info("fault injected into \(operation.rawValue): \(code)")
        switch code {
        case 429:
            return .failure(
                APIFailure(httpStatus: 429, code: .tooManyRequests, message: "too many requests"),
                headers: [("Retry-After", "1")])
        case 500...599:
            return .failure(APIFailure(httpStatus: code, code: .systemError, message: "service unavailable (injected)"))
        case 10002:
            return .failure(APIFailure(httpStatus: 500, code: .systemError, message: "system error (injected)"))
        default:
            return .failure(
                APIFailure(
                    httpStatus: 200, code: BusinessCode(rawValue: code),
                    message: "\(BusinessCode(rawValue: code).meaning) (injected)"))
        }
    }

    func dispatch(_ operation: APIOperation, _ context: RequestContext) async throws -> SandboxResponse {
        switch operation {
        case .listCredentials, .getCredential, .createCredential, .updateCredential, .deleteCredential:
            try await CredentialController(context: context).handle(operation)
        case .listVMTypes, .listVMs, .getVM, .createVM, .renameVM, .terminateVM:
            try await VMController(context: context).handle(operation)
        case .listPods, .getPod, .createPod, .deletePod, .pausePod, .resumePod:
            try await PodController(context: context).handle(operation)
        case .podCPUMetrics, .podGPUMetrics, .podMemoryMetrics, .podGPUMemoryMetrics, .podStorageMetrics:
            try await MetricsController(context: context).handle(operation)
        case .listEndpoints, .getEndpoint, .createEndpoint, .updateEndpoint, .deleteEndpoint, .startEndpoint,
            .stopEndpoint, .scaleEndpoint, .listWorkers, .workerLogs:
            try await EndpointController(context: context).handle(operation)
        case .submitTask, .listTasks, .getTask, .countTasks:
            try await TaskController(context: context).handle(operation)
        case .listVolumes, .getVolume, .createVolume, .renameVolume, .resizeVolume, .deleteVolume:
            try await VolumeController(context: context).handle(operation)
        }
    }
}
