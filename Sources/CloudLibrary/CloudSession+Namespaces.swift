import Foundation
import Language
import YottaAPI

extension CloudSession {
    /// A built-in whose body talks to the API; client errors become catchable program errors.
    func op(
        _ name: String, _ summary: String, _ parameters: [ParameterSpec] = [],
        _ body: @escaping @Sendable (CloudSession, AsyncArguments) async throws -> Value
    ) -> Builtin {
        Builtin(
            name, summary, parameters: parameters.map(Self.described),
            body: .async { [self] arguments in
                try Self.checkShapes(arguments)
                return try await self.api { try await body(self, arguments) }
            })
    }

    /// The arguments against their parameters' shapes, before anything is sent: the same check,
    /// and the same words, as `gpus check` gives for what is literal in the program.
    static func checkShapes(_ arguments: AsyncArguments) throws {
        for (index, parameter) in arguments.builtin.parameters.enumerated() {
            guard let shape = parameter.shape, let value = arguments.values[index]?.value, !value.isNull else {
                continue
            }
            let problems = shape.problems(
                ShapedInput(value: value, at: .none), path: parameter.name, call: arguments.name,
                suggest: { Aliases.suggest($0, among: $1, scope: arguments.name) })
            if let problem = problems.first {
                // A documented limit is the API's validation, found before sending; the rest, arguments.
                throw arguments.failure(problem.message, kind: problem.kind == .value ? .validation : .argument)
            }
        }
    }

    /// A parameter with its shape, unit or allowed values (`help(vms.create)`, and the keys TAB
    /// completes inside a map literal), unless it has its own summary.
    static func described(_ parameter: ParameterSpec) -> ParameterSpec {
        guard parameter.summary.isEmpty, let summary = parameterShapes[parameter.name] else { return parameter }
        return parameter.with(summary: summary)
    }

    static let parameterShapes: [String: String] = [
        "vmTypeId": "from vms.types() (or gpus.offers()): the type in its region",
        "region": "a region code, e.g. us-east-1",
        "regions": "list of region codes, e.g. [\"us-east-1\"]",
        "isSpot": "1 or true: spot (cheaper, may be reclaimed); 0 or false: on-demand, the default",
        "volumeMountPaths": "map of volume id (as text) to mount path, e.g. {\"12\": \"/data\"}",
        "gpuType": "a GPU code, e.g. NVIDIA_RTX_4090_24G (gpus.list())",
        "gpuCount": "1, 2, 4 or 8",
        "image": "a container image, e.g. nginx:latest",
        "imageRegistry": "the registry URL (Docker Hub when not given)",
        "containerRegistryAuthId": "a credential's id, for a private image",
        "credentialId": "a credential's id, for a private image",
        "imagePublicType": "PUBLIC (default) or PRIVATE",
        "resourceType": "GPU (default) or CPU",
        "minSingleCardVramInGb": "GB of GPU memory per card, at least",
        "minSingleCardRamInGb": "GB of RAM per card, at least",
        "minSingleCardVcpu": "vCPUs per card, at least",
        "shmInGb": "GB of shared memory (/dev/shm), up to 1024",
        "containerVolumeInGb": "GB of container disk (endpoints: at least 20)",
        "persistentVolumeInGb": "GB of a new persistent volume (needs persistentMountPath)",
        "persistentMountPath": "where the persistent volume is mounted, e.g. /workspace",
        "initializationCommand": "a command run when the container starts",
        "environmentVars": "a map of string to string, e.g. {HF_HOME: \"/data\"} (or a list of {key, value})",
        "expose":
            "ports to expose: {port, protocol} (pods: a list of them, or one); port 1–65535, protocol HTTP, HTTPS, TCP or SSH",
        "persistentVolumes": "existing volumes to attach: list of {volumeId, mountPath, needBackup}",
        "serviceMode": "ALB (HTTP load balancer), QUEUE (tasks) or CUSTOM (workers only)",
        "resources": "where workers may run: list of {region, gpuType, gpuCount} (the same gpuCount in each)",
        "workers": "workers to run, 1–100",
        "webhook": "an http(s) URL results are POSTed to",
        "storageType": "S3, CEPH, VENDOR or R2",
        "sizeInGb": "GB, 1–10240 (CEPH and VENDOR; S3 and R2 are unlimited)",
        "vendorVolumeType": "NVMe or HDD (VENDOR only)",
        "status": "a status word or a list of them, e.g. running (help(Kind) lists a kind's)",
        "name": "a display name",
    ]

    // The parameters of the creates: the request models' keys and shapes (`RequestShapes`).
    static let vmCreate = RequestShapes.parameters(
        CreateVMRequest.self, .createVM, first: ["name", "vmTypeId", "region"])
    static let podCreate = RequestShapes.parameters(CreatePodRequest.self, .createPod)
    static let endpointCreate = RequestShapes.parameters(
        CreateEndpointRequest.self, .createEndpoint,
        first: ["name", "image", "serviceMode", "resources", "workers", "containerVolumeInGb"])
    static let volumeCreate = RequestShapes.parameters(CreateVolumeRequest.self, .createVolume)
    static let credentialCreate = RequestShapes.parameters(CreateCredentialRequest.self, .createCredential).map {
        $0.name == "type" ? $0.with(summary: "DOCKER_HUB, GCR, ECR, ACR or PRIVATE") : $0
    }

    /// What every create and ensure takes beyond the API's fields: how long the resource may live,
    /// and whether `--cleanup` leaves it.
    static let lifetime: [ParameterSpec] = [
        .optional(
            "ttl", .duration,
            "how long it may live (from the create): past it, its run — or, once the run is gone, gpus keeper — deletes it"
        ),
        .optional("keep", .bool, "true: --cleanup and gpus runs clean --orphans leave it (its ttl still applies)"),
    ]

    /// An ensure's parameters: the create's, and what to do when the resource found differs.
    static func ensuring(_ create: [ParameterSpec]) -> [ParameterSpec] {
        create + [
            .optional(
                "onDrift", .string,
                "when the resource found differs: \"fail\" (default), \"keep\" it, or \"replace\" it")
        ]
    }

    /// Statuses given as one value or a list.
    static func statuses(_ arguments: AsyncArguments, _ name: String = "status") -> [String] {
        switch arguments.value(name) {
        case .list(let list)?: list.items.map(Printer.text)
        case let value?: [Printer.text(value)]
        case nil: []
        }
    }

    /// `X.get`'s one parameter: an id, or the name of a live resource.
    static let idOrName = ParameterSpec(
        "id", .any, required: true, "its id (an int or a string of digits), or the name of a live one")

    static func getSummary(_ kind: String) -> String { "One \(kind) by id, or the live \(kind) with this name." }

    /// `X.get(idOrName)`: the resource with this id (an int, a string of digits, or a record's id),
    /// else the one live resource of this kind with this name. Several of that name is an error that
    /// lists their ids; none, the not-found error a missing id of the kind gets (its code: 13000 for a
    /// pod, 11000 a VM, …) that says it is not an id either. The
    /// one lookup by name: `gpus pods get NAME`, `gpus pods delete NAME` and `gpus mcp` use it too.
    func lookup<Model: CloudModel>(
        _ arguments: AsyncArguments, _ get: (ResourceID) async throws -> Model,
        live: (YottaClient) async throws -> [Model]
    ) async throws -> Value {
        let value = try arguments.required("id")
        let kind = Model.kind.rawValue
        switch value {
        case .string(let text) where text.value.isEmpty:
            // Not a path to GET (`/v2/container-registry-auths/` answered "no such path").
            throw arguments.failure("\(kind) id or name expected, got an empty string", kind: .argument)
        case .string(let text) where !text.value.isEmpty && !text.value.allSatisfy({ $0.isASCII && $0.isNumber }):
            let name = text.value
            let named = try await live(client).filter { $0.isLive && $0.givenName == name }
            if named.count > 1 {
                throw arguments.failure(
                    "several \(kind)s are named '\(name)': use an id (\(named.map(\.id.rawValue).joined(separator: ", ")))",
                    kind: .argument)
            }
            guard let found = named.first else {
                var error = arguments.failure("no live \(kind) is named '\(name)' (and it is not an id)")
                error.id = .apiError
                error.value = ErrorValue(
                    message: error.message, kind: .api, code: .int(Int64(Model.kind.notFoundCode.rawValue)),
                    details: ["operation": .string(arguments.name)],
                    origin: .apiError)
                throw error
            }
            return record(found)
        default:
            guard let id = ValueBridge.id(value) else { throw arguments.fail("id", "id or name", got: value) }
            return record(try await get(id))
        }
    }

    /// A list's `all`: what is gone shows too.
    static let all = ParameterSpec.optional(
        "all", .bool, "also what is gone: terminated, terminating, failed or being deleted")

    /// What a list shows: the live resources, or every one with `all: true` or a status asked for.
    static func shown<Model: CloudModel>(
        _ models: [Model], _ arguments: AsyncArguments, filtered: Bool = false
    ) throws -> [Model] {
        if try filtered || arguments.optionalBool("all") == true { return models }
        return models.filter(\.isLive)
    }

    var namespaceFunctions: [Builtin] {
        [
            op(
                "vms.types",
                "GPU types and the regions that offer them (vmTypeId, available); gpus.offers() shows one offer a row, with prices."
            ) { session, _ in
                session.records(try await session.client.listVMTypes(), "VMType")
            },
            op(
                "vms.list", "The live VMs, optionally only those with a status.",
                [.optional("status", .string), Self.all]
            ) { session, arguments in
                let status = try arguments.optionalString("status")
                let vms = try await session.client.allVMs(status: status).collect()
                return session.records(try Self.shown(vms, arguments, filtered: status != nil), "VM")
            },
            op("vms.get", Self.getSummary("VM"), [Self.idOrName]) { session, arguments in
                try await session.lookup(arguments, session.client.getVM) { try await $0.allVMs().collect() }
            },
            op("vms.create", "Creates a VM; take vmTypeId and region from vms.types().", Self.vmCreate + Self.lifetime)
            {
                session, arguments in
                try await session.create(CreateVMRequest.self, arguments)
            },
            op("vms.ensure", "The live VM with this name, or a new one.", Self.ensuring(Self.vmCreate + Self.lifetime))
            {
                session, arguments in
                try await session.ensure(CreateVMRequest.self, arguments)
            },
            op(
                "pods.list", "The live pods, optionally filtered by status and region.",
                [.optional("status"), .optional("region"), Self.all]
            ) { session, arguments in
                let filter = PodFilter(regions: Self.statuses(arguments, "region"), statuses: Self.statuses(arguments))
                let pods = try await session.client.listPods(filter)
                return session.records(try Self.shown(pods, arguments, filtered: !filter.statuses.isEmpty), "Pod")
            },
            op("pods.get", Self.getSummary("pod"), [Self.idOrName]) { session, arguments in
                try await session.lookup(arguments, session.client.getPod) { try await $0.listPods() }
            },
            op("pods.create", "Creates a pod.", Self.podCreate + Self.lifetime) { session, arguments in
                try await session.create(CreatePodRequest.self, arguments)
            },
            op(
                "pods.ensure", "The live pod with this name, or a new one.",
                Self.ensuring(Self.podCreate + Self.lifetime)
            ) {
                session, arguments in
                try await session.ensure(CreatePodRequest.self, arguments)
            },
            op(
                "endpoints.list", "The live endpoints, optionally only those with a status.",
                [.optional("status"), Self.all]
            ) { session, arguments in
                let statuses = Self.statuses(arguments)
                let endpoints = try await session.client.listEndpoints(statuses: statuses)
                return session.records(try Self.shown(endpoints, arguments, filtered: !statuses.isEmpty), "Endpoint")
            },
            op("endpoints.get", Self.getSummary("endpoint"), [Self.idOrName]) { session, arguments in
                try await session.lookup(arguments, session.client.getEndpoint) { try await $0.listEndpoints() }
            },
            op("endpoints.create", "Creates an elastic endpoint.", Self.endpointCreate + Self.lifetime) {
                session, arguments in
                try await session.create(CreateEndpointRequest.self, arguments)
            },
            op(
                "endpoints.ensure", "The endpoint with this name, or a new one.",
                Self.ensuring(Self.endpointCreate + Self.lifetime)
            ) { session, arguments in
                try await session.ensure(CreateEndpointRequest.self, arguments)
            },
            op(
                "volumes.list", "The live volumes, of one storage type or all.",
                [.optional("storageType", .string), .optional("region", .string), Self.all]
            ) {
                session, arguments in
                session.records(try Self.shown(try await session.allVolumes(arguments), arguments), "Volume")
            },
            op("volumes.get", Self.getSummary("volume"), [Self.idOrName]) { session, arguments in
                try await session.lookup(arguments, session.client.getVolume) { client in
                    try await StorageType.allCases.asyncFlatMap {
                        try await client.allVolumes(storageType: $0).collect()
                    }
                }
            },
            op(
                "volumes.create", "Creates a volume (S3 and R2 unlimited; CEPH and VENDOR sized).",
                Self.volumeCreate + Self.lifetime
            ) {
                session, arguments in
                try await session.create(CreateVolumeRequest.self, arguments)
            },
            op(
                "volumes.ensure", "The volume with this name, or a new one.",
                Self.ensuring(Self.volumeCreate + Self.lifetime)
            ) {
                session, arguments in
                try await session.ensure(CreateVolumeRequest.self, arguments)
            },
            op(
                "credentials.list", "Registry credentials (all: true is accepted: a credential is never gone).",
                [Self.all]
            ) {
                session, arguments in
                session.records(try Self.shown(try await session.client.listCredentials(), arguments), "Credential")
            },
            op("credentials.get", Self.getSummary("credential"), [Self.idOrName]) { session, arguments in
                try await session.lookup(arguments, session.client.getCredential) { try await $0.listCredentials() }
            },
            op(
                "credentials.create", "Creates a registry credential (the password is never shown again).",
                Self.credentialCreate + Self.lifetime
            ) {
                session, arguments in
                try await session.create(CreateCredentialRequest.self, arguments)
            },
            op(
                "credentials.ensure", "The credential with this name, or a new one.",
                Self.ensuring(Self.credentialCreate + Self.lifetime)
            ) { session, arguments in
                try await session.ensure(CreateCredentialRequest.self, arguments)
            },
            Builtin(
                "gpus.list", "The GPU type catalogue: code, display name, VRAM.",
                body: .sync { [self] _ in
                    self.records(GPUType.catalogue.filter { !$0.legacy }, "GPU")
                }),
            Builtin(
                "gpus.get", "One GPU type by code.", parameters: [ParameterSpec("code", .string)],
                body: .sync { [self] arguments in
                    let code = try arguments.string("code")
                    guard let gpu = GPUType.named(code) else {
                        let hint = GPUType.catalogue.map(\.code).first { $0.lowercased().contains(code.lowercased()) }
                        throw arguments.failure("no GPU type '\(code)'\(hint.map { "; did you mean '\($0)'?" } ?? "")")
                    }
                    return self.record(gpu, "GPU")
                }),
        ]
    }

    func allVolumes(_ arguments: AsyncArguments) async throws -> [Volume] {
        let region = try arguments.optionalString("region")
        if let text = try arguments.optionalString("storageType") {
            guard let type = Open<StorageType>(wire: text).known else {
                throw arguments.failure(
                    "bad argument 'storageType' to '\(arguments.name)' (S3, CEPH, VENDOR or R2 expected)")
            }
            return try await client.allVolumes(storageType: type, region: region).collect()
        }
        var volumes: [Volume] = []
        for type in StorageType.allCases {
            volumes += try await client.allVolumes(storageType: type, region: region).collect()
        }
        return volumes
    }
}
