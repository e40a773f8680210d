import Foundation
import Language

/// The words after a command read as the call's values: flags by the parameters' declared types
/// (docker's and kubectl's conventions), never as code.
extension OneLiner {
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
                let hint = flagSuggestion(for: flag, among: parameters.map(\.name)).map {
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
        // Every flag missing at once, not one per try.
        let missing = parameters.filter { $0.required && !given.contains($0.name) && !supplied.contains($0.name) }
        if !missing.isEmpty {
            throw .usage(
                "'\(command)' needs "
                    + missing.map { "--\(kebabCase($0.name)) (\($0.type))" }.joined(separator: ", "))
        }
        return parts
    }

    /// The flag meant by a mistyped one: the closest spelling, else one the typed flag starts with or
    /// that starts with it (`--image-name` is `--image`, as other tools name it), four letters at least.
    static func flagSuggestion(for flag: String, among names: [String]) -> String? {
        suggestion(for: flag, among: names)
            ?? names.filter { $0.count >= 4 && flag.hasPrefix($0) }.max { $0.count < $1.count }
            ?? (flag.count >= 4 ? names.first { $0.hasPrefix(flag) } : nil)
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
        let value = literal(word, type: type)
        if let type, let form = forms[type], !fits(value, type) {
            // A word that is not the flag's kind is the command line's mistake (exit 64), said with
            // the reason the language's lexer gives (`does not fit in 64 bits`), not a call's
            // `int expected, got string`.
            let reason = Parser.parse(SourceFile(name: "value", text: word)).diagnostics.first?.message
            throw .usage("--\(flag) takes \(form) (got '\(word)'\(reason.map { ": \($0)" } ?? ""))")
        }
        return value
    }

    /// How a word of each kind is written, for the usage error of a word that is not one.
    static let forms: [ParameterType: String] = [
        .int: "an integer, like 1", .number: "a number, like 2.5",
        .duration: "a duration: 90s, 10m, 2h, 1h30m", .bool: "true or false (or the flag alone)",
    ]

    /// Whether a literal word is of a kind: an int is a number; a sign is allowed.
    static func fits(_ value: Expr, _ type: ParameterType) -> Bool {
        let unsigned: Expr = if case .unary(.negate, let operand, _) = value { operand } else { value }
        return switch (type, unsigned) {
        case (.int, .int), (.number, .int), (.number, .float), (.duration, .duration), (.bool, .bool): true
        default: false
        }
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
        // In parentheses: `{}` at the start of a statement is a block, and a word must be one expression.
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
}
