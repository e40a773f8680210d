import Foundation
import Logging
import Synchronization
import YottaAPI

/// The sandbox gpus talks to when no API key is configured: the same service, in-process, started
/// on the first request (a command that never reaches the cloud never opens the state).
///
/// It runs fast by default (speed 20: a VM boots in about three seconds); `GPUS_SANDBOX_SPEED`,
/// `GPUS_SANDBOX_STATE` and `GPUS_SANDBOX_FAULTS` set speed, state file and faults, as the flags of
/// `gpus sandbox serve` do.
public final class EmbeddedSandbox: HTTPTransport {
    public struct Settings: Sendable {
        public var statePath: String
        public var options: SandboxOptions

        /// Reads the `GPUS_SANDBOX_*` variables; errors name the variable.
        public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SandboxSetupError) {
            statePath =
                environment["GPUS_SANDBOX_STATE"].flatMap { $0.isEmpty ? nil : $0 }
                ?? SandboxStore.defaultPath(environment: environment)
            var speed = SandboxOptions.embeddedSpeed
            if let text = environment["GPUS_SANDBOX_SPEED"], !text.isEmpty {
                guard let value = Double(text), value > 0 else {
                    throw .badState("GPUS_SANDBOX_SPEED must be a number greater than 0 (got '\(text)')")
                }
                speed = value
            }
            let faults = try FaultPlan(spec: environment["GPUS_SANDBOX_FAULTS"] ?? "")
            let seed = environment["GPUS_SANDBOX_SEED"].flatMap { UInt64($0) }
            options = SandboxOptions(speed: speed, faults: faults, seed: seed)
        }
    }

    struct Running: Sendable {
        let service: SandboxService
        let dispatcher: Task<Void, Never>
    }

    private let settings: Settings
    private let clock: any SandboxClock
    private let webhooks: any HTTPTransport
    private let state = Mutex<Result<Running, SandboxSetupError>?>(nil)

    /// - Parameter webhooks: how task results reach webhooks (an `AsyncHTTPClientTransport` in gpus).
    public init(settings: Settings, webhooks: any HTTPTransport, clock: any SandboxClock = SystemClock()) {
        self.settings = settings
        self.webhooks = webhooks
        self.clock = clock
    }

    deinit {
        if case .success(let running)? = state.withLock({ $0 }) { running.dispatcher.cancel() }
    }

    /// Whether the sandbox has been started by a request.
    public var isStarted: Bool { state.withLock { $0 != nil } }

    /// The running service, starting it on first use.
    public func service() throws(SandboxSetupError) -> SandboxService {
        let result = state.withLock { state -> Result<Running, SandboxSetupError> in
            if let state { return state }
            let started = Result { () throws(SandboxSetupError) -> Running in
                let store = try SandboxStore(path: settings.statePath)
                var logger = Logger(label: "gpus.sandbox")
                logger.logLevel = .error
                let service = SandboxService(store: store, clock: clock, options: settings.options, logger: logger)
                let dispatcher = WebhookDispatcher(service: service, transport: webhooks)
                return Running(service: service, dispatcher: Task { await dispatcher.run() })
            }
            state = started
            return started
        }
        return try result.get().service
    }

    public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        let service: SandboxService
        do {
            service = try self.service()
        } catch {
            throw .other("the embedded sandbox could not start: \(error)")
        }
        return try await EmbeddedTransport(service: service).send(request)
    }
}
