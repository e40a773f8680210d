import Foundation
import Language

/// A built-in called as a command: `gpus pods list`, `gpus vms create --name a --vm-type-id 101
/// --region us-east-1 --wait`, `gpus pods delete NAME-OR-ID`, `gpus endpoints scale web --workers 3`.
///
/// Generated from the same declarations as the built-ins (their names, parameters and summaries):
/// `gpus NAMESPACE FUNCTION` calls a namespace function; `gpus NAMESPACE METHOD ID-OR-NAME` calls a
/// method of the namespace's record kind on the resource with that id or name. Positional words fill
/// the parameters in order; `--kebab-case VALUE` (or `--kebab-case=VALUE`) names one. A value that
/// reads as a literal of the language (`101`, `2.5`, `5m`, `true`, `[1, 2]`, `{A: "1"}`, `"quoted"`) is
/// that value — except for a parameter declared as a string, which takes the text as it is; any other
/// text is a string. The call becomes statements built from those values (`Syntax`; never program
/// text), so it runs like a program: against the same target, in the run ledger, with the same
/// checks, errors and exit codes.
public struct OneLiner: Sendable {
    /// What to tell the user instead of running: help text (exit 0) or a usage error (exit 64).
    public enum Problem: Error, Equatable {
        case help(String)
        case usage(String)
    }

    /// `gpus pods list`: what diagnostics call the program.
    public let name: String
    /// The program: the call, built from the words' values.
    public let statements: [Stmt]

    /// The program to run, named after the command (its errors say `gpus pods get: error: …`).
    public var script: ScriptRunner.Script { .built(statements, SourceFile(name: name, text: "")) }

    /// What the program reads as, typed (`pods.create(name: "a", gpuCount: 1)`).
    public var code: String { CodeText.text(statements) }

    /// The record kind of a namespace's resources (`Pod` for `pods`): what `get` returns.
    public static func kind(of namespace: String, library: Library) -> String? {
        if case .record(let name)? = library.resultKinds["\(namespace).get"] { return name }
        return nil
    }

    /// The record kind a command's result holds (`Pod` for `gpus pods list` and `gpus pods get w1`),
    /// when the declarations say.
    public static func resultKind(namespace: String, words: [String], library: Library) -> String? {
        guard let command = words.first else { return nil }
        let name =
            library.namespaces[namespace]?[command] != nil
            ? "\(namespace).\(command)" : kind(of: namespace, library: library).map { "\($0).\(command)" }
        switch name.flatMap({ library.resultKinds[$0] }) {
        case .record(let kind)?, .list(let kind)?: return kind
        case nil: return nil
        }
    }

    /// The namespaces that can be called as commands.
    public static func namespaces(_ library: Library) -> [String] { library.namespaces.keys.sorted() }

    /// What a method's `--wait` waits for: the status it leads to.
    static let settles = ["stop": "stopped", "start": "running", "pause": "paused", "resume": "running"]

    /// `--timeout` in milliseconds: `90s`, `10m`, `1h30m` (a bare number is seconds).
    static func duration(_ text: String) throws(Problem) -> Int64 {
        // Read as the language reads a duration literal (`90s`, `1h30m`, `250ms`): one syntax, the
        // lexer's; a bare number is seconds, as `sleep` and `timeout` flags elsewhere take it.
        let milliseconds: Int64? =
            switch literal(text, type: nil) {
            case .duration(let value, _): value
            case .int(let seconds, _) where seconds < 1_000_000_000: seconds * 1000
            default: nil
            }
        guard let milliseconds, milliseconds >= 0, milliseconds < 1_000_000_000_000 else {
            throw .usage("--timeout takes a duration: 90s, 10m, 1h30m (got '\(text)')")
        }
        return milliseconds
    }

    public static func translate(
        namespace: String, words: [String], wait: Bool = false, timeout: String? = nil, json: Bool = false,
        library: Library
    ) throws(Problem) -> OneLiner {
        if timeout != nil, !wait { throw .usage("--timeout bounds a --wait: add --wait") }
        let limit = try timeout.map { text throws(Problem) in Expr.duration(try duration(text), .none) }
        guard let functions = library.namespaces[namespace] else {
            throw .usage("'\(namespace)' is not a namespace (\(namespaces(library).joined(separator: ", ")))")
        }
        let kind = kind(of: namespace, library: library)
        let methods = kind.flatMap { library.methods[$0] } ?? [:]
        guard var command = words.first, !["help", "--help", "-h"].contains(command) else {
            throw .help(help(namespace: namespace, library: library))
        }
        // `gpus vms delete a`: every other kind deletes; a VM is terminated (as `vms_delete` in
        // gpus mcp).
        if command == "delete", methods["delete"] == nil, methods["terminate"] != nil { command = "terminate" }
        let name = "gpus \(namespace) \(command)"
        let rest = Array(words.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            guard let builtin = functions[command] ?? methods[command] else {
                throw .help(help(namespace: namespace, library: library))
            }
            throw .help(help(builtin, namespace: namespace, isMethod: functions[command] == nil))
        }
        var (positional, named) = try split(rest)
        if namespace == "endpoints", command == "logs" {
            return try logs(positional, named, wait: wait)
        }
        // `delete --force`: delete already stops what must be stopped first (an endpoint) and waits
        // for what holds a volume or credential to go; the flag is taken for scripts from tools
        // that require it.
        if command == "delete" { named.removeAll { $0.0 == "force" && $0.1 == "true" } }
        let resource = Syntax.variable("resource")
        // `gpus pods get w1`: one resource by id or name.
        if command == "get", kind != nil, named.isEmpty, positional.count == 1 {
            return OneLiner(
                name: name, statements: [lookup(positional[0], namespace: namespace), .expression(resource)])
        }
        if let builtin = functions[command] {
            // `gpus vms create --offer NVIDIA_H100_80G[/us-east-1]`: the cheapest available offer's
            // vmTypeId and region (from a price to a VM in one line).
            var prelude: [Stmt] = []
            var offered: [(label: String?, value: Expr)] = []
            if namespace == "vms", ["create", "ensure"].contains(command),
                let index = named.firstIndex(where: { $0.0 == "offer" })
            {
                (prelude, offered) = try offer(named.remove(at: index).1, named: named)
            }
            let given = try arguments(
                positional, named, for: builtin, command: "\(namespace) \(command)",
                supplied: offered.isEmpty ? [] : ["vmTypeId", "region"])
            let call = Syntax.call("\(namespace).\(command)", given + offered)
            guard wait else { return OneLiner(name: name, statements: prelude + [.expression(call)]) }
            guard case .record(let resultKind)? = library.resultKinds[builtin.name],
                let ready = readyState(of: resultKind, library: library)
            else { throw .usage("--wait: '\(namespace) \(command)' does not make a resource to wait for") }
            // Named after its kind, as a person would write it: a timeout says `'pod.status ==
            // running' (pod = w1 is INITIALIZE)`.
            let subject = variableName(of: resultKind)
            return OneLiner(
                name: name,
                statements: prelude + [
                    Syntax.declare(subject, call), Syntax.wait(until: subject, is: ready, timeout: limit),
                    .expression(Syntax.variable(subject)),
                ])
        }
        guard let kind, let method = methods[command], !library.isPropertyName(command, of: kind) else {
            let candidates = Array(functions.keys) + methods.keys.filter { !library.isPropertyName($0, of: kind) }
            // Names from other tools first (`destroy` is `delete`), then the closest spelling.
            let hint =
                library.suggest(command, among: candidates, scope: kind ?? namespace).map { "; did you mean '\($0)'?" }
                ?? ""
            throw .usage(
                "'\(namespace)' has no command '\(command)'\(hint) (see 'gpus \(namespace) help')")
        }
        guard let target = positional.first else {
            throw .usage("'\(namespace) \(command)' needs the id or name of the \(kind) first")
        }
        let settled = settles[command].flatMap { status in
            (library.statuses[kind] ?? []).contains(status) ? status : nil
        }
        if wait, settled == nil {
            throw .usage(
                "--wait is for commands that create a resource or change its state ('\(namespace) create'"
                    + (settles.keys.sorted().filter { methods[$0] != nil }.map { ", '\(namespace) \($0)'" }.joined())
                    + ")")
        }
        let given = try arguments(
            Array(positional.dropFirst()), named, for: method, command: "\(namespace) \(command)")
        // What a method that returns nothing prints: what it did (`delete: Pod w1 (915…)`), or with
        // --json the resource as it was.
        let outcome = Syntax.statements(
            SourceFile(
                name: name,
                text: json
                    ? "fn outcome(result) {\n  if result == null { return resource }\n  return result\n}"
                    : """
                    fn outcome(result) {
                      if result == null { return _done + str(resource.name or resource.id) + " (" + str(resource.id) + ")" }
                      return result
                    }
                    """))
        var statements = [
            lookup(target, namespace: namespace), Syntax.declare("_done", Syntax.string("\(command): \(kind) ")),
        ]
        statements += outcome
        statements.append(Syntax.declare("result", Syntax.call(Syntax.member(resource, command), given)))
        if wait, let settled {
            let subject = variableName(of: kind)
            statements.append(Syntax.declare(subject, resource))
            statements.append(Syntax.wait(until: subject, is: settled, timeout: limit))
        }
        statements.append(.expression(Syntax.call("outcome", [(nil, Syntax.variable("result"))])))
        return OneLiner(name: name, statements: statements)
    }

    /// `--offer GPU_TYPE[/REGION]`: statements that find the cheapest available VM offer of the type
    /// (in the region), and the arguments it gives a VM create.
    static func offer(
        _ spec: String, named: [(String, String)]
    ) throws(Problem) -> (
        prelude: [Stmt], arguments: [(label: String?, value: Expr)]
    ) {
        if named.contains(where: { ["vmTypeId", "region"].contains($0.0) }) {
            throw .usage("--offer gives the VM type and the region: not with --vm-type-id or --region")
        }
        let parts = spec.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard spec != "true", (1...2).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw .usage("--offer takes a GPU type, and a region after a slash: --offer NVIDIA_H100_80G/us-east-1")
        }
        var search: [(label: String?, value: Expr)] = [("gpuType", Syntax.string(parts[0]))]
        if parts.count == 2 { search.append(("regions", .list(elements: [Syntax.string(parts[1])], .none))) }
        search += [("available", .bool(true, .none)), ("sort", Syntax.string("price"))]
        let missing = "no available VM offer of \(spec) ('gpus gpus offers --gpu-type \(parts[0])' lists the offers)"
        let prelude =
            [
                Syntax.declare("_offers", Syntax.call("gpus.offers", search)),
                Syntax.declare("_missing", Syntax.string(missing)),
            ]
            + Syntax.statements(
                SourceFile(
                    name: "gpus vms create",
                    text: """
                        let offers = _offers.filter(o -> o.vmTypeId != null)
                        if len(offers) == 0 { throw _missing }
                        let offer = offers[0]
                        """))
        let offer = Syntax.variable("offer")
        return (prelude, [("vmTypeId", Syntax.member(offer, "vmTypeId")), ("region", Syntax.member(offer, "region"))])
    }

    /// `gpus endpoints logs NAME [--worker ID] [--follow]`: the log lines of the endpoint's workers
    /// (each prefixed with its worker's id when there are several); with `--follow`, new lines as
    /// they come, every 2 s, until Ctrl-C.
    static func logs(_ positional: [String], _ named: [(String, String)], wait: Bool) throws(Problem) -> OneLiner {
        guard positional.count == 1, let target = positional.first else {
            throw .usage(
                "'endpoints logs' takes the endpoint's id or name: gpus endpoints logs web [--worker ID] [--follow]")
        }
        if wait { throw .usage("--wait is for commands that create a resource or change its state") }
        var worker: String?
        var follow = false
        for (flag, value) in named {
            switch (flag, value) {
            case ("worker", let id) where id != "true": worker = id
            case ("follow", "true"): follow = true
            default:
                let hint = suggestion(for: flag, among: ["worker", "follow"]).map { "; did you mean --\($0)?" } ?? ""
                throw .usage("'endpoints logs' has no flag --\(kebabCase(flag))\(hint) (--worker ID, --follow)")
            }
        }
        let bindings = [
            lookup(target, namespace: "endpoints"),
            Syntax.declare("_worker", worker.map(Syntax.string) ?? .null(.none)),
            Syntax.declare("_follow", .bool(follow, .none)),
            Syntax.declare("_missing", Syntax.string("endpoint \(target) has no worker \(worker ?? "")")),
        ]
        return OneLiner(name: "gpus endpoints logs", statements: bindings + Syntax.statements(logsProgram))
    }

    /// What `gpus endpoints logs` runs, after `resource`, `_worker`, `_follow` and `_missing` are
    /// declared: the host's own code, with nothing typed in it.
    static let logsProgram = SourceFile(
        name: "gpus endpoints logs",
        text: """
            let newest = {}
            fn show(workers) {
              for w in workers {
                let key = str(w.workerId)
                let since = null
                if key in newest { since = newest[key] }
                for line in w.logs(startTime: since) {
                  if since == null or line.timestamp > since {
                    if len(workers) > 1 { print("[" + key + "] " + str(line)) } else { print(line) }
                  }
                  if not (key in newest) or line.timestamp > newest[key] { newest[key] = line.timestamp }
                }
              }
            }
            fn chosen(workers) {
              if _worker == null { return workers }
              return workers.filter(w -> str(w.workerId) == _worker)
            }
            let workers = chosen(resource.workers())
            if _worker != null and len(workers) == 0 { throw _missing }
            show(workers)
            while _follow {
              sleep(2s)
              show(chosen(resource.workers()))
            }
            """)

    /// `let resource = NAMESPACE.get(ID-OR-NAME)`: `get` takes an id or the name of a live resource
    /// (CloudLibrary's one lookup by name).
    static func lookup(_ target: String, namespace: String) -> Stmt {
        let key = Int64(target).flatMap { $0 >= 0 ? Expr.int($0, .none) : nil } ?? Syntax.string(target)
        return Syntax.declare("resource", Syntax.call("\(namespace).get", [(nil, key)]))
    }

    /// What a program calls a resource of `kind`: `pod`, `vm`, `endpoint`, `volume`.
    static func variableName(of kind: String) -> String {
        kind == kind.uppercased() ? kind.lowercased() : kind.prefix(1).lowercased() + kind.dropFirst()
    }

    /// The status a created resource of this kind is waited for with `--wait`.
    public static func readyState(of kind: String, library: Library) -> String? {
        let statuses = Set((library.statuses[kind] ?? []).map { $0.lowercased() })
        return ["running", "active"].first { statuses.contains($0) }
    }
}

extension Library {
    /// Whether `name` is a zero-argument method of a record kind read as a field.
    public func isPropertyName(_ name: String, of kind: String?) -> Bool {
        guard let kind else { return false }
        return properties[kind]?.contains(name) ?? false
    }
}
