/// A business code of the envelope (`code`): the data model's table plus the codes seen elsewhere.
public struct BusinessCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(integerLiteral value: Int) { self.rawValue = value }

    /// What kind of failure a code reports, for callers that branch on the category.
    public enum Category: String, Sendable {
        case success, invalidRequest, notFound, invalidState, forbidden, inUse, unavailable, rateLimited
        case unauthorized, system, unknown
    }

    public static let success: BusinessCode = 10000
    public static let invalidParameters: BusinessCode = 10001
    public static let systemError: BusinessCode = 10002
    public static let recordNotExist: BusinessCode = 10007
    public static let vmNotFound: BusinessCode = 11000
    public static let vmStatusInvalid: BusinessCode = 11001
    public static let noTerminatePermission: BusinessCode = 11002
    public static let podNotExist: BusinessCode = 12000
    public static let resourceStatusInvalid: BusinessCode = 12001
    public static let podNotFound: BusinessCode = 13000
    public static let endpointNotFound: BusinessCode = 14000
    public static let createCredentialFailed: BusinessCode = 20001
    public static let serverlessUnavailable: BusinessCode = 24000
    public static let serverlessNotExist: BusinessCode = 24001
    public static let elasticActionNotAllowed: BusinessCode = 24002
    public static let taskNotExist: BusinessCode = 24011
    public static let credentialInUse: BusinessCode = 25002
    public static let tooManyRequests: BusinessCode = 429
    public static let queueValidation: BusinessCode = 40001
    public static let authenticationMissing: BusinessCode = 40101
    public static let queueTaskNotFound: BusinessCode = 40402
    public static let queueTaskCreateFailed: BusinessCode = 50001

    /// Every code this client knows, with its meaning and category.
    public static let known: [BusinessCode: (meaning: String, category: Category)] = [
        success: ("success", .success),
        invalidParameters: ("invalid request parameters", .invalidRequest),
        systemError: ("system error", .system),
        recordNotExist: ("record does not exist", .notFound),
        vmNotFound: ("VM not found", .notFound),
        vmStatusInvalid: ("VM status invalid", .invalidState),
        noTerminatePermission: ("no terminate permission", .forbidden),
        podNotExist: ("pod does not exist", .notFound),
        resourceStatusInvalid: ("resource status invalid", .invalidState),
        podNotFound: ("pod not found", .notFound),
        endpointNotFound: ("endpoint not found", .notFound),
        createCredentialFailed: ("create credential failed", .system),
        serverlessUnavailable: ("serverless unavailable", .unavailable),
        serverlessNotExist: ("serverless does not exist", .notFound),
        elasticActionNotAllowed: ("elastic action not allowed", .invalidState),
        taskNotExist: ("task does not exist", .notFound),
        credentialInUse: ("credential is in use and cannot be deleted", .inUse),
        tooManyRequests: ("too many requests", .rateLimited),
        queueValidation: ("invalid task request", .invalidRequest),
        authenticationMissing: ("authentication context not found", .unauthorized),
        queueTaskNotFound: ("task not found", .notFound),
        queueTaskCreateFailed: ("failed to create task", .system),
    ]

    public var meaning: String { Self.known[self]?.meaning ?? "unknown code" }
    public var category: Category { Self.known[self]?.category ?? .unknown }
    public var description: String { String(rawValue) }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            rawValue = value
        } else if let text = try? container.decode(String.self), let value = Int(text) {
            rawValue = value
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "code must be an integer")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
