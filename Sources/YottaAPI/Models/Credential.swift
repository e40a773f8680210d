/// A container-registry credential. The password is never returned.
public struct Credential: Codable, Hashable, Sendable {
    public var id: ResourceID
    public var name: String
    public var type: Open<CredentialType>?
    public var createdAt: Timestamp?

    public init(id: ResourceID, name: String, type: Open<CredentialType>? = nil, createdAt: Timestamp? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.createdAt = createdAt
    }
}

/// Registry kinds.
public enum CredentialType: String, WireEnum {
    case dockerHub = "DOCKER_HUB"
    case gcr = "GCR"
    case ecr = "ECR"
    case acr = "ACR"
    case privateRegistry = "PRIVATE"
}

/// Body of `POST /v2/container-registry-auths`. `type` is optional (C1): the live spec omits it.
public struct CreateCredentialRequest: Codable, Hashable, Sendable {
    public var name: String
    public var type: Open<CredentialType>?
    public var username: String
    public var password: String

    public init(name: String, type: Open<CredentialType>? = nil, username: String, password: String) {
        self.name = name
        self.type = type
        self.username = username
        self.password = password
    }
}

/// Body of `PATCH /v2/container-registry-auths/{id}`: a partial update; `type` cannot change.
public struct UpdateCredentialRequest: Codable, Hashable, Sendable {
    public var name: String?
    public var username: String?
    public var password: String?

    public init(name: String? = nil, username: String? = nil, password: String? = nil) {
        self.name = name
        self.username = username
        self.password = password
    }
}

/// `data` of a refused credential delete (code 25002): what still uses the credential.
public struct CredentialUsage: Codable, Hashable, Sendable {
    public var podList: [JSONValue]
    public var elasticList: [JSONValue]

    public init(podList: [JSONValue], elasticList: [JSONValue]) {
        self.podList = podList
        self.elasticList = elasticList
    }
}
