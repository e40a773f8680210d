import Language

/// `docs/builtins.md`, generated from the built-in table: what `help(x)` and completion read too.
public enum BuiltinDocs {
    public static func markdown(_ library: Library) -> String {
        var lines = [
            "# Built-ins", "",
            "Generated from the built-in table (`swift test --filter BuiltinDocs` checks it; set `GPUS_UPDATE_DOCS=1` to rewrite it).",
            "Named arguments are the API's field names; `help(x)` prints the same text at the prompt.", "",
            "## Functions", "",
        ]
        func row(_ builtin: Builtin) -> String {
            let parameters = builtin.parameters.map { "`\($0.name)`\($0.required ? "" : "?")" }.joined(separator: ", ")
            return "| `\(builtin.name)` | \(parameters) | \(builtin.summary) |"
        }
        lines += ["| function | parameters (? optional) | |", "|---|---|---|"]
        lines += library.functions.keys.sorted().compactMap { library.functions[$0].map(row) }
        for namespace in library.namespaces.keys.sorted() {
            lines += ["", "## `\(namespace)`", "", "| function | parameters (? optional) | |", "|---|---|---|"]
            lines += library.namespaces[namespace, default: [:]].keys.sorted().compactMap {
                library.namespaces[namespace]?[$0].map(row)
            }
        }
        for name in library.recordTypes.keys.sorted() {
            guard let type = library.recordTypes[name] else { continue }
            lines += [
                "", "## Record `\(name)`", "", type.summary + ".", "",
                "Fields: " + type.fields.map { "`\($0.name)`" }.joined(separator: ", ") + ".",
            ]
            let methods = library.methods[name, default: [:]]
            if !methods.isEmpty {
                lines += ["", "| method | parameters (? optional) | |", "|---|---|---|"]
                lines += methods.keys.sorted().compactMap { methods[$0].map(row) }
            }
        }
        for type in ["list", "map", "string", "duration", "range"] {
            let methods = library.methods[type, default: [:]]
            lines += ["", "## Methods of `\(type)`", "", "| method | parameters (? optional) | |", "|---|---|---|"]
            lines += methods.keys.sorted().compactMap { methods[$0].map(row) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
