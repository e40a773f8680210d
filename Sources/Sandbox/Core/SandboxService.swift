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
    /// Signalled when a task is submitted, to wake the webhook dispatcher.
    let taskSignal = Signal()

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
        // Two keys are ambiguous (a proxy may have added one): refused rather than picking one.
        guard request.headerCount("X-Api-Key") <= 1 else {
            return .failure(
                APIFailure(
                    httpStatus: 401, code: .authenticationMissing,
                    message: "unauthorized: X-Api-Key sent more than once"))
        }
        let route: Route
        let parameters: [String: String]
        switch Route.match(method: request.method, path: request.path) {
        case .found(let found, let values): (route, parameters) = (found, values)
        case .methodMismatch(let allowed):
            var response = SandboxResponse.failure(
                APIFailure(
                    httpStatus: 405, code: .invalidParameters,
                    message: "method \(request.method) not allowed on \(request.path)"))
            response.headers.append(("Allow", allowed.joined(separator: ", ")))
            return response
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

    /// One case per operation, each naming its handler: adding an operation does not compile until it
    /// has one, and no operation runs another's handler by falling into a `default:`.
    func dispatch(_ operation: APIOperation, _ context: RequestContext) async throws -> SandboxResponse {
        let credentials = CredentialController(context: context)
        let vms = VMController(context: context)
        let pods = PodController(context: context)
        let metrics = MetricsController(context: context)
        let endpoints = EndpointController(context: context)
        let tasks = TaskController(context: context)
        let volumes = VolumeController(context: context)
        return switch operation {
        case .listCredentials: try await credentials.list()
        case .getCredential: try await credentials.get()
        case .createCredential: try await credentials.create()
        case .updateCredential: try await credentials.update()
        case .deleteCredential: try await credentials.delete()
        case .listVMTypes: try .success(vms.types())
        case .listVMs: try await vms.list()
        case .getVM: try await vms.get()
        case .createVM: try await vms.create()
        case .renameVM: try await vms.rename()
        case .terminateVM: try await vms.terminate()
        case .listPods: try await pods.list()
        case .getPod: try await pods.get()
        case .createPod: try await pods.create()
        case .deletePod: try await pods.delete()
        case .pausePod: try await pods.pause()
        case .resumePod: try await pods.resume()
        case .podCPUMetrics: try await metrics.series(.cpu)
        case .podGPUMetrics: try await metrics.series(.gpu)
        case .podMemoryMetrics: try await metrics.series(.memory)
        case .podGPUMemoryMetrics: try await metrics.series(.gpuMemory)
        case .podStorageMetrics: try await metrics.series(.storage)
        case .listEndpoints: try await endpoints.list()
        case .getEndpoint: try await endpoints.get()
        case .createEndpoint: try await endpoints.create()
        case .updateEndpoint: try await endpoints.update()
        case .deleteEndpoint: try await endpoints.delete()
        case .startEndpoint: try await endpoints.start()
        case .stopEndpoint: try await endpoints.stop()
        case .scaleEndpoint: try await endpoints.scale()
        case .listWorkers: try await endpoints.workers()
        case .workerLogs: try await WorkerLogs(context: context).handle()
        case .submitTask: try await tasks.submit()
        case .listTasks: try await tasks.list()
        case .getTask: try await tasks.get()
        case .countTasks: try await tasks.count()
        case .listGPUResources: try .success(vms.gpuResources())
        case .listVolumes: try await volumes.list()
        case .getVolume: try await volumes.get()
        case .createVolume: try await volumes.create()
        case .renameVolume: try await volumes.rename()
        case .resizeVolume: try await volumes.resize()
        case .deleteVolume: try await volumes.delete()
        }
    }
}
