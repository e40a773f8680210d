/// Everything that can go wrong with a call, with transport, HTTP status, envelope code, decoding and
/// client-side validation kept apart.
public enum YottaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A documented constraint failed before anything was sent.
    case validation(ValidationError)
    /// The request did not get a response: connection refused or reset, timeout, TLS.
    case transport(TransportFailure, call: CallContext)
    /// A non-2xx status without a readable envelope.
    case httpStatus(Int, body: String, call: CallContext)
    /// The envelope's `code` is not 10000.
    case api(APIError)
    /// A 2xx response whose body could not be read as the operation's result.
    case decoding(String, call: CallContext)
    /// The client's configuration cannot be used (a bad base URL, plain HTTP to a remote host).
    case configuration(String)

    public var description: String {
        switch self {
        case .validation(let error): error.description
        case .transport(let failure, let call): "\(call): \(failure)"
        case .httpStatus(let status, let body, let call):
            "\(call): HTTP \(status)" + (body.isEmpty ? "" : ": \(body.prefix(200))")
        case .api(let error): error.description
        case .decoding(let message, let call): "\(call): unreadable response: \(message)"
        case .configuration(let message): message
        }
    }

    /// The business code, when the server sent one.
    public var code: BusinessCode? {
        if case .api(let error) = self { return error.code }
        return nil
    }
}

/// Which call failed: the operation and the resource it addressed.
public struct CallContext: Hashable, Sendable, CustomStringConvertible {
    public var operation: APIOperation
    public var resourceID: String?

    public init(operation: APIOperation, resourceID: String? = nil) {
        self.operation = operation
        self.resourceID = resourceID
    }

    public var description: String {
        resourceID.map { "\(operation.rawValue) \($0)" } ?? operation.rawValue
    }
}

/// An error envelope: `{message, code, data}` with a code other than 10000.
public struct APIError: Hashable, Sendable, CustomStringConvertible {
    public var httpStatus: Int
    public var code: BusinessCode
    public var message: String
    public var call: CallContext
    /// The envelope's `data`, when the error carries some (25002 lists what uses a credential).
    public var data: JSONValue?

    public init(httpStatus: Int, code: BusinessCode, message: String, call: CallContext, data: JSONValue? = nil) {
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.call = call
        self.data = data
    }

    public var operation: APIOperation { call.operation }
    public var resourceID: String? { call.resourceID }

    /// For 25002: the pods and endpoints that still use the credential.
    public var credentialUsage: CredentialUsage? {
        guard code == .credentialInUse, case .object(let fields)? = data else { return nil }
        func list(_ key: String) -> [JSONValue] {
            if case .array(let items)? = fields[key] { return items }
            return []
        }
        return CredentialUsage(podList: list("podList"), elasticList: list("elasticList"))
    }

    public var description: String {
        "\(call): \(message.isEmpty ? code.meaning : message) (code \(code), HTTP \(httpStatus))"
    }
}

/// Why a request got no response.
public enum TransportFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The connection could not be made: nothing was sent.
    case connectFailed(String)
    /// The connection broke after the request may have been sent.
    case connectionLost(String)
    /// No response within the request timeout.
    case timedOut
    case cancelled
    case other(String)

    public var description: String {
        switch self {
        case .connectFailed(let reason): "could not connect: \(reason)"
        case .connectionLost(let reason): "connection lost: \(reason)"
        case .timedOut: "timed out waiting for a response"
        case .cancelled: "cancelled"
        case .other(let reason): reason
        }
    }

    /// Whether the request certainly never reached the server.
    public var requestNeverSent: Bool {
        if case .connectFailed = self { return true }
        return false
    }
}

/// A documented constraint a request breaks, found before sending.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var operation: APIOperation
    /// The field, with the path into nested values: `resources[0].gpuCount`.
    public var field: String
    public var message: String

    public init(operation: APIOperation, field: String, message: String) {
        self.operation = operation
        self.field = field
        self.message = message
    }

    public var description: String { "\(operation.rawValue): invalid '\(field)': \(message)" }
}
