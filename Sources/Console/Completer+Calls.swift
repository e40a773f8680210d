import Foundation
import Language
import Terminal

/// Completion inside calls: which call the cursor is in, which parameter or key the text is for,
/// and what fits it; status words after `x.status ==`.
extension Completer {
    /// The text before the cursor read as far as completion needs: the brackets still open and
    /// whether the cursor is inside a string.
    struct Scan {
        let text: String
        /// Open `(`, `[` and `{` outside strings, innermost last.
        var open: [(character: Character, index: String.Index)] = []
        var inString = false
        /// Where the string the cursor is in starts (after its quote).
        var stringStart: String.Index?

        init(_ text: String) {
            self.text = text
            var index = text.startIndex
            var escaped = false
            while index < text.endIndex {
                let character = text[index]
                if inString {
                    if escaped {
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        inString = false
                    }
                } else {
                    switch character {
                    case "\"":
                        inString = true
                        stringStart = text.index(after: index)
                    case "(", "[", "{": open.append((character, index))
                    case ")", "]", "}": if !open.isEmpty { open.removeLast() }
                    default: break
                    }
                }
                index = text.index(after: index)
            }
        }

        /// The word being typed (inside a string: everything after its quote).
        var partial: Substring {
            if inString, let stringStart { return text[stringStart...] }
            return Substring(
                text.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }.reversed())
        }

        /// What comes before the word being typed (and its quote), without trailing spaces.
        var head: Substring {
            let end =
                inString
                ? text.index(before: stringStart ?? text.endIndex) : text.index(text.endIndex, offsetBy: -partial.count)
            return Completer.withoutTrailingSpaces(text[..<end])
        }
    }

    /// The call the cursor is in, its built-in and the kind of resource it is about.
    struct Call {
        let builtin: Builtin
        let kind: String?
        /// Where the call's `(` is in the text.
        let index: String.Index
    }

    /// The innermost call around the cursor: `pods.create(` (kind Pod), `print(`, `p.metrics(` (a
    /// method of the value `p` holds, kind its record type).
    func openCall(_ scan: Scan) -> Call? {
        for bracket in scan.open.reversed() where bracket.character == "(" {
            let callee = String(
                scan.text[..<bracket.index].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                    .reversed())
            let parts = callee.split(separator: ".").map(String.init)
            if parts.count == 1, let builtin = library.functions[parts[0]] {
                return Call(builtin: builtin, kind: nil, index: bracket.index)
            }
            guard parts.count == 2 else { return nil }
            if let builtin = library.namespaces[parts[0]]?[parts[1]] {
                return Call(builtin: builtin, kind: Self.namespaceKinds[parts[0]], index: bracket.index)
            }
            if let value = session.value(of: parts[0]), let builtin = library.methods[value.typeName]?[parts[1]] {
                let kind: String? = if case .record(let record) = value { record.type.name } else { nil }
                return Call(builtin: builtin, kind: kind, index: bracket.index)
            }
            return nil
        }
        return nil
    }

    /// Inside a call: at an argument's place, its parameter names (under the signature); at an
    /// argument's value, what fits it. Inside a map literal, its keys' values
    /// (`resources: [{gpuType: "`); inside a list literal, values for the list's parameter
    /// (`regions: ["us-`).
    func argumentCompletion(_ scan: Scan, call: Call) -> Completion? {
        let head = scan.head
        if !scan.inString, head.hasSuffix("(") || head.hasSuffix(",") || head.hasSuffix("{") {
            if let names = nameCompletion(scan, call: call) { return names }
        }
        // At a value: which parameter (or key) it is for.
        let innermost = scan.open.last
        let parameter: String
        if let key = Self.key(before: head) {
            parameter = key
        } else if head.hasSuffix("("), innermost?.index == call.index, let first = call.builtin.parameters.first {
            parameter = first.name
        } else if head.hasSuffix("[") || head.hasSuffix(","), innermost?.character == "[",
            let key = listParameter(scan, innermost: innermost)
        {
            parameter = key
        } else {
            return nil
        }
        let partial = String(scan.partial)
        let found = candidates(parameter, kind: call.kind).filter { $0.value.hasPrefix(partial) }
        // Ids go bare (`id`, `vmTypeId`), everything else inside quotes. No id known yet (the cache
        // is being filled): nothing, rather than every keyword.
        let isID = parameter == "id" || parameter.hasSuffix("Id")
        if isID, !scan.inString, found.isEmpty, partial.isEmpty { return Completion.none }
        guard scan.inString || isID else { return nil }
        // Names and notes come from the API: their control characters are shown escaped.
        let shown = found.map { value in Printer.visible(value.note.map { "\(value.value) (\($0))" } ?? value.value) }
        return Self.offer(found.map(\.value), typed: partial, suffix: scan.inString ? "\"" : "", shown: shown)
    }

    /// At an argument's name: the call's parameters in the order of its signature, shown under it
    /// (`vms.create(`), or the keys of the maps a parameter takes (`resources: [{`).
    func nameCompletion(_ scan: Scan, call: Call) -> Completion? {
        let partial = String(scan.partial)
        let innermost = scan.open.last
        if innermost?.character == "(", innermost?.index == call.index {
            let names = call.builtin.parameters.map { $0.name + ":" }.filter { $0.hasPrefix(partial) }
            let heading = partial.isEmpty ? Help.signature(call.builtin) : nil
            return Self.offer(names, typed: partial, suffix: " ", heading: heading)
        }
        guard innermost?.character == "{", let key = listParameter(scan, innermost: innermost),
            let parameter = call.builtin.parameters.first(where: { $0.name == key })
        else { return nil }
        let names = Help.keys(of: parameter).map { $0 + ":" }.filter { $0.hasPrefix(partial) }
        return Self.offer(names, typed: partial, suffix: " ")
    }

    /// Values for a parameter: status words of the kind (all kinds' when it is not known), once each,
    /// in the language's lower case; anything else from the host.
    func candidates(_ parameter: String, kind: String?) -> [CompletionValue] {
        guard parameter == "status" || parameter == "statusList" else { return values(parameter, kind) }
        let words = kind.flatMap { library.statuses[$0] } ?? library.statuses.values.flatMap { $0 }
        return Array(Set(words.map { $0.lowercased() })).sorted().map { CompletionValue($0) }
    }

    static func withoutTrailingSpaces(_ text: Substring) -> Substring {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }

    /// `name:` at the end of `head` (`gpuType:` → gpuType).
    static func key(before head: Substring) -> String? {
        guard head.hasSuffix(":") else { return nil }
        let name = String(head.dropLast().reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
        return name.isEmpty ? nil : name
    }

    /// The parameter a list or map literal is the value of: `regions: [` → regions; for a map inside
    /// a list (`resources: [{`), the list's.
    func listParameter(_ scan: Scan, innermost: (character: Character, index: String.Index)?) -> String? {
        guard let innermost else { return nil }
        var index = innermost.index
        if innermost.character == "{", let outer = scan.open.dropLast().last, outer.character == "[" {
            index = outer.index
        }
        return Self.key(before: Self.withoutTrailingSpaces(scan.text[..<index]))
    }

    /// `p.status == r` → the status words of `p`'s kind (`wait until p.status == `, `if … != `).
    func statusCompletion(_ before: String, scan: Scan) -> Completion? {
        guard !scan.inString else { return nil }
        let partial = String(scan.partial)
        var head = scan.head
        guard head.hasSuffix("==") || head.hasSuffix("!=") else { return nil }
        head = Self.withoutTrailingSpaces(head.dropLast(2))
        guard head.hasSuffix(".status") else { return nil }
        // `p.status`, or an item of a list: `ps[0].status`.
        var object = head.dropLast(7)
        if object.hasSuffix("]"), let open = object.lastIndex(of: "[") { object = object[..<open] }
        let owner = String(object.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
        var kind: String?
        switch session.value(of: owner) {
        case .record(let record)?: kind = record.type.name
        case .list(let list)?: if case .record(let record)? = list.items.first { kind = record.type.name }
        default: break
        }
        let words = candidates("status", kind: kind).map(\.value).filter { $0.hasPrefix(partial) }
        return Self.offer(words, typed: partial)
    }
}
