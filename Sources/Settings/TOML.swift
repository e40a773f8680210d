import Foundation

/// The part of TOML that gpus's configuration uses: comments, `[table.headers]` (bare or quoted
/// keys), and `key = value` with basic or literal strings, integers and booleans.
///
/// Anything else — arrays, inline tables, dates, multi-line strings, dotted keys on the left —
/// is refused with its line number rather than misread.
public enum TOML {
    public enum Value: Equatable, Sendable {
        case string(String)
        case integer(Int64)
        case boolean(Bool)
    }

    /// A document: each table's path (`["profiles", "prod"]`) and its keys, in file order.
    public struct Document: Equatable, Sendable {
        public var tables: [(path: [String], entries: [(key: String, value: Value)])] = []
        /// The line each key was read from (its table's path and the key), for errors about it.
        public var lines: [[String]: Int] = [:]

        public init() {}

        public static func == (a: Document, b: Document) -> Bool {
            a.tables.count == b.tables.count
                && zip(a.tables, b.tables).allSatisfy { x, y in
                    x.path == y.path && x.entries.count == y.entries.count
                        && zip(x.entries, y.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
                }
        }
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> Document {
        var document = Document()
        document.tables.append((path: [], entries: []))
        var seenTables: Set<[String]> = [[]]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var scanner = Scanner(Substring(rawLine), line: index + 1)
            scanner.skipSpaces()
            if scanner.atEndOfLine { continue }
            if scanner.peek == "[" {
                scanner.advance()
                if scanner.peek == "[" { throw scanner.error("arrays of tables are not supported") }
                var path: [String] = []
                repeat {
                    scanner.skipSpaces()
                    path.append(try scanner.key())
                    scanner.skipSpaces()
                } while scanner.consume(".")
                guard scanner.consume("]") else { throw scanner.error("expected ']' after the table name") }
                try scanner.expectEndOfLine()
                guard seenTables.insert(path).inserted else {
                    throw scanner.error("table [\(path.joined(separator: "."))] is defined twice")
                }
                document.tables.append((path: path, entries: []))
                continue
            }
            let key = try scanner.key()
            scanner.skipSpaces()
            if scanner.peek == "." { throw scanner.error("dotted keys are not supported; use a [table]") }
            guard scanner.consume("=") else { throw scanner.error("expected '=' after '\(key)'") }
            scanner.skipSpaces()
            let value = try scanner.value()
            try scanner.expectEndOfLine()
            let last = document.tables.count - 1
            guard !document.tables[last].entries.contains(where: { $0.key == key }) else {
                throw scanner.error("'\(key)' is defined twice")
            }
            document.tables[last].entries.append((key: key, value: value))
            document.lines[document.tables[last].path + [key]] = index + 1
        }
        if document.tables[0].entries.isEmpty { document.tables.removeFirst() }
        return document
    }

    /// The document as text: tables in order, strings quoted and escaped.
    public static func render(_ document: Document, header: String = "") -> String {
        var lines: [String] = header.isEmpty ? [] : header.split(separator: "\n").map { "# \($0)" }
        for table in document.tables {
            if !table.path.isEmpty {
                if !lines.isEmpty { lines.append("") }
                lines.append("[" + table.path.map(renderKey).joined(separator: ".") + "]")
            }
            for (key, value) in table.entries { lines.append("\(renderKey(key)) = \(render(value))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func renderKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.unicodeScalars.allSatisfy { Scanner.isBareKey($0) }
        return bare ? key : render(.string(key))
    }

    static func render(_ value: Value) -> String {
        switch value {
        case .integer(let number): return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .string(let text):
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        out +=
                            "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                            + String(scalar.value, radix: 16, uppercase: true)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
    }

    struct Scanner {
        var text: Substring.UnicodeScalarView
        var index: Substring.UnicodeScalarView.Index
        let line: Int

        init(_ text: Substring, line: Int) {
            self.text = text.unicodeScalars
            self.index = self.text.startIndex
            self.line = line
        }

        var peek: Unicode.Scalar? { index < text.endIndex ? text[index] : nil }
        var atEndOfLine: Bool { peek == nil || peek == "#" || peek == "\r" }
        mutating func advance() { index = text.index(after: index) }
        mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
            guard peek == scalar else { return false }
            advance()
            return true
        }
        mutating func skipSpaces() { while peek == " " || peek == "\t" { advance() } }
        func error(_ message: String) -> ParseError { ParseError(line: line, message: message) }

        mutating func expectEndOfLine() throws(ParseError) {
            skipSpaces()
            guard atEndOfLine else { throw error("unexpected text after the value") }
        }

        static func isBareKey(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "_" || scalar == "-"
        }

        mutating func key() throws(ParseError) -> String {
            if peek == "\"" || peek == "'" {
                guard case .string(let key) = try value() else { throw error("expected a key") }
                return key
            }
            var key = ""
            while let scalar = peek, Self.isBareKey(scalar) {
                key.unicodeScalars.append(scalar)
                advance()
            }
            guard !key.isEmpty else { throw error("expected a key") }
            return key
        }

        mutating func value() throws(ParseError) -> Value {
            switch peek {
            case "\"":
                advance()
                if consume("\"") {
                    if consume("\"") { throw error("multi-line strings are not supported") }
                    return .string("")
                }
                var out = ""
                while let scalar = peek, scalar != "\"" {
                    advance()
                    if scalar == "\\" {
                        out.unicodeScalars.append(try escape())
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
                guard consume("\"") else { throw error("unterminated string") }
                return .string(out)
            case "'":
                advance()
                var out = ""
                while let scalar = peek, scalar != "'" {
                    out.unicodeScalars.append(scalar)
                    advance()
                }
                guard consume("'") else { throw error("unterminated string") }
                return .string(out)
            case "[": throw error("arrays are not supported")
            case "{": throw error("inline tables are not supported")
            default:
                var word = ""
                while let scalar = peek, scalar != " ", scalar != "\t", scalar != "#", scalar != "\r" {
                    word.unicodeScalars.append(scalar)
                    advance()
                }
                if word == "true" { return .boolean(true) }
                if word == "false" { return .boolean(false) }
                if let number = Int64(word.replacingOccurrences(of: "_", with: "")), !word.hasPrefix("_") {
                    return .integer(number)
                }
                throw error(word.isEmpty ? "expected a value" : "unsupported value '\(word)' (quote strings)")
            }
        }

        mutating func escape() throws(ParseError) -> Unicode.Scalar {
            guard let scalar = peek else { throw error("unterminated string") }
            advance()
            switch scalar {
            case "\"": return "\""
            case "\\": return "\\"
            case "n": return "\n"
            case "t": return "\t"
            case "r": return "\r"
            case "b": return "\u{08}"
            case "f": return "\u{0C}"
            case "u", "U":
                let count = scalar == "u" ? 4 : 8
                var digits = ""
                for _ in 0..<count {
                    guard let digit = peek else { throw error("short \\\(scalar) escape") }
                    digits.unicodeScalars.append(digit)
                    advance()
                }
                guard let code = UInt32(digits, radix: 16), let result = Unicode.Scalar(code) else {
                    throw error("invalid escape \\\(scalar)\(digits)")
                }
                return result
            default: throw error("invalid escape \\\(scalar)")
            }
        }
    }
}
