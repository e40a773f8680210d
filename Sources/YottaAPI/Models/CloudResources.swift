/// Resources of every kind, as the API lists them: what a plan reads from its target (the live
/// ones) and copies into its private sandbox.
public struct CloudResources: Sendable {
    public var vms: [VM] = []
    public var pods: [Pod] = []
    public var endpoints: [Endpoint] = []
    public var volumes: [Volume] = []
    public var credentials: [Credential] = []

    public init() {}

    public var count: Int { vms.count + pods.count + endpoints.count + volumes.count + credentials.count }
}
