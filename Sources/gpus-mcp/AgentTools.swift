import CloudLibrary
import Commands
import Console
import Language
import MCP

/// MCP's JSON value (the language has its own `Value`).
typealias JSONValue = MCP.Value

/// One tool `gpus mcp` offers an agent: its name, what it does, its parameters — the built-in's own
/// declaration where it calls one, so its JSON schema, `help()`, completion and `gpus check` agree —
/// and what it runs.
struct AgentTool: Sendable {
    enum Action: Sendable {
        /// A namespace's function (`pods.create`); with `waits`, a `wait` parameter waits for the
        /// resource to be ready.
        case function(String, waits: String?)
        /// A method of the resource named by the `id` argument (`pods.get(id).delete()`).
        case method(namespace: String, method: String)
        /// `wait until resource.status == status`, with progress notifications.
        case wait(namespace: String)
        case eval, runRecipe, check, plan, runs, runsClean
    }

    let name: String
    let description: String
    /// The parameters, in order: what the schema is made of and what arguments are checked against.
    let parameters: [ParameterSpec]
    let action: Action
    let annotations: Tool.Annotations
    /// The built-in whose declaration the tool's parameters come from (a test compares them).
    let builtin: String?

    /// Whether the tool changes nothing anywhere (what `--read-only` keeps).
    var readOnly: Bool { annotations.readOnlyHint == true }

    var tool: Tool {
        Tool(
            name: name, description: description, inputSchema: AgentSchema.object(parameters),
            annotations: annotations)
    }
}

/// The tools, generated from the library's declarations: per kind of resource its namespace's
/// functions (`pods_list`, `pods_get`, `pods_create`, `pods_ensure`), its methods on a resource by
/// id or name (`pods_delete`, `pods_pause`, `endpoints_scale`, …) and `pods_wait`; the price list
/// (`offers`, `costs`, `gpus_list`); and the language, the ledger and the checks (`eval`,
/// `run_recipe`, `check`, `plan`, `runs`, `runs_clean`).
enum AgentTools {
    /// The namespaces whose resources the tools manage.
    static let kinds = ["credentials", "endpoints", "pods", "vms", "volumes"]

    /// Methods that only read.
    static let reading: Set<String> = [
        "list", "get", "types", "offers", "costs", "task", "tasks", "taskCount", "workers", "metrics", "logs",
    ]

    static func annotations(_ action: String, title: String) -> Tool.Annotations {
        if reading.contains(action) { return .init(title: title, readOnlyHint: true, openWorldHint: true) }
        switch action {
        case "create", "submit":
            return .init(title: title, readOnlyHint: false, destructiveHint: false, idempotentHint: false)
        case "ensure", "resume", "start":
            return .init(title: title, readOnlyHint: false, destructiveHint: false, idempotentHint: true)
        default:  // delete, terminate, pause, stop, scale, update, rename, resize
            return .init(title: title, readOnlyHint: false, destructiveHint: true, idempotentHint: true)
        }
    }

    static let idParameter = ParameterSpec(
        "id", .id, required: true, "the resource's id, or the name of a live one")
    static let waitParameter = ParameterSpec.optional(
        "wait", .bool, "true: wait until it is ready (running or active) before answering, with progress notifications"
    )
    static let timeoutParameter = ParameterSpec.optional(
        "timeout", .duration, "how long a wait may take, e.g. 10m (default 10m)")

    static func all(_ library: Library) -> [AgentTool] {
        var tools = languageTools
        for namespace in kinds {
            let functions = library.namespaces[namespace] ?? [:]
            let kind = OneLiner.kind(of: namespace, library: library)
            for name in functions.keys.sorted() {
                guard let builtin = functions[name] else { continue }
                var parameters = builtin.parameters.filter { $0.type != .function }
                var waits: String?
                if ["create", "ensure"].contains(name), let kind,
                    let ready = OneLiner.readyState(of: kind, library: library)
                {
                    parameters += [waitParameter, timeoutParameter]
                    waits = ready
                }
                tools.append(
                    AgentTool(
                        name: "\(namespace)_\(name)", description: builtin.summary + rules(of: name),
                        parameters: parameters, action: .function(builtin.name, waits: waits),
                        annotations: annotations(name, title: "\(namespace).\(name)"), builtin: builtin.name))
            }
            guard let kind else { continue }
            let methods = library.methods[kind] ?? [:]
            for name in methods.keys.sorted() where name != "refresh" && !library.isPropertyName(name, of: kind) {
                guard let method = methods[name] else { continue }
                let tool = AgentTool(
                    name: "\(namespace)_\(name)", description: "\(method.summary) The \(kind) is named by id or name.",
                    parameters: [idParameter] + method.parameters.filter { $0.type != .function },
                    action: .method(namespace: namespace, method: name),
                    annotations: annotations(name, title: "\(kind).\(name)"), builtin: method.name)
                tools.append(tool)
                // A VM is terminated; `vms_delete` is the name every other kind uses.
                if name == "terminate", methods["delete"] == nil {
                    tools.append(
                        AgentTool(
                            name: "\(namespace)_delete", description: tool.description, parameters: tool.parameters,
                            action: tool.action, annotations: tool.annotations, builtin: tool.builtin))
                }
            }
            let statuses = library.statuses[kind] ?? []
            tools.append(
                AgentTool(
                    name: "\(namespace)_wait",
                    description:
                        "Waits until the \(kind) is in a status (\(statuses.joined(separator: ", "))), sending progress notifications; ends early, with an error, when it reaches a state it will not leave by itself (failed, terminated).",
                    parameters: [
                        idParameter,
                        ParameterSpec(
                            "status", .string, required: true, "the status to wait for",
                            shape: .oneOf(what: "\(kind) status", values: statuses)),
                        timeoutParameter,
                    ], action: .wait(namespace: namespace),
                    annotations: .init(title: "wait until \(kind).status", readOnlyHint: true, openWorldHint: true),
                    builtin: nil))
        }
        let gpus = library.namespaces["gpus"] ?? [:]
        for (name, tool) in [("offers", "offers"), ("costs", "costs"), ("list", "gpus_list"), ("get", "gpus_get")] {
            guard let builtin = gpus[name] else { continue }
            tools.append(
                AgentTool(
                    name: tool, description: builtin.summary, parameters: builtin.parameters,
                    action: .function(builtin.name, waits: nil),
                    annotations: annotations(
                        name == "list" ? "list" : name == "get" ? "get" : name, title: builtin.name),
                    builtin: builtin.name))
        }
        return tools
    }

    /// What a create or ensure promises an agent.
    static func rules(of function: String) -> String {
        switch function {
        case "create":
            " Recorded in this session's run: deleted when the session ends (the client disconnects) unless keep: true; a failed create is never retried twice."
        case "ensure": " Idempotent: finds the live one of this name before creating."
        default: ""
        }
    }

    static let source = ParameterSpec.optional("source", .string, "the program's text (or give file)")
    static let file = ParameterSpec.optional("file", .string, "a .gpus file to read (or give source)")
    static let args = ParameterSpec(
        "args", .list, required: false, "the program's 'args' (strings)", shape: .list(.string))

    static let languageTools: [AgentTool] = [
        AgentTool(
            name: "eval",
            description:
                "Runs code of the gpus language in this session, as the REPL does: variables persist between calls; the value of a last bare expression is the result; what it prints is returned too. Everything it creates is recorded in the session's run and deleted when the session ends (unless keep: true). Read the gpus://docs/language resource first.",
            parameters: [ParameterSpec("code", .string, required: true, "one or more statements")],
            action: .eval,
            annotations: .init(
                title: "gpus language", readOnlyHint: false, destructiveHint: true, idempotentHint: false),
            builtin: nil),
        AgentTool(
            name: "run_recipe",
            description:
                "Runs a whole .gpus program (source text or a file) in a fresh scope of this session's run: its defers run when it ends; with cleanup: true what it created is deleted afterwards (whatever the outcome), else when the session ends. Bounded by max_duration and max_cost as gpus run --max-duration/--max-cost.",
            parameters: [
                source, file, args,
                .optional("max_duration", .duration, "stop it (defers, then cleanup) past this, e.g. 30m"),
                .optional("max_cost", .number, "stop it once what it created has cost this many US$"),
                .optional("cleanup", .bool, "true: delete what it created when it ends"),
            ], action: .runRecipe,
            annotations: .init(
                title: "run a recipe", readOnlyHint: false, destructiveHint: true, idempotentHint: false),
            builtin: nil),
        AgentTool(
            name: "check",
            description:
                "Checks a program without running it (gpus check): syntax, names, arguments and their shapes, GPU types, statuses. Each finding with line and column.",
            parameters: [source, file], action: .check,
            annotations: .init(title: "gpus check", readOnlyHint: true, openWorldHint: false), builtin: nil),
        AgentTool(
            name: "plan",
            description:
                "What a program would create, change and delete on the target, and what it would cost per hour (gpus plan): it runs against a private copy, in simulated time; nothing on the target is changed.",
            parameters: [source, file, args], action: .plan,
            annotations: .init(title: "gpus plan", readOnlyHint: true, openWorldHint: true), builtin: nil),
        AgentTool(
            name: "runs",
            description:
                "The runs of the ledger (this session is one), newest first, with what each left live and its state (running, finished, failed, crashed).",
            parameters: [.optional("limit", .int, "how many runs (default 20)")], action: .runs,
            annotations: .init(title: "gpus runs", readOnlyHint: true, openWorldHint: false), builtin: nil),
        AgentTool(
            name: "runs_clean",
            description:
                "Deletes what runs left live (gpus runs clean): the runs named, or with orphans: true every crashed or failed run's. A running run is never touched.",
            parameters: [
                ParameterSpec("runs", .list, required: false, "run ids (or unique prefixes)", shape: .list(.string)),
                .optional("orphans", .bool, "true: every crashed or failed run"),
            ], action: .runsClean,
            annotations: .init(
                title: "gpus runs clean", readOnlyHint: false, destructiveHint: true, idempotentHint: true),
            builtin: nil),
    ]
}

/// JSON schemas for parameters, from their declared shapes (or their type words).
enum AgentSchema {
    static func object(_ parameters: [ParameterSpec]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for parameter in parameters { properties[parameter.name] = schema(parameter) }
        let required = parameters.filter(\.required).map { JSONValue.string($0.name) }
        var object: [String: JSONValue] = [
            "type": "object", "properties": .object(properties), "additionalProperties": false,
        ]
        if !required.isEmpty { object["required"] = .array(required) }
        return .object(object)
    }

    static func schema(_ parameter: ParameterSpec) -> JSONValue {
        guard case .object(var schema) = parameter.shape.map(schema) ?? schema(type: parameter.type) else {
            return .object([:])
        }
        if !parameter.summary.isEmpty { schema["description"] = .string(parameter.summary) }
        return .object(schema)
    }

    static func schema(_ shape: Shape) -> JSONValue {
        switch shape {
        case .any, .function: .object([:])
        case .bool: ["type": "boolean"]
        case .int: ["type": "integer"]
        case .number: ["type": "number"]
        case .string: ["type": "string"]
        case .id, .time, .duration: schema(type: shape.parameterType)
        case .oneOf(let what, let values):
            .object(["type": "string", "enum": .array(values.map { .string($0) }), "description": .string(what)])
        case .list(let element): ["type": "array", "items": schema(element)]
        case .object(let fields):
            .object([
                "type": "object",
                "properties": .object(
                    Dictionary(fields.map { ($0.name, schema($0.shape)) }, uniquingKeysWith: { a, _ in a })),
                "required": .array(fields.filter(\.required).map { .string($0.name) }),
                "additionalProperties": false,
            ])
        case .dictionary(let value): ["type": "object", "additionalProperties": schema(value)]
        case .either(let shapes): ["anyOf": .array(shapes.map(schema))]
        case .limited(let shape, _): schema(shape)
        }
    }

    /// A parameter declared only by its type word.
    static func schema(type: ParameterType) -> JSONValue {
        switch type {
        case .int: ["type": "integer"]
        case .number: ["type": "number"]
        case .string: ["type": "string"]
        case .bool: ["type": "boolean"]
        case .list: ["type": "array"]
        case .map: ["type": "object"]
        case .id, .stringOrInt: ["type": ["integer", "string"]]
        case .duration:
            ["type": ["string", "number"], "description": "a duration: 90s, 5m, 2h, 1h30m, or seconds as a number"]
        case .time: ["type": "string", "description": "a time, ISO 8601 (2026-12-07T09:00:00Z)"]
        case .any, .function: .object([:])
        }
    }
}
