import Foundation

/// Methods of strings.
enum StringMethods {
    static func register(into library: Library) {
        let property: (String, String, @escaping @Sendable (String) -> Value) -> Void = { name, summary, body in
            library.registerMethod(
                Builtin("string.\(name)", summary, body: .sync { arguments in body(try receiver(arguments)) }),
                on: "string", property: true)
        }
        property("len", "The number of characters.") { .int(Int64($0.count)) }
        property("isEmpty", "Whether the string is empty.") { .bool($0.isEmpty) }
        for builtin in methods {
            library.registerMethod(builtin, on: "string")
            library.registerMethod(builtin, on: "status")
        }
        library.registerMethod(
            Builtin("status.len", "The number of characters.", body: .sync { .int(Int64(try receiver($0).count)) }),
            on: "status", property: true)
    }

    static func receiver(_ arguments: Arguments) throws -> String {
        switch arguments.receiver {
        case .string(let text), .status(let text): return text.value
        default: throw arguments.failure("'\(arguments.name)' needs a string")
        }
    }

    static func text(_ name: String, _ summary: String, _ body: @escaping @Sendable (String) -> String) -> Builtin {
        Builtin("string.\(name)", summary, body: .sync { arguments in .string(body(try receiver(arguments))) })
    }

    static func test(_ name: String, _ summary: String, _ body: @escaping @Sendable (String, String) -> Bool) -> Builtin
    {
        Builtin(
            "string.\(name)", summary, parameters: [ParameterSpec("text", .string)],
            body: .sync { arguments in
                .bool(body(try receiver(arguments), try arguments.string("text")))
            })
    }

    /// The parts of `text` between occurrences of `separator`, matched on UTF-8 bytes: like `in`
    /// and `replace`, a separator is found wherever its characters occur ("\n" splits "a\r\nb"),
    /// and the search is a byte scan, not a comparison of characters.
    static func split(_ text: String, _ separator: String) -> [String] {
        var text = text
        var separator = separator
        return text.withUTF8 { haystack in
            separator.withUTF8 { needle in
                var parts: [String] = []
                let first = needle[0]
                var start = 0
                var index = 0
                let end = haystack.count - needle.count
                while index <= end {
                    guard let found = memchr(haystack.baseAddress! + index, Int32(first), end - index + 1) else {
                        break
                    }
                    index = haystack.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if memcmp(haystack.baseAddress! + index, needle.baseAddress!, needle.count) == 0 {
                        parts.append(
                            String(decoding: UnsafeBufferPointer(rebasing: haystack[start..<index]), as: UTF8.self))
                        index += needle.count
                        start = index
                    } else {
                        index += 1
                    }
                }
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: haystack[start...]), as: UTF8.self))
                return parts
            }
        }
    }

    static let methods: [Builtin] = [
        text("upper", "The string in upper case.") { $0.uppercased() },
        text("lower", "The string in lower case.") { $0.lowercased() },
        text("trim", "The string without leading and trailing white space.") {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        },
        test("startsWith", "Whether the string starts with the text.") { $0.hasPrefix($1) },
        test("endsWith", "Whether the string ends with the text.") { $0.hasSuffix($1) },
        // The empty string occurs everywhere (as `startsWith("")` says): at position 0.
        test("contains", "Whether the text occurs in the string.") { $1.isEmpty || $0.contains($1) },
        Builtin(
            "string.split", "The parts between separators (white space when none is given).",
            parameters: [.optional("separator", .string)],
            body: .sync { arguments in
                let text = try receiver(arguments)
                guard let separator = try arguments.optionalString("separator"), !separator.isEmpty else {
                    return .list(ListBox(text.split(whereSeparator: \.isWhitespace).map { .string(String($0)) }))
                }
                return .list(ListBox(split(text, separator).map { .string($0) }))
            }),
        Builtin(
            "string.replace", "The string with every occurrence of old replaced by new.",
            parameters: [ParameterSpec("old", .string), ParameterSpec("new", .string)],
            body: .sync { arguments in
                let old = try arguments.string("old")
                guard !old.isEmpty else { throw arguments.failure("'string.replace' needs a non-empty 'old'") }
                let parts = split(try receiver(arguments), old)
                let new = try arguments.string("new")
                let size = parts.reduce(0) { $0 + $1.utf8.count } + (parts.count - 1) * new.utf8.count
                guard size <= Limits.maximumStringBytes else { throw arguments.failure(Limits.stringMessage) }
                return .string(parts.joined(separator: new))
            }),
        Builtin(
            "string.indexOf", "The position of the first occurrence of the text, or -1.",
            parameters: [ParameterSpec("text", .string)],
            body: .sync { arguments in
                let text = try receiver(arguments)
                let part = try arguments.string("text")
                if part.isEmpty { return .int(0) }
                guard let range = text.range(of: part) else { return .int(-1) }
                return .int(Int64(text.distance(from: text.startIndex, to: range.lowerBound)))
            }),
        Builtin(
            "string.slice", "The characters from start up to (not including) end.",
            parameters: [ParameterSpec("start", .int), .optional("end", .int)],
            body: .sync { arguments in
                let characters = Array(try receiver(arguments))
                func clamp(_ index: Int64) -> Int {
                    Int(max(0, min(Int64(characters.count), index < 0 ? Int64(characters.count) + index : index)))
                }
                let start = clamp(try arguments.int("start"))
                let end = clamp(try arguments.optionalInt("end") ?? Int64(characters.count))
                return .string(start < end ? String(characters[start..<end]) : "")
            }),
        Builtin(
            "string.repeat", "The string repeated n times.", parameters: [ParameterSpec("n", .int)],
            body: .sync { arguments in
                let count = try arguments.int("n")
                guard count >= 0, count <= 10_000_000 else {
                    throw arguments.failure("'string.repeat' needs n from 0 to 10000000")
                }
                let text = try receiver(arguments)
                guard
                    text.utf8.count.multipliedReportingOverflow(by: Int(count)).partialValue
                        <= Limits.maximumStringBytes,
                    !text.utf8.count.multipliedReportingOverflow(by: Int(count)).overflow
                else { throw arguments.failure(Limits.stringMessage) }
                return .string(String(repeating: text, count: Int(count)))
            }),
        Builtin(
            "string.chars", "The characters as a list of strings.",
            body: .sync { arguments in
                .list(ListBox(try receiver(arguments).map { .string(String($0)) }))
            }),
    ]
}
