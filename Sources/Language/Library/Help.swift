/// `help(x)` and `:help x`: what a built-in, namespace, record kind, method, type or status word
/// offers, from the declarations (the same text as docs/builtins.md).
public enum Help {
    /// The text `help(topic)` returns.
    public static func describe(_ topic: Value?, library: Library) -> String { text(for: topic, library: library) }

    /// `vms.create(name: string, vmTypeId: int, region: string, isSpot?: int, volumeMountPaths?: map)`
    public static func signature(_ builtin: Builtin) -> String {
        let parameters = builtin.parameters.map { "\($0.name)\($0.required ? "" : "?"): \($0.type)" }
        return "\(builtin.name)(\((parameters + (builtin.variadic ? ["..."] : [])).joined(separator: ", ")))"
    }

    /// The keys of the maps a parameter takes, read from its summary's `{region, gpuType, gpuCount}`.
    public static func keys(of parameter: ParameterSpec) -> [String] {
        guard let open = parameter.summary.firstIndex(of: "{"),
            let close = parameter.summary[open...].firstIndex(of: "}")
        else { return [] }
        return parameter.summary[parameter.summary.index(after: open)..<close].split(separator: ",").map {
            String($0.trimmingCharacters(in: .whitespaces).prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        }.filter { !$0.isEmpty }
    }

    /// A built-in's signature, summary and parameters (type, shape, allowed values).
    static func text(for builtin: Builtin) -> String {
        let parameters = builtin.parameters.map {
            "  \($0.name)\($0.required ? "" : " (optional)"): \($0.type)\($0.summary.isEmpty ? "" : " — \($0.summary)")"
        }
        return ([signature(builtin), builtin.summary] + parameters).joined(separator: "\n")
    }

    /// A record kind's fields (with their meaning and unit) and methods.
    static func text(forKind name: String, library: Library) -> String? {
        let type = library.recordTypes[name]
        let methods = library.methods[name]
        guard type != nil || methods != nil else { return nil }
        var lines = [name + (type.map { " — \($0.summary)" } ?? "")]
        if let type {
            lines.append("fields:")
            let width = (type.fields.map(\.name.count).max() ?? 0) + 1
            lines += type.fields.map { field in
                "  ."
                    + (field.summary.isEmpty
                        ? field.name
                        : field.name.padding(toLength: width, withPad: " ", startingAt: 0) + " " + field.summary)
            }
        }
        if let methods {
            lines.append("methods:")
            lines += methods.keys.sorted().compactMap { methods[$0] }.map { method in
                let parameters = method.parameters.map { $0.name + ($0.required ? "" : "?") }.joined(separator: ", ")
                return "  .\(method.shortName)(\(parameters)) — \(method.summary)"
            }
        }
        if let words = library.statuses[name], !words.isEmpty {
            lines.append("statuses: " + words.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// The names people reach for and what they mean here, by where they apply.
    static func aliasesText(_ library: Library) -> String {
        var lines = ["Names from other tools, and what they are here (gpus check and errors suggest them):"]
        var scopes: [String] = []
        for alias in library.aliases where !scopes.contains(alias.scope) { scopes.append(alias.scope) }
        for scope in scopes {
            let title =
                switch scope {
                case "*": "parameters and keys"
                case "status": "status words"
                case "syntax": "syntax"
                default: library.recordTypes[scope] != nil ? "methods of \(scope)" : "arguments of \(scope)"
                }
            var pairs: [(wrong: String, rights: [String])] = []
            for alias in library.aliases where alias.scope == scope {
                if let index = pairs.firstIndex(where: { $0.wrong == alias.wrong }) {
                    pairs[index].rights.append(alias.right)
                } else {
                    pairs.append((alias.wrong, [alias.right]))
                }
            }
            lines.append(
                "  \(title): "
                    + pairs.map { "\($0.wrong) → \($0.rights.joined(separator: " or "))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// `running`: which kinds have the status word.
    static func text(forStatus word: String, library: Library) -> String? {
        let kinds = library.statuses.keys.sorted().filter { library.statuses[$0]?.contains(word.lowercased()) == true }
        guard !kinds.isEmpty else { return nil }
        return
            "\(word.lowercased()) — a status word (compare `x.status == \(word.lowercased())`, any case), a status of: \(kinds.joined(separator: ", "))"
    }

    static func text(for topic: Value?, library: Library?) -> String {
        guard let library else { return "" }
        switch topic {
        case .function(let function)?:
            switch function.kind {
            case .builtin(let builtin), .bound(let builtin, _):
                return text(for: builtin)
            case .user(let compiled, _):
                return
                    "\(compiled.name)(\(compiled.parameterNames.joined(separator: ", "))) — a function of this program"
            }
        case .string(let nameBox)?:
            let name = nameBox.value
            if let builtin = library.functions[name] { return text(for: builtin) }
            if let members = library.namespaces[name] {
                return ([name + ":"] + members.keys.sorted().map { "  \(name).\($0) — \(members[$0]?.summary ?? "")" })
                    .joined(separator: "\n")
            }
            // `vms.create`: a function of a namespace; `Pod.delete`, `list.map`: a method.
            if let dot = name.lastIndex(of: ".") {
                let owner = String(name[..<dot])
                let member = String(name[name.index(after: dot)...])
                if let builtin = library.namespaces[owner]?[member] ?? library.methods[owner]?[member] {
                    return text(for: builtin)
                }
                if let field = library.recordTypes[owner]?.fields.first(where: { $0.name == member }) {
                    return "\(owner).\(field.name)"
                        + (field.summary.isEmpty ? " (a field of \(owner))" : " — \(field.summary)")
                }
            }
            if name == "aliases" { return aliasesText(library) }
            if let kind = text(forKind: name, library: library) { return kind }
            if let status = text(forStatus: name, library: library) { return status }
            return "no help for '\(name)'"
        case .status(let wordBox)?:
            let word = wordBox.value
            return text(forStatus: word, library: library) ?? "\(word) — a status word"
        case let value?:
            if case .record(let record) = value, let kind = text(forKind: record.type.name, library: library) {
                return kind
            }
            let methods = library.methods[value.typeName] ?? [:]
            var lines = ["\(value.typeName)"]
            lines += methods.keys.sorted().map { "  .\($0)() — \(methods[$0]?.summary ?? "")" }
            return lines.joined(separator: "\n")
        case nil:
            let functions = library.functions.keys.sorted().joined(separator: ", ")
            let namespaces = library.namespaces.keys.sorted().joined(separator: ", ")
            return
                "functions: \(functions)\nnamespaces: \(namespaces)\nhelp(x) describes a function, a namespace (vms), a function of one (vms.create), a record kind (Pod), a type (list), a method (Pod.delete) or a status word (running); help(\"aliases\") lists names from other tools and what they are here"
        }
    }
}
