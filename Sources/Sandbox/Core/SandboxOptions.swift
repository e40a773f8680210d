/// How a sandbox behaves: who may call it, how fast time runs, and what goes wrong on purpose.
public struct SandboxOptions: Sendable {
    /// Keys accepted in `X-Api-Key`; empty accepts any request (the embedded sandbox).
    public var apiKeys: Set<String>
    /// 1 is realistic (a VM boots in about a minute); larger is faster.
    public var speed: Double
    public var faults: FaultPlan
    /// Seeds fault injection; nil draws a seed from the system.
    public var seed: UInt64?
    /// Emit the guide's pod vocabulary (INITIALIZING, STOPPING, STOPPED) instead of the adopted
    /// INITIALIZE, PAUSING, PAUSED.
    public var guidePodStatuses: Bool

    public init(
        apiKeys: Set<String> = [], speed: Double = 1, faults: FaultPlan = .none, seed: UInt64? = nil,
        guidePodStatuses: Bool = false
    ) {
        self.apiKeys = apiKeys
        self.speed = speed
        self.faults = faults
        self.seed = seed
        self.guidePodStatuses = guidePodStatuses
    }

    /// The key `gpus sandbox serve` requires when none is given.
    public static let defaultServeKey = "sandbox"
    /// The embedded sandbox's default speed: a VM boots in about three seconds.
    public static let embeddedSpeed = 20.0

    public var timings: Timings { Timings.realistic.scaled(by: speed) }
}
