import Foundation
import Language
import YottaAPI

/// The named arguments of the calls that send a request body, and the shape of each: derived from
/// the request models (`ShapeProbe`), with what a model's types cannot say — the closed sets a
/// plain string takes (GPU types), the documented limits (checked with the client's own
/// `FieldChecker`, so the words are the same) and the forms the language adds (environment
/// variables as a map). `RequestShapeTests` checks each limit against the request's validation.
enum RequestShapes {
    /// The closed sets of string values, by key (at any depth).
    static let vocabularies: [String: (what: String, values: [String])] = [
        "gpuType": ("GPU type (see gpus.list())", GPUType.catalogue.map(\.code)),
        "storageType": ("storage type", StorageType.allCases.map(\.rawValue)),
        "serviceMode": ("service mode", ServiceMode.allCases.map(\.rawValue)),
        "imagePublicType": ("image visibility", ImagePublicType.allCases.map(\.rawValue)),
        "resourceType": ("resource type", ResourceType.allCases.map(\.rawValue)),
        "vendorVolumeType": ("vendor volume type", VendorVolumeType.allCases.map(\.rawValue)),
        "type": ("credential type", CredentialType.allCases.map(\.rawValue)),
    ]

    typealias Rule = @Sendable (FieldChecker, Value) throws -> Void

    /// A documented limit, checked by the client's `FieldChecker` for `operation`.
    static func limit(_ operation: APIOperation, _ rule: @escaping Rule) -> Limit {
        Limit { value in
            do {
                try rule(FieldChecker(operation), value)
                return nil
            } catch let error as ValidationError {
                return error.message
            } catch {
                return nil
            }
        }
    }

    static func int(_ value: Value) -> Int? {
        switch value {
        case .int(let number): Int(exactly: number)
        case .float(let number): Int(exactly: number)
        default: nil
        }
    }

    static func text(_ value: Value) -> String? {
        switch value {
        case .string(let text): text.value
        case .status(let word): word.value
        default: nil
        }
    }

    static func range(_ bounds: ClosedRange<Int>) -> Rule {
        { check, value in try check.range(int(value), "", bounds) }
    }

    static func length(_ bounds: ClosedRange<Int>) -> Rule {
        { check, value in try check.length(text(value), "", bounds) }
    }

    static let gpuCount: Rule = { check, value in
        if let count = int(value) { try check.gpuCount(count, "") }
    }
    static let port: Rule = { check, value in try check.port(int(value), "") }
    static let webURL: Rule = { check, value in try check.webURL(text(value), "") }
    static let resourceName: Rule = { check, value in try check.resourceName(text(value), "") }
    static let shortName: Rule = { check, value in if let name = text(value) { try check.shortName(name, "") } }
    static let volumeName: Rule = { check, value in if let name = text(value) { try check.volumeName(name, "") } }
    static let isSpot: Rule = { check, value in
        if let flag = int(value) { try check.require(flag == 0 || flag == 1, "", "must be 0 or 1 (got \(flag))") }
    }

    static let taskId: Rule = { check, value in
        guard let id = text(value) else { return }
        try check.length(id, "", 0...255)
        try check.require(
            id.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }, "",
            "may contain only letters, digits and '_' (got '\(id)')")
    }

    /// The limits every request shares, by path (`resources[].gpuCount`: in each item of the list).
    static let common: [String: Rule] = [
        "gpuCount": gpuCount, "resources[].gpuCount": gpuCount,
        "image": length(1...255), "imageRegistry": length(0...255),
        "region": length(1...64), "regions[]": length(1...64), "resources[].region": length(1...64),
        "minSingleCardVramInGb": range(0...1536), "minSingleCardRamInGb": range(0...1536),
        "minSingleCardVcpu": range(0...Bounds.vcpu), "shmInGb": range(0...Bounds.shmInGb),
        "persistentVolumeInGb": range(0...Bounds.sizeInGb),
        "expose[].port": port, "expose.port": port, "workerPort": port,
        "expose[].protocol": length(1...16), "expose.protocol": length(1...16),
        "webhook": webURL, "workers": range(1...Bounds.workers), "sizeInGb": range(1...Bounds.sizeInGb),
        "username": length(1...255), "password": length(1...255), "isSpot": isSpot,
        "taskId": taskId, "webhookAuthKey": length(0...255),
    ]

    /// What differs by request: names, and the container disk's floor.
    static let byOperation: [APIOperation: [String: Rule]] = [
        .createVM: ["name": resourceName],
        .createPod: [
            "name": resourceName, "containerVolumeInGb": range(0...Bounds.sizeInGb),
            "initializationCommand": length(0...4096),
        ],
        .createEndpoint: ["name": shortName, "containerVolumeInGb": range(20...Bounds.sizeInGb)],
        .createVolume: ["name": volumeName],
        .createCredential: ["name": shortName],
        .updateEndpoint: ["name": shortName, "containerVolumeInGb": range(20...Bounds.sizeInGb)],
        .updateCredential: ["name": shortName],
        .renameVM: ["name": resourceName],
        .renameVolume: ["name": volumeName],
        .resizeVolume: ["sizeInGb": range(1...Bounds.sizeInGb)],
    ]

    /// One parameter that is not a whole request body (`vm.rename(name)`, `vol.resize(sizeInGb)`),
    /// with the limit its operation's validation applies.
    static func parameter(_ name: String, _ leaf: Shape, _ operation: APIOperation) -> ParameterSpec {
        let rules = common.merging(byOperation[operation] ?? [:]) { _, specific in specific }
        let shape = rules[name].map { Shape.limited(leaf, limit(operation, $0)) } ?? leaf
        return ParameterSpec(name, leaf.parameterType, shape: shape)
    }

    /// Keys the language requires that the wire leaves optional (a pod's name: ledgers, ensure and
    /// cleanup find resources by it).
    static let required: Set<String> = ["name"]

    /// A request's parameters: its keys (`first`, then the other required ones, then the optional
    /// ones, each in the model's order) with their shapes.
    static func parameters<Request: Decodable>(
        _ type: Request.Type, _ operation: APIOperation, first: [String] = ["name"], allOptional: Bool = false,
        excluding: Set<String> = []
    ) -> [ParameterSpec] {
        guard case .object(var fields) = ShapeProbe.shape(of: type) else { return [] }
        fields = fields.filter { !excluding.contains($0.name) }
        // An update takes what changes: every key is optional (the rest keep their values).
        if allOptional { fields = fields.map { ShapeField($0.name, $0.shape, required: false) } }
        let rules = common.merging(byOperation[operation] ?? [:]) { _, specific in specific }
        let specs = fields.map { field in
            let shape = decorate(field.shape, key: field.name, path: field.name, rules: rules, operation: operation)
            // An id is written as a number (`vmTypeId: 101`); a string one is taken as well.
            let type = shape.parameterType == .id ? .int : shape.parameterType
            return ParameterSpec(
                field.name, type, required: field.required || (!allOptional && required.contains(field.name)),
                shape: shape)
        }
        // Positional arguments keep the order the language has always had (`name` first).
        let leading = first.compactMap { name in specs.first { $0.name == name && $0.required } }
        let rest = specs.filter { spec in !leading.contains { $0.name == spec.name } }
        return leading + rest.filter(\.required) + rest.filter { !$0.required }
    }

    /// A derived shape with the vocabularies, limits and language forms added, at every depth.
    static func decorate(
        _ shape: Shape, key: String, path: String, rules: [String: Rule], operation: APIOperation
    ) -> Shape {
        var result: Shape
        switch shape {
        case .object(let fields):
            result = .object(
                fields.map { field in
                    ShapeField(
                        field.name,
                        decorate(
                            field.shape, key: field.name, path: "\(path).\(field.name)", rules: rules,
                            operation: operation),
                        required: field.required)
                })
        case .list(let element):
            result = .list(decorate(element, key: key, path: "\(path)[]", rules: rules, operation: operation))
        case .dictionary(let value):
            result = .dictionary(decorate(value, key: key, path: "\(path)[]", rules: rules, operation: operation))
        case .string, .oneOf:
            if let vocabulary = vocabularies[key] {
                result = .oneOf(what: vocabulary.what, values: vocabulary.values)
            } else {
                result = shape
            }
        default: result = shape
        }
        if key == "expose", path == key, case .list(let element) = result {
            // A pod exposes a list of ports; one port alone (an endpoint's form) is taken as a list of one.
            result = .either([result, element])
        }
        if key == "environmentVars", path == key {
            // `{HF_HOME: "/data"}`, as well as the API's list of {key, value}.
            result = .either([.dictionary(.string), result])
        }
        if let rule = rules[path] { result = .limited(result, limit(operation, rule)) }
        if key == "isSpot", path == key {
            // The API's 0/1, or the language's boolean (`isSpot: true`).
            result = .either([result, .bool])
        }
        return result
    }
}
