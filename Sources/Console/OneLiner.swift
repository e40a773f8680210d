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
        let units: [Character: Int64] = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
        let problem = Problem.usage("--timeout takes a duration: 90s, 10m, 1h30m (got '\(text)')")
        var total: Int64 = 0
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let count = Int64(digits), count < 1_000_000_000 {
                total += count * unit
                digits = ""
            } else {
                throw problem
            }
        }
        if !digits.isEmpty {
            guard let seconds = Int64(digits), seconds < 1_000_000_000 else { throw problem }
            total += seconds * 1000
        }
        guard !text.isEmpty, total < 1_000_000_000 * 1000 else { throw problem }
        return total
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
            return OneLiner(
                name: name,
                statements: prelude + [
                    Syntax.declare("resource", call), Syntax.wait(until: "resource", is: ready, timeout: limit),
                    .expression(resource),
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
        if wait, let settled { statements.append(Syntax.wait(until: "resource", is: settled, timeout: limit)) }
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

    /// The words after the command: positional values, and `--name value` pairs (a flag with no value
    /// before the next flag or the end is `true`).
    static func split(_ words: [String]) throws(Problem) -> (positional: [String], named: [(String, String)]) {
        var positional: [String] = []
        var named: [(String, String)] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                positional.append(word)
                continue
            }
            var flag = String(word.dropFirst(2))
            var value = "true"
            if let equals = flag.firstIndex(of: "=") {
                value = String(flag[flag.index(after: equals)...])
                flag = String(flag[..<equals])
            } else if index < words.count, !words[index].hasPrefix("--") {
                value = words[index]
                index += 1
            }
            named.append((camelCase(flag), value))
        }
        return (positional, named)
    }

    /// `vm-type-id` → `vmTypeId`; a name already in camel case stays as it is.
    public static func camelCase(_ flag: String) -> String {
        let parts = flag.split(separator: "-", omittingEmptySubsequences: true)
        guard let first = parts.first else { return flag }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    public static func kebabCase(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase {
                text += "-" + character.lowercased()
            } else {
                text.append(character)
            }
        }
    }

    /// The call's arguments: positional values in parameter order, then the named ones.
    ///
    /// Flags follow the conventions of gh, kubectl and docker: a map is given as repeatable `K=V`
    /// (`--environment-vars A=1 --environment-vars B=2`, or docker's `--env`, and `--env-file FILE`
    /// of `K=V` lines), a list as a repeated flag (`--regions a --regions b`), a boolean or a 0/1 int
    /// as a bare flag (`--keep`, `--is-spot`) or its `--no-` form.
    /// `supplied`: parameters the command gives otherwise (`--offer` gives `vmTypeId` and `region`).
    static func arguments(
        _ positional: [String], _ named: [(String, String)], for builtin: Builtin, command: String,
        supplied: Set<String> = []
    )
        throws(Problem) -> [(label: String?, value: Expr)]
    {
        let parameters = builtin.parameters
        guard positional.count <= parameters.count || builtin.variadic else {
            throw .usage(
                "'\(command)' takes \(parameters.count) value\(parameters.count == 1 ? "" : "s") without a flag, got \(positional.count) (\(positional.joined(separator: " ")))"
            )
        }
        var parts: [(label: String?, value: Expr)] = []
        var given = Set<String>()
        for (index, word) in positional.enumerated() {
            let parameter = index < parameters.count ? parameters[index] : nil
            parts.append((nil, literal(word, type: parameter?.type)))
            if let parameter { given.insert(parameter.name) }
        }
        /// The parameter a flag names: itself, its short form (`--env`), or nil.
        func parameter(named name: String) -> ParameterSpec? {
            parameters.first { $0.name == name }
                ?? shortFlags[name].flatMap { long in parameters.first { $0.name == long } }
        }
        var words: [(name: String, words: [String])] = []
        func add(_ name: String, _ word: String) {
            if let index = words.firstIndex(where: { $0.name == name }) {
                words[index].words.append(word)
            } else {
                words.append((name, [word]))
            }
        }
        for (flag, word) in named {
            if let found = parameter(named: flag) {
                add(found.name, word)
                continue
            }
            // `--no-keep`, `--no-is-spot`: the flag's false.
            if flag.hasPrefix("no"), word == "true", flag.count > 2 {
                let rest = flag.dropFirst(2)
                if let found = parameter(named: rest.prefix(1).lowercased() + rest.dropFirst()),
                    [.bool, .int].contains(found.type)
                {
                    add(found.name, "false")
                    continue
                }
            }
            // `--env-file FILE`: a map's `K=V` lines.
            if flag.hasSuffix("File"), let found = parameter(named: String(flag.dropLast(4))), found.type == .map {
                guard let text = try? String(contentsOfFile: word, encoding: .utf8) else {
                    throw .usage("--\(kebabCase(flag)): cannot read '\(word)'")
                }
                for line in text.split(whereSeparator: \.isNewline) {
                    let entry = line.trimmingCharacters(in: .whitespaces)
                    if entry.isEmpty || entry.hasPrefix("#") { continue }
                    add(found.name, entry.hasPrefix("export ") ? String(entry.dropFirst(7)) : entry)
                }
                continue
            }
            guard builtin.variadic else {
                let hint = suggestion(for: flag, among: parameters.map(\.name)).map {
                    "; did you mean --\(kebabCase($0))?"
                }
                throw .usage(
                    "'\(command)' has no flag --\(kebabCase(flag))\(hint ?? "") (see 'gpus \(command) --help')")
            }
            add(flag, word)
        }
        for (name, values) in words {
            let parameter = parameters.first { $0.name == name }
            guard given.insert(name).inserted else { throw .usage("--\(kebabCase(name)) is given twice") }
            parts.append((name, try value(values, for: parameter, flag: kebabCase(name))))
        }
        if let missing = parameters.first(where: {
            $0.required && !given.contains($0.name) && !supplied.contains($0.name)
        }) {
            throw .usage("'\(command)' needs --\(kebabCase(missing.name)) (\(missing.type))")
        }
        return parts
    }

    /// Short forms of long flags, as docker spells them.
    static let shortFlags = ["env": "environmentVars"]

    /// One parameter's value from the words given to its flag.
    static func value(_ words: [String], for parameter: ParameterSpec?, flag: String) throws(Problem) -> Expr {
        let type = parameter?.type
        // `--expose 8080/http`: a port as runpodctl and docker write it — one shape for a pod (a
        // list: repeat it) and an endpoint (one port).
        if parameter?.name == "expose", !words.contains(where: { $0.hasPrefix("{") || $0.hasPrefix("[") }) {
            let ports = try words.map { word throws(Problem) in try port(word) }
            if type == .list { return .list(elements: ports, .none) }
            guard ports.count == 1 else { throw .usage("--expose is given twice: an endpoint exposes one port") }
            return ports[0]
        }
        // `K=V` words make a map (a literal map, `{A: "1"}`, is taken as it is).
        if type == .map, words.allSatisfy({ $0.contains("=") && !$0.hasPrefix("{") }) {
            let entries = words.map { word -> MapEntry in
                let equals = word.firstIndex(of: "=")!
                return MapEntry(
                    key: String(word[..<equals]), value: Syntax.string(String(word[word.index(after: equals)...])))
            }
            return .map(entries: entries, .none)
        }
        if words.count > 1 {
            guard type == .list else { throw .usage("--\(flag) is given twice") }
            return .list(elements: words.map { literal($0, type: nil) }, .none)
        }
        let word = words[0]
        // A bare flag is true; a 0/1 int (`--is-spot`) takes it as 1.
        if type == .int, word == "true" || word == "false" { return .int(word == "true" ? 1 : 0, .none) }
        if type == .list, !word.hasPrefix("[") { return .list(elements: [literal(word, type: nil)], .none) }
        return literal(word, type: type)
    }

    /// `8080/http` as `{port: 8080, protocol: "HTTP"}`.
    static func port(_ word: String) throws(Problem) -> Expr {
        let parts = word.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int64(parts[0]), !parts[1].isEmpty else {
            throw .usage(
                "--expose takes a port and its protocol: --expose 8080/http (HTTP, HTTPS, TCP or SSH; got '\(word)')")
        }
        return .map(
            entries: [
                MapEntry(key: "port", value: .int(number, .none)),
                MapEntry(key: "protocol", value: Syntax.string(parts[1].uppercased())),
            ], .none)
    }

    /// A word as a value: a literal of the language stays one (unless the parameter takes a string);
    /// anything else is a string. Only a literal is taken from the parse: nothing a user types runs.
    static func literal(_ word: String, type: ParameterType?) -> Expr {
        if type == .string { return Syntax.string(word) }
        // In parentheses: `{A: "1"}` at the start of a statement would be a block.
        let parsed = Parser.parse(SourceFile(name: "value", text: "(" + word + ")"))
        guard parsed.diagnostics.isEmpty, parsed.program.statements.count == 1,
            case .expression(let expression) = parsed.program.statements[0], isLiteral(expression)
        else { return Syntax.string(word) }
        return expression
    }

    static func isLiteral(_ expression: Expr) -> Bool {
        switch expression {
        case .null, .bool, .int, .float, .duration: true
        case .string(let parts, _): parts.allSatisfy { if case .text = $0 { true } else { false } }
        case .list(let elements, _): elements.allSatisfy(isLiteral)
        case .map(let entries, _): entries.allSatisfy { isLiteral($0.value) }
        case .unary(.negate, let operand, _):
            switch operand {
            case .int, .float, .duration: true
            default: false
            }
        default: false
        }
    }

    /// `let resource = NAMESPACE.get(ID-OR-NAME)`: `get` takes an id or the name of a live resource
    /// (CloudLibrary's one lookup by name).
    static func lookup(_ target: String, namespace: String) -> Stmt {
        let key = Int64(target).flatMap { $0 >= 0 ? Expr.int($0, .none) : nil } ?? Syntax.string(target)
        return Syntax.declare("resource", Syntax.call("\(namespace).get", [(nil, key)]))
    }

    /// The status a created resource of this kind is waited for with `--wait`.
    public static func readyState(of kind: String, library: Library) -> String? {
        let statuses = Set((library.statuses[kind] ?? []).map { $0.lowercased() })
        return ["running", "active"].first { statuses.contains($0) }
    }

    /// `gpus pods help`: the namespace's commands, generated from the declarations.
    public static func help(namespace: String, library: Library) -> String {
        let functions = library.namespaces[namespace] ?? [:]
        let kind = kind(of: namespace, library: library)
        var lines = [
            "gpus \(namespace) COMMAND [VALUES…] [--flag VALUE…] [-o table|wide|json|yaml] [--columns A,B]", "",
            "Commands:",
        ]
        func line(_ usage: String, _ summary: String) -> String {
            let padded = usage.count < 34 ? usage + String(repeating: " ", count: 34 - usage.count) : usage + "  "
            return "  " + padded + summary
        }
        for name in functions.keys.sorted() {
            guard let builtin = functions[name] else { continue }
            if name == "get", kind != nil {
                lines.append(line("get ID-OR-NAME", cliTerms(builtin.summary)))
                continue
            }
            lines.append(line("\(name)\(usage(builtin.parameters, short: true))", cliTerms(builtin.summary)))
        }
        if let kind {
            let methods = library.methods[kind] ?? [:]
            for name in methods.keys.sorted() where !library.isPropertyName(name, of: kind) {
                guard let builtin = methods[name] else { continue }
                lines.append(
                    line("\(name) ID-OR-NAME\(usage(builtin.parameters, short: true))", cliTerms(builtin.summary)))
            }
        }
        if namespace == "endpoints" {
            lines.append(
                line(
                    "logs ID-OR-NAME [--worker] [--follow]",
                    "The workers' log lines; --follow prints new ones until Ctrl-C."))
        }
        lines += [
            "",
            "Flags are the parameters in kebab case (--vm-type-id for vmTypeId); 'gpus \(namespace) COMMAND --help'",
            "describes one. --wait after a create waits until the resource is ready (after stop, start, pause",
            "or resume, until it is in that state); --timeout 10m bounds the wait.",
        ]
        return lines.joined(separator: "\n")
    }

    /// ` --name STRING [--region]`; `short`: the required flags and `[…]` for the optional ones.
    static func usage(_ parameters: [ParameterSpec], short: Bool = false) -> String {
        let required = parameters.filter(\.required).map { " --\(kebabCase($0.name)) \(placeholder($0.type))" }
        let optional = parameters.filter { !$0.required }.map { " [--\(kebabCase($0.name))]" }
        if short { return required.joined() + (optional.count > 2 ? " […]" : optional.joined()) }
        return (required + optional).joined()
    }

    /// What a flag's value is written as on the command line.
    static func placeholder(_ type: ParameterType) -> String {
        switch type {
        case .list: "VALUE"
        case .map: "K=V"
        case .stringOrInt, .any, .function: "VALUE"
        default: type.rawValue.uppercased()
        }
    }

    /// A flag as its help lists it, in the command line's terms: what to type after it, how often,
    /// and its summary with the language's literals as flags (`e.g. ["us-east-1"]` is `e.g.
    /// --regions us-east-1`).
    static func flagHelp(_ parameter: ParameterSpec) -> String {
        let flag = "--" + kebabCase(parameter.name)
        var notes: [String] = parameter.required ? [] : ["optional"]
        let head: String
        switch parameter.type {
        case _ where parameter.name == "expose":
            head = "\(flag) PORT/PROTOCOL"
            if parameter.type == .list { notes.append("repeat it for more") }
            notes.append("e.g. 8080/http")
        case .bool:
            head = "\(flag), --no-\(kebabCase(parameter.name))"
        case .list:
            head = "\(flag) VALUE"
            notes.append("repeat it for more")
        case .map:
            head = "\(flag) K=V"
            let short = shortFlags.first(where: { $0.value == parameter.name })?.key ?? kebabCase(parameter.name)
            notes.append("repeat it for more; --\(short)-file FILE reads K=V lines")
            if short != kebabCase(parameter.name) { notes.append("or --\(short) K=V") }
        case .duration:
            head = "\(flag) DURATION"
            notes.append("90s, 10m, 2h, 1h30m")
        case .time:
            head = "\(flag) TIME"
            notes.append("ISO 8601, epoch ms, or a duration meaning that long ago: 30m")
        default:
            head = "\(flag) \(placeholder(parameter.type))"
        }
        let summary = parameter.summary.isEmpty ? "" : " — " + literalsAsFlags(cliTerms(parameter.summary), flag: flag)
        return "  \(head)\(notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")")\(summary)"
    }

    /// `e.g. ["us-east-1"]` → `e.g. --regions us-east-1`; `e.g. {HF_HOME: "/data"}` → `e.g. --flag
    /// HF_HOME=/data`: a summary's example literal as the flags that give it.
    static func literalsAsFlags(_ text: String, flag: String) -> String {
        var result = text
        if let range = result.range(of: #"e\.g\. \[("[^"\]]*"(, )?)+\]"#, options: .regularExpression) {
            let items = result[range].dropFirst(6).dropLast().split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            result.replaceSubrange(range, with: "e.g. " + items.map { "\(flag) \($0)" }.joined(separator: " "))
        }
        if let range = result.range(of: #"e\.g\. \{(\w+: "[^"}]*"(, )?)+\}"#, options: .regularExpression) {
            let entries = result[range].dropFirst(6).dropLast().split(separator: ",").map { entry in
                let pair = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return "\(flag) \(pair[0])=\(pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))"
            }
            result.replaceSubrange(range, with: "e.g. " + entries.joined(separator: " "))
        }
        return result
    }

    static func help(_ builtin: Builtin, namespace: String, isMethod: Bool) -> String {
        var lines = [
            "gpus \(namespace) \(builtin.shortName)\(isMethod ? " ID-OR-NAME" : "")\(usage(builtin.parameters))", "",
            cliTerms(builtin.summary),
        ]
        if !builtin.parameters.isEmpty { lines += ["", "Flags:"] }
        lines += builtin.parameters.map(flagHelp)
        if namespace == "vms", ["create", "ensure"].contains(builtin.shortName) {
            lines.append(
                "  --offer GPU_TYPE[/REGION] — instead of --vm-type-id and --region: the cheapest available offer's"
                    + " (gpus gpus offers)")
        }
        var shown = examples(builtin, namespace: namespace, isMethod: isMethod)
        if namespace == "vms", builtin.shortName == "create" {
            shown.append("gpus vms create --name a --offer NVIDIA_H100_80G/us-east-1 --wait")
        }
        lines += ["", "Examples:"] + shown.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    /// Help in the command line's words: `vms.types()` is `gpus vms types`.
    static func cliTerms(_ text: String) -> String {
        var result = text
        for namespace in ["vms", "pods", "endpoints", "volumes", "credentials", "gpus"] {
            while let range = result.range(of: "\(namespace)\\.(\\w+)\\(\\)", options: .regularExpression) {
                let call = result[range].dropFirst(namespace.count + 1).dropLast(2)
                result.replaceSubrange(range, with: "'gpus \(namespace) \(call)'")
            }
        }
        return result
    }

    /// A value for a flag in an example: what the parameter's summary shows (`e.g. …`), else a
    /// placeholder in capitals.
    static let exampleValues: [String: String] = [
        "name": "a", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": "1", "regions": "us-east-1",
        "region": "us-east-1", "image": "nginx:latest", "vmTypeId": "101", "storageType": "S3", "sizeInGb": "100",
        "username": "me", "password": "-", "type": "DOCKER_HUB", "workers": "2", "containerVolumeInGb": "20",
        "metric": "gpu", "serviceMode": "QUEUE", "code": "NVIDIA_H100_80G", "status": "running",
        "resources": "'[{region: \"us-east-1\", gpuType: \"NVIDIA_RTX_4090_24G\", gpuCount: 1}]'",
        "input": "'{prompt: \"hi\"}'", "workerPort": "8080", "processUri": "/run", "taskId": "t1",
    ]

    /// One or two example command lines, with the required flags (and `--wait` for a create).
    static func examples(_ builtin: Builtin, namespace: String, isMethod: Bool) -> [String] {
        let flags = builtin.parameters.filter(\.required).map { parameter in
            "--\(kebabCase(parameter.name)) \(exampleValues[parameter.name] ?? parameter.name.uppercased())"
        }
        let target = isMethod ? [namespace == "vms" ? "a" : "web"] : []
        let line = (["gpus", namespace, builtin.shortName] + target + flags).joined(separator: " ")
        switch builtin.shortName {
        case "create", "ensure": return [line, line + " --wait -o json"]
        case "list": return [line, line + " -o json", line + " --columns id,name,status"]
        case "stop", "start", "pause", "resume": return [line + " --wait --timeout 10m"]
        default: return [line]
        }
    }
}

extension Library {
    /// Whether `name` is a zero-argument method of a record kind read as a field.
    public func isPropertyName(_ name: String, of kind: String?) -> Bool {
        guard let kind else { return false }
        return properties[kind]?.contains(name) ?? false
    }
}
