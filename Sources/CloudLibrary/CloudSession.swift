import Foundation
import Language
import Runs
import Synchronization
import YottaAPI

/// The language's built-ins over the client: namespaces (`vms`, `pods`, `endpoints`, `volumes`,
/// `credentials`, `gpus`), resource records with methods, `ensure`, a wait hook that refreshes
/// records, and the ledger of what the session created.
public final class CloudSession: @unchecked Sendable {
    public let client: YottaClient
    /// The run this session is, in the durable ledger: what it created, and its lock for `ensure`.
    public let ledger: RunLedger
    /// What the session talks to and why, one line (the key masked).
    public let target: String
    /// The short name the REPL's prompt shows: `sandbox`, a profile's name, a host.
    public let label: String
    var types: [String: RecordType] = [:]
    /// How cleanup waits between checks (tests move a virtual clock instead).
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    /// Told when an `ensure` finds the resource it names (kind, name, id, the differences it kept
    /// or replaced): `gpus plan` shows it as "exists".
    public var onEnsureFound: (@Sendable (ResourceKind, String, String, [String]) -> Void)?
    /// How the session's own waits (a delete waiting for what holds its resource) show progress.
    public var progress: CloudWaitHook.Progress = .none
    /// Where the run's limits came from, for messages.
    let limitLabels = Mutex(LimitLabels())
    /// Whether the run's own ttl watch has started (`watchExpiries`).
    let expiryWatch = Mutex<Bool>(false)
    /// The offers' card prices, once read, or the read under way (`prices()`).
    let priceBook = Mutex<(done: Prices?, pending: Task<Prices?, Never>?)>((nil, nil))

    public init(client: YottaClient, target: String, label: String = "cloud", ledger: RunLedger) {
        self.client = client
        self.ledger = ledger
        self.target = target
        self.label = label
    }

    // MARK: - Errors

    /// A client error as an error the program can catch: `e.code`, `e.message`, `e.kind`.
    /// Without a key, a refusal for want of one says where keys come from.
    static func runtimeError(_ error: any Error, keyless: Bool = false) -> Error {
        guard let error = error as? YottaError else { return error }
        switch error {
        case .api(let apiError):
            let hint =
                keyless && apiError.httpStatus == 401
                ? "; no API key was sent: set YOTTA_API_KEY, or use --profile NAME with a profile's api_key or api_key_env (gpus config --help)"
                : ""
            return RuntimeError(
                .apiError, "\(apiError.call): \(apiError.message) (code \(apiError.code))\(hint)", at: .none,
                kind: .api,
                code: .int(Int64(apiError.code.rawValue)),
                details: [
                    "operation": .string(apiError.operation.rawValue),
                    "resourceId": apiError.resourceID.map { .string($0) } ?? .null,
                    "httpStatus": .int(Int64(apiError.httpStatus)),
                    "data": apiError.data.map(ValueBridge.value) ?? .null,
                ])
        case .validation(let validation):
            return RuntimeError(.badArgument, validation.description, at: .none, kind: .validation)
        case .transport(let failure, _) where failure == .cancelled:
            return Interrupted()
        default:
            return RuntimeError(.apiError, error.description, at: .none, kind: .transport)
        }
    }

    /// Runs a client call, turning its errors into program errors.
    func api<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.runtimeError(error, keyless: client.configuration.apiKey == nil)
        }
    }

    // MARK: - Records

    func record<Model: Encodable>(_ model: Model, _ type: String) -> Value {
        guard let recordType = types[type] else { return .null }
        return .record(Record(type: recordType, fields: ValueBridge.fields(model), fetched: Date()))
    }

    func record<Model: CloudModel>(_ model: Model) -> Value { record(model, Model.kind.rawValue) }

    func records<Model: Encodable>(_ models: [Model], _ type: String) -> Value {
        .list(ListBox(models.map { record($0, type) }))
    }

    /// The id of the receiver of a record method.
    static func receiverID(_ arguments: AsyncArguments) throws -> ResourceID {
        guard let id = ValueBridge.id(arguments.receiver.value) else {
            throw arguments.failure("'\(arguments.name)' needs a record with an id")
        }
        return id
    }

    static func field(_ arguments: AsyncArguments, _ name: String) -> Value {
        if case .record(_, let fields, _) = arguments.receiver { return fields[name]?.value ?? .null }
        return .null
    }

    static func idArgument(_ arguments: AsyncArguments, _ name: String = "id") throws -> ResourceID {
        let value = try arguments.required(name)
        guard let id = ValueBridge.id(value) else { throw arguments.fail(name, "id", got: value) }
        return id
    }

    /// Registers every built-in and record type into a language library.
    /// The namespaces `register` declares (`gpus pods list` is a command because `pods` is here; a
    /// test checks the list against the registered library).
    public static let namespaceNames = ["credentials", "endpoints", "gpus", "pods", "vms", "volumes"]

    public func register(into library: Library) {
        let definitions: [(String, String, [(name: String, summary: String)], [Builtin])] = [
            ("VM", "A virtual machine", RecordTypes.vmFields, vmMethods),
            ("Pod", "A pod", RecordTypes.podFields, podMethods),
            ("Endpoint", "An elastic (serverless) endpoint", RecordTypes.endpointFields, endpointMethods),
            ("Worker", "A worker of an endpoint", RecordTypes.workerFields, workerMethods),
            ("Task", "A task on a QUEUE endpoint", RecordTypes.taskFields, taskMethods),
            ("Volume", "A storage volume", RecordTypes.volumeFields, volumeMethods),
            ("Credential", "A container-registry credential", RecordTypes.credentialFields, credentialMethods),
            ("VMType", "A GPU type and the regions offering it", RecordTypes.vmTypeFields, []),
            ("GPU", "A GPU type of the catalogue", RecordTypes.gpuFields, []),
            (
                "Offer", "A GPU type in a region: availability and the price of one card per hour",
                RecordTypes.offerFields, []
            ),
            ("Cost", "A live resource and what it costs per hour", RecordTypes.costFields, []),
            ("WorkerLogPage", "One page of a worker's logs", RecordTypes.logFields, []),
        ]
        for type in [RecordViews.logLine, RecordViews.metric, RecordViews.series] { library.register(type) }
        for (name, summary, fields, methods) in definitions {
            let type = RecordType(
                name: name, summary: summary, fields: fields, methods: methods, columns: RecordTypes.columns[name],
                rowsOf: name == "VMType" ? "regions" : nil, identity: RecordTypes.identity[name] ?? [],
                units: RecordTypes.units)
            types[name] = type
            library.register(type)
        }
        for builtin in namespaceFunctions + priceFunctions + limitFunctions { library.register(builtin) }
        Self.declareKinds(into: library)
    }

    /// What `gpus check` may know before running: the kinds built-ins return, each kind's statuses
    /// (as the language's words), and the values of string parameters with a fixed vocabulary.
    static func declareKinds(into library: Library) {
        for kind in ResourceKind.allCases {
            let (namespace, type) = (kind.namespace, kind.rawValue)
            for one in ["get", "create", "ensure"] { library.declareResult(of: "\(namespace).\(one)", .record(type)) }
            library.declareResult(of: "\(namespace).list", .list(type))
            library.declareResult(of: "\(type).refresh", .record(type))
        }
        library.declareResult(of: "vms.types", .list("VMType"))
        library.declareResult(of: "VM.rename", .record("VM"))
        library.declareResult(of: "Volume.rename", .record("Volume"))
        library.declareResult(of: "gpus.list", .list("GPU"))
        library.declareResult(of: "gpus.get", .record("GPU"))
        library.declareResult(of: "gpus.offers", .list("Offer"))
        library.declareResult(of: "gpus.costs", .list("Cost"))
        library.declareResult(of: "Endpoint.workers", .list("Worker"))
        library.declareResult(of: "Endpoint.tasks", .list("Task"))
        library.declareResult(of: "Endpoint.task", .record("Task"))

        func words<E: CaseIterable>(_: E.Type) -> [String] { E.allCases.map { "\($0)" } }
        library.declareStatuses(words(VMStatus.self), of: "VM")
        library.declareStatuses(words(PodStatus.self), of: "Pod")
        library.declareStatuses(words(EndpointStatus.self), of: "Endpoint")
        library.declareStatuses(words(WorkerStatus.self), of: "Worker")
        library.declareStatuses(words(TaskStatus.self), of: "Task")
        library.declareStatuses(words(VolumeStatus.self), of: "Volume")

        Aliases.register(into: library)
        for (key, vocabulary) in RequestShapes.vocabularies where key != "type" {
            library.declareVocabulary(key, vocabulary.what, vocabulary.values)
        }
    }
}
