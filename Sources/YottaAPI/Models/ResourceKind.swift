/// The kinds of resource a program can create, and so the kinds that bill until they are deleted.
///
/// The raw value is the name the language gives the kind's records (`VM`, `Pod`, …) and the name the
/// run ledger stores.
public enum ResourceKind: String, CaseIterable, Codable, Sendable {
    case vm = "VM"
    case pod = "Pod"
    case endpoint = "Endpoint"
    case volume = "Volume"
    case credential = "Credential"

    /// The business code the API answers for an id of this kind that does not exist (what a lookup
    /// by a name that matches nothing says too).
    public var notFoundCode: BusinessCode {
        switch self {
        case .vm: .vmNotFound
        case .pod: .podNotFound
        case .endpoint: .endpointNotFound
        case .volume, .credential: .recordNotExist
        }
    }

    /// The order in which cleanup deletes: what uses a volume or a credential goes first.
    public var cleanupRank: Int {
        switch self {
        case .endpoint: 0
        case .pod: 1
        case .vm: 2
        case .volume: 3
        case .credential: 4
        }
    }

    /// The language's namespace for the kind (`vms`, `pods`, …).
    public var namespace: String {
        switch self {
        case .vm: "vms"
        case .pod: "pods"
        case .endpoint: "endpoints"
        case .volume: "volumes"
        case .credential: "credentials"
        }
    }
}
