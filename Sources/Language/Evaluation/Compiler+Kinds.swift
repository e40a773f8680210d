import Foundation

/// What the checker finds without running, from the kinds the library declares: fields and methods
/// that records of a known kind do not have, statuses a kind never takes, and string arguments
/// outside a parameter's vocabulary (GPU types, storage types, …).
///
/// A kind is known for a variable declared from a call whose result the library declares
/// (`let vm = vms.create(…)`), for the loop variable over such a list, and for an element of one.
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

    /// `vm.stauts`: a field (or method) a record of this kind does not have.
    func checkMember(_ object: Expr, _ name: String, at range: SourceRange, call: Bool) {
        guard case .record(let kind)? = staticKind(object), let type = library.recordTypes[kind] else { return }
        let methods = type.methods.map(\.shortName)
        let fields = type.fields.map(\.name)
        guard !(fields + methods).contains(name) else { return }
        let candidates = call ? methods : fields + methods
        let hint = suggestion(for: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
        let what = call ? "method" : "field"
        diagnostics.append(Diagnostic(.unknownField, "a \(kind) has no \(what) '\(name)'\(hint)", at: range))
    }

    /// `pod.status == stopped`: a status the record's kind never takes.
    func checkStatusComparison(_ op: BinaryOperator, _ left: Expr, _ right: Expr) {
        guard op == .equal || op == .notEqual else { return }
        for (record, word) in [(left, right), (right, left)] {
            guard case .member(let object, "status", _, _) = record, case .record(let kind)? = staticKind(object),
                let words = library.statuses[kind]
            else { continue }
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
            else { continue }
            let hint = suggestion(for: text, among: words).map { "; did you mean '\($0)'?" } ?? ""
            diagnostics.append(
                Diagnostic(
                    .unknownKey, "a \(kind)'s status is never '\(text)'\(hint)", at: range,
                    notes: ["\(kind) statuses: " + words.joined(separator: ", ")]))
        }
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
