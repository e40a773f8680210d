/// How long each transition takes, in milliseconds, at speed 1 (realistic) and scaled by a speed factor.
public struct Timings: Sendable, Hashable {
    public var vmBoot: Int64 = 60_000
    public var podBoot: Int64 = 30_000
    public var podPause: Int64 = 10_000
    public var podResume: Int64 = 15_000
    public var podTerminate: Int64 = 10_000
    /// How long a pod that cannot be placed stays INITIALIZE before it is FAILED.
    public var podFailure: Int64 = 20_000
    public var workerBoot: Int64 = 45_000
    /// The gap between the boots of successive workers: they come up one by one.
    public var workerStagger: Int64 = 5_000
    public var endpointStop: Int64 = 10_000
    public var volumeCreate: Int64 = 10_000
    public var volumeResize: Int64 = 10_000
    public var volumeDelete: Int64 = 5_000
    /// From a worker picking a task up to DELIVERED, then to the result.
    public var taskDeliver: Int64 = 1_000
    public var taskRun: Int64 = 2_000
    /// Webhook retries after a failed delivery: 1, 5 and 15 minutes.
    public var webhookRetries: [Int64] = [60_000, 300_000, 900_000]
    /// How long after becoming ready a preempted spot VM is stopped.
    public var spotPreemption: Int64 = 300_000

    /// Realistic durations (a VM boots in about a minute).
    public static let realistic = Timings()

    public init() {}

    /// Every duration divided by `speed` (at least 1 ms each).
    public func scaled(by speed: Double) -> Timings {
        guard speed > 0, speed != 1 else { return self }
        func scale(_ value: Int64) -> Int64 { max(1, Int64((Double(value) / speed).rounded())) }
        var copy = self
        copy.vmBoot = scale(vmBoot)
        copy.podBoot = scale(podBoot)
        copy.podPause = scale(podPause)
        copy.podResume = scale(podResume)
        copy.podTerminate = scale(podTerminate)
        copy.podFailure = scale(podFailure)
        copy.workerBoot = scale(workerBoot)
        copy.workerStagger = scale(workerStagger)
        copy.endpointStop = scale(endpointStop)
        copy.volumeCreate = scale(volumeCreate)
        copy.volumeResize = scale(volumeResize)
        copy.volumeDelete = scale(volumeDelete)
        copy.taskDeliver = scale(taskDeliver)
        copy.taskRun = scale(taskRun)
        copy.webhookRetries = webhookRetries.map(scale)
        copy.spotPreemption = scale(spotPreemption)
        return copy
    }
}
