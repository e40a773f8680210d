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
/// text is a string. The call becomes a short program, so it runs like one: against the same target,
/// in the run ledger, with the same errors and exit codes.
public struct OneLiner: Sendable {
    /// What to tell the user instead of running: help text (exit 0) or a usage error (exit 64).
    public enum Problem: Error, Equatable {
        case help(String)
        case usage(String)
    }

    /// `gpus pods list`: what diagnostics call the program.
    public let name: String
    /// The program.
    public let code: String

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

    /// `wait until CONDITION [timeout T]`.
    static func wait(_ condition: String, timeout: String?) -> String {
        "wait until \(condition)" + (timeout.map { " timeout \($0)" } ?? "")
    }

    /// `--timeout` as the language's duration literal (`90s`, `10m`, `1h30m`).
    static func duration(_ text: String) throws(Problem) -> String {
        let units: Set<Character> = ["s", "m", "h", "d"]
        var sawUnit = false
        var digits = false
        for character in text {
            if character.isASCII, character.isNumber {
                digits = true
            } else if units.contains(character), digits {
                sawUnit = true
                digits = false
            } else {
                throw .usage("--timeout takes a duration: 90s, 10m, 1h30m (got '\(text)')")
            }
        }
        guard !text.isEmpty else { throw .usage("--timeout takes a duration: 90s, 10m, 1h30m") }
        return sawUnit && !digits ? text : text + "s"
    }

    public static func translate(
        namespace: String, words: [String], wait: Bool = false, timeout: String? = nil, json: Bool = false,
        library: Library
    ) throws(Problem) -> OneLiner {
        if timeout != nil, !wait { throw .usage("--timeout bounds a --wait: add --wait") }
        let timeout = try timeout.map { text throws(Problem) in try duration(text) }
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
        // `gpus pods get w1`: one resource by id or name.
        if command == "get", let kind, named.isEmpty, positional.count == 1 {
            let lookup = Self.lookup(positional[0], namespace: namespace)
            return OneLiner(name: "gpus \(namespace) get", code: lookup + "\nresource")
        }
        if let builtin = functions[command] {
            // `gpus vms create --offer NVIDIA_H100_80G[/us-east-1]`: the cheapest available offer's
            // vmTypeId and region (from a price to a VM in one line).
            var (prelude, offered) = ("", "")
            if namespace == "vms", ["create", "ensure"].contains(command),
                let index = named.firstIndex(where: { $0.0 == "offer" })
            {
                (prelude, offered) = try offer(named.remove(at: index).1, named: named)
            }
            let given = try arguments(
                positional, named, for: builtin, command: "\(namespace) \(command)",
                supplied: offered.isEmpty ? [] : ["vmTypeId", "region"])
            let call = "\(namespace).\(command)(\([given, offered].filter { !$0.isEmpty }.joined(separator: ", ")))"
            guard wait else { return OneLiner(name: "gpus \(namespace) \(command)", code: prelude + call) }
            guard case .record(let resultKind)? = library.resultKinds[builtin.name],
                let ready = readyState(of: resultKind, library: library)
            else { throw .usage("--wait: '\(namespace) \(command)' does not make a resource to wait for") }
            return OneLiner(
                name: "gpus \(namespace) \(command)",
                code: prelude
                    + "let resource = \(call)\n\(Self.wait("resource.status == \(ready)", timeout: timeout))\nresource")
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
        let call = try arguments(
            Array(positional.dropFirst()), named, for: method, command: "\(namespace) \(command)")
        let lookup = Self.lookup(target, namespace: namespace)
        let done =
            json
            ? "resource"
            : "\(quoted("\(command): \(kind) ")) + str(resource.name or resource.id) + \" (\" + str(resource.id) + \")\""
        return OneLiner(
            name: "gpus \(namespace) \(command)",
            code: """
                \(lookup)
                fn outcome(result) {
                  if result == null { return \(done) }
                  return result
                }
                let result = resource.\(command)(\(call))
                \(wait ? Self.wait("resource.status == \(settled ?? "")", timeout: timeout) : "")
                outcome(result)
                """)
    }

    /// `--offer GPU_TYPE[/REGION]`: code that finds the cheapest available VM offer of the type (in
    /// the region), and the arguments it gives a VM create.
    static func offer(_ spec: String, named: [(String, String)]) throws(Problem) -> (prelude: String, arguments: String)
    {
        if named.contains(where: { ["vmTypeId", "region"].contains($0.0) }) {
            throw .usage("--offer gives the VM type and the region: not with --vm-type-id or --region")
        }
        let parts = spec.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard spec != "true", (1...2).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw .usage("--offer takes a GPU type, and a region after a slash: --offer NVIDIA_H100_80G/us-east-1")
        }
        let regions = parts.count == 2 ? ", regions: [\(quoted(parts[1]))]" : ""
        let missing = "no available VM offer of \(spec) ('gpus gpus offers --gpu-type \(parts[0])' lists the offers)"
        let prelude = """
            let offers = gpus.offers(gpuType: \(quoted(parts[0]))\(regions), available: true, sort: "price").filter(o -> o.vmTypeId != null)
            if len(offers) == 0 { throw \(quoted(missing)) }
            let offer = offers[0]

            """
        return (prelude, "vmTypeId: offer.vmTypeId, region: offer.region")
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
        let chosen = worker.map { "workers = workers.filter(w -> str(w.workerId) == \(quoted($0)))\n" } ?? ""
        let missing =
            worker.map {
                "if len(workers) == 0 { throw \(quoted("endpoint \(target) has no worker \($0)")) }\n"
            } ?? ""
        return OneLiner(
            name: "gpus endpoints logs",
            code: """
                \(lookup(target, namespace: "endpoints"))
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
                let workers = resource.workers()
                \(chosen)\(missing)show(workers)
                while \(follow) {
                  sleep(2s)
                  workers = resource.workers()
                  \(chosen)show(workers)
                }
                """)
    }

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

    /// The call's argument list: positional values in parameter order, then the named ones.
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
        throws(Problem) -> String
    {
        let parameters = builtin.parameters
        guard positional.count <= parameters.count || builtin.variadic else {
            throw .usage(
                "'\(command)' takes \(parameters.count) value\(parameters.count == 1 ? "" : "s") without a flag, got \(positional.count) (\(positional.joined(separator: " ")))"
            )
        }
        var parts: [String] = []
        var given = Set<String>()
        for (index, word) in positional.enumerated() {
            let parameter = index < parameters.count ? parameters[index] : nil
            parts.append(literal(word, type: parameter?.type))
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
            parts.append("\(name): \(try value(values, for: parameter, flag: kebabCase(name)))")
        }
        if let missing = parameters.first(where: {
            $0.required && !given.contains($0.name) && !supplied.contains($0.name)
        }) {
            throw .usage("'\(command)' needs --\(kebabCase(missing.name)) (\(missing.type))")
        }
        return parts.joined(separator: ", ")
    }

    /// Short forms of long flags, as docker spells them.
    static let shortFlags = ["env": "environmentVars"]

    /// The code of one parameter's value from the words given to its flag.
    static func value(_ words: [String], for parameter: ParameterSpec?, flag: String) throws(Problem) -> String {
        let type = parameter?.type
        // `K=V` words make a map (a literal map, `{A: "1"}`, is taken as it is).
        if type == .map, words.allSatisfy({ $0.contains("=") && !$0.hasPrefix("{") }) {
            let entries = words.map { word -> String in
                let equals = word.firstIndex(of: "=")!
                return quoted(String(word[..<equals])) + ": " + quoted(String(word[word.index(after: equals)...]))
            }
            return "{" + entries.joined(separator: ", ") + "}"
        }
        if words.count > 1 {
            guard type == .list else { throw .usage("--\(flag) is given twice") }
            return "[" + words.map { literal($0, type: nil) }.joined(separator: ", ") + "]"
        }
        let word = words[0]
        // A bare flag is true; a 0/1 int (`--is-spot`) takes it as 1.
        if type == .int, word == "true" || word == "false" { return word == "true" ? "1" : "0" }
        if type == .list, !word.hasPrefix("[") { return "[" + literal(word, type: nil) + "]" }
        return literal(word, type: type)
    }

    /// A word as code: a literal of the language stays one (unless the parameter takes a string);
    /// anything else becomes a quoted string. Nothing a user types can become code that runs.
    static func literal(_ word: String, type: ParameterType?) -> String {
        if type == .string { return quoted(word) }
        // In parentheses: `{A: "1"}` at the start of a statement would be a block.
        let parsed = Parser.parse(SourceFile(name: "value", text: "(" + word + ")"))
        guard parsed.diagnostics.isEmpty, parsed.program.statements.count == 1,
            case .expression(let expression) = parsed.program.statements[0], isLiteral(expression)
        else { return quoted(word) }
        return word
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

    /// A string literal holding `text` exactly.
    static func quoted(_ text: String) -> String {
        var code = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": code += "\\\""
            case "\\": code += "\\\\"
            case "$": code += "\\$"
            case "\n": code += "\\n"
            case "\t": code += "\\t"
            case "\r": code += "\\r"
            case "\0": code += "\\0"
            default: code.unicodeScalars.append(scalar)
            }
        }
        return code + "\""
    }

    /// The resource a command acts on: `NAMESPACE.get` takes an id or the name of a live resource
    /// (CloudLibrary's one lookup by name).
    static func lookup(_ target: String, namespace: String) -> String {
        if let id = Int64(target), id >= 0 { return "let resource = \(namespace).get(\(id))" }
        return "let resource = \(namespace).get(\(quoted(target)))"
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
        let required = parameters.filter(\.required).map { " --\(kebabCase($0.name)) \($0.type.rawValue.uppercased())" }
        let optional = parameters.filter { !$0.required }.map { " [--\(kebabCase($0.name))]" }
        if short { return required.joined() + (optional.count > 2 ? " […]" : optional.joined()) }
        return (required + optional).joined()
    }

    static func help(_ builtin: Builtin, namespace: String, isMethod: Bool) -> String {
        var lines = [
            "gpus \(namespace) \(builtin.shortName)\(isMethod ? " ID-OR-NAME" : "")\(usage(builtin.parameters))", "",
            cliTerms(builtin.summary),
        ]
        if !builtin.parameters.isEmpty { lines += ["", "Flags:"] }
        for parameter in builtin.parameters {
            let summary = parameter.summary.isEmpty ? "" : " — \(cliTerms(parameter.summary))"
            lines.append(
                "  --\(kebabCase(parameter.name)) \(parameter.type)\(parameter.required ? "" : " (optional)")\(summary)"
            )
        }
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
