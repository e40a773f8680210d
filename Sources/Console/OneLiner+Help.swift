import Foundation
import Language

/// A command's help, generated from the declarations in the command line's terms.
extension OneLiner {
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
