/// The upper bounds this project adopts where Yotta documents none (reference section 7 leaves them
/// open). The client checks them before sending and the sandbox answers 10001 naming the field, so
/// no request can make either allocate without limit. `docs/sandbox.md` lists them.
public enum Bounds {
    /// GPUs per pod or per endpoint worker (a power of 2): one machine has at most 8.
    public static let gpuCount = 8
    /// Workers of one endpoint (create, update and scale).
    public static let workers = 100
    /// Any size in GB: container and persistent volumes, volume sizes (the documented 10240 of resize).
    public static let sizeInGb = 10240
    /// Shared memory per pod, in GB.
    public static let shmInGb = 1024
    /// vCPUs per card asked for.
    public static let vcpu = 1024
    /// Items of a list in a request: resources, regions, exposed ports, volume mounts.
    public static let listItems = 32
    /// Environment variables of a pod or endpoint, and the length of each value.
    public static let environmentVars = 128
    public static let environmentValue = 32768
    /// Headers a task forwards to its worker.
    public static let taskHeaders = 64
    /// The largest request body, in bytes.
    public static let bodyBytes = 1 << 20
    /// Items per page of any list.
    public static let pageSize = 1000
    /// The latest time a query accepts, in epoch milliseconds (9999-12-31T23:59:59.999Z).
    public static let epochMillis: Int64 = 253_402_300_799_999
}
