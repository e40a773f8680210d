import Foundation

/// What the checker finds without running, from the kinds the library declares: fields and methods
/// that records of a known kind do not have, statuses a kind never takes, and string arguments
/// outside a parameter's vocabulary (GPU types, storage types, …).
///
/// A kind is known for a variable declared from a call whose result the library declares
/// (`let vm = vms.create(…)`), for the loop variable over such a list, for an element of one, and
/// for the parameter of a function given to one's `filter`, `map`, … (`elementKinds`).
/// A variable that is assigned again loses its kind. Nothing here changes the compiled code.
extension Compiler {
    /// The kind of an expression's value, when it is known before running.
    func staticKind(_ expr: Expr) -> StaticKind? {
        switch expr {
        case .call(let callee, _, _):
            switch callee {
            case .variable(let name, _) where lookupVariable(name) == nil:
                return library.resultKinds[name]
            case .member(.variable(let namespace, _), let name, _, _)
            where lookupVariable(namespace) == nil && library.namespaces[namespace] != nil:
                return library.resultKinds["\(namespace).\(name)"]
            case .member(let object, let name, _, _):
                guard case .record(let kind)? = staticKind(object) else { return nil }
                return library.resultKinds["\(kind).\(name)"]
            default: return nil
            }
        case .variable(let name, _):
            return lookupVariable(name).flatMap { staticKinds[$0.key] }
        case .index(let object, _, _):
            if case .list(let kind)? = staticKind(object) { return .record(kind) }
            return nil
        default: return nil
        }
    }

    /// The list methods whose function is called with the items (an index may follow; `sort`'s
    /// two-parameter form takes two items).
    static let itemFunctions: Set<String> = ["map", "filter", "find", "all", "any", "count", "sort"]

    /// `pods.list().filter(p -> p.status == "runing")`: a lambda given to a list method of a list of
    /// known kind takes records of that kind, so its body is checked as a loop over the list is.
    func elementKinds(_ callee: Expr, _ arguments: [CallArgument]) {
        guard case .member(let object, let name, _, _) = callee, Self.itemFunctions.contains(name),
            case .list(let kind)? = staticKind(object)
        else { return }
        for case .lambda(let decl) in arguments.map(\.value) {
            let items = name == "sort" ? decl.parameters : Array(decl.parameters.prefix(1))
            for parameter in items { staticKinds[Self.key(parameter.range)] = .record(kind) }
        }
    }

    /// `vm.stauts`: a field (or method) a record of this kind does not have.
    func checkMember(_ object: Expr, _ name: String, at range: SourceRange, call: Bool) {
        guard case .record(let kind)? = staticKind(object), let type = library.recordTypes[kind] else { return }
        let methods = type.methods.map(\.shortName)
        let fields = type.fields.map(\.name)
        guard !(fields + methods).contains(name) else { return }
        let candidates = call ? methods : fields + methods
        let hint = library.suggest(name, among: candidates, scope: kind).map { "; did you mean '\($0)'?" } ?? ""
        let what = call ? "method" : "field"
        diagnostics.append(Diagnostic(.unknownField, "a \(kind) has no \(what) '\(name)'\(hint)", at: range))
    }

    /// `pod.status == stopped`: a status the record's kind never takes.
    func checkStatusComparison(_ op: BinaryOperator, _ left: Expr, _ right: Expr) {
        guard op == .equal || op == .notEqual else { return }
        for (record, word) in [(left, right), (right, left)] {
            guard case .member(let object, "status", _, _) = record, case .record(let kind)? = staticKind(object)
            else { continue }
            checkStatusWord(word, of: kind)
        }
    }

    /// `"runing"` or `stoped` where a status of a kind is meant: a word the kind never takes.
    func checkStatusWord(_ word: Expr, of kind: String) {
        guard let words = library.statuses[kind] else { return }
        let literal: (String, SourceRange)?
        switch word {
        case .variable(let name, let range) where lookupVariable(name) == nil:
            if case .status(let text)? = library.constants[name] {
                literal = (text.value, range)
            } else {
                literal = nil
            }
        case .string(let parts, let range):
            if parts.count == 1, case .text(let text) = parts[0] { literal = (text, range) } else { literal = nil }
        default: literal = nil
        }
        // A string compares with a status ignoring case and underscores (`"MAX_RETRIES_EXCEEDED"`).
        func folded(_ word: String) -> String { word.lowercased().replacingOccurrences(of: "_", with: "") }
        guard let (text, range) = literal, !words.contains(text), !words.map(folded).contains(folded(text))
        else { return }
        let hint = library.suggest(text, among: words, scope: "status").map { "; did you mean '\($0)'?" } ?? ""
        diagnostics.append(
            Diagnostic(
                .unknownKey, "a \(kind)'s status is never '\(text)'\(hint)", at: range,
                notes: ["\(kind) statuses: " + words.joined(separator: ", ")]))
    }

    /// `pods.create(gpuType: "NVIDIA_RTX_5090")`: a string argument outside its parameter's vocabulary.
    func checkVocabulary(_ arguments: [CallArgument]) {
        for argument in arguments {
            guard let label = argument.label, let vocabulary = library.vocabularies[label] else { continue }
            let texts: [(String, SourceRange)]
            switch argument.value {
            case .string(let parts, let range):
                guard parts.count == 1, case .text(let text) = parts[0] else { continue }
                texts = [(text, range)]
            case .list(let elements, _):
                texts = elements.compactMap { element in
                    guard case .string(let parts, let range) = element, parts.count == 1,
                        case .text(let text) = parts[0]
                    else { return nil }
                    return (text, range)
                }
            default: continue
            }
            for (text, range) in texts where !vocabulary.values.contains(text) {
                let hint =
                    suggestion(for: text, among: Array(vocabulary.values)).map { "; did you mean '\($0)'?" } ?? ""
                diagnostics.append(
                    Diagnostic(.badArgument, "'\(text)' is not a known \(vocabulary.what)\(hint)", at: range))
            }
        }
    }
}

extension Compiler {
    /// A call of a built-in known before running (`pods.create(…)`, `ep.submit(…)` on a record of a
    /// known kind): named arguments it does not have, required ones missing, and each argument's
    /// literal parts against its parameter's shape — nested keys, allowed values, limits — with the
    /// same messages the call gives when it runs.
    func checkArguments(_ builtin: Builtin, _ arguments: [CallArgument], at range: SourceRange) {
        guard !builtin.variadic else {
            checkVocabulary(arguments)
            return
        }
        let names = builtin.parameters.map(\.name)
        var given = Set<Int>()
        var meant = Set<String>()
        var position = 0
        for argument in arguments {
            let index: Int
            if let label = argument.label {
                guard let found = names.firstIndex(of: label) else {
                    let meaning = library.suggest(label, among: names, scope: builtin.name)
                    if let meaning { meant.insert(meaning) }
                    let hint = meaning.map { "; did you mean '\($0)'?" }
                    diagnostics.append(
                        Diagnostic(
                            .badArgument, "'\(builtin.name)' has no parameter '\(label)'\(hint ?? "")",
                            at: argument.range,
                            notes: hint == nil ? ["its parameters: " + names.joined(separator: ", ")] : []))
                    continue
                }
                index = found
            } else {
                while position < names.count, given.contains(position) { position += 1 }
                guard position < names.count else { continue }
                index = position
            }
            given.insert(index)
            let parameter = builtin.parameters[index]
            // `pods.list(status: "runing")`: the statuses of the kind the function lists.
            if parameter.name == "status", case .list(let kind)? = library.resultKinds[builtin.name] {
                let words: [Expr] =
                    if case .list(let elements, _) = argument.value { elements } else { [argument.value] }
                for word in words { checkStatusWord(word, of: kind) }
            }
            guard let shape = parameter.shape else {
                if argument.label != nil { checkVocabulary([argument]) }
                continue
            }
            let problems = shape.problems(
                staticInput(argument.value), path: parameter.name, call: builtin.name,
                suggest: { [library] key, among in library.suggest(key, among: among, scope: builtin.name) })
            for problem in problems { diagnostics.append(Diagnostic(.badArgument, problem.message, at: problem.range)) }
        }
        for (index, parameter) in builtin.parameters.enumerated()
        where parameter.required && !given.contains(index) && !meant.contains(parameter.name) {
            diagnostics.append(
                Diagnostic(.badArgument, "missing argument '\(parameter.name)' to '\(builtin.name)'", at: range))
        }
    }

    /// What is literal in an argument: numbers, plain strings, booleans, status words and the lists
    /// and maps of them; anything computed is known only at run time.
    func staticInput(_ expr: Expr) -> ShapedInput {
        switch expr {
        case .null(let range): return ShapedInput(.value(.null), at: range)
        case .bool(let flag, let range): return ShapedInput(.value(.bool(flag)), at: range)
        case .int(let number, let range): return ShapedInput(.value(.int(number)), at: range)
        case .float(let number, let range): return ShapedInput(.value(.float(number)), at: range)
        case .duration(let nanoseconds, let range):
            return ShapedInput(.value(.duration(nanoseconds)), at: range)
        case .string(let parts, let range):
            guard parts.count <= 1 else { return ShapedInput(.unknown, at: range) }
            guard let part = parts.first else { return ShapedInput(.value(.string("")), at: range) }
            guard case .text(let text) = part else { return ShapedInput(.unknown, at: range) }
            return ShapedInput(.value(.string(text)), at: range)
        case .unary(.negate, .int(let number, _), let range) where number != .min:
            return ShapedInput(.value(.int(-number)), at: range)
        case .unary(.negate, .float(let number, _), let range):
            return ShapedInput(.value(.float(-number)), at: range)
        case .variable(let name, let range):
            guard lookupVariable(name) == nil, let constant = library.constants[name] else {
                return ShapedInput(.unknown, at: range)
            }
            return ShapedInput(.value(constant), at: range)
        case .list(let elements, let range): return ShapedInput(.list(elements.map(staticInput)), at: range)
        case .map(let entries, let range):
            return ShapedInput(
                .map(
                    entries.map { entry in
                        (
                            entry.key, entry.keyRange == .none ? entry.value.range : entry.keyRange,
                            staticInput(entry.value)
                        )
                    }), at: range)
        default: return ShapedInput(.unknown, at: expr.range)
        }
    }
}
