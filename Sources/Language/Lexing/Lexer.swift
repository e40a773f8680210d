/// Turns source bytes into tokens. Never fails: a problem becomes an `.error` token.
///
/// Newlines are tokens (statements end at them); the parser decides where they continue a
/// statement. `#` comments and a `#!` first line are skipped.
public struct Lexer {
    let bytes: [UInt8]
    var position: Int
    /// How many strings are open inside each other's `${…}`: lexing them recurses.
    var stringDepth = 0
    static let maximumStringDepth = 200
    /// Set when a string nested too deeply in `${…}`: every enclosing string is that error, and the
    /// rest of the input is not read.
    var tooDeep: Token?
    let end: Int

    public init(_ source: SourceFile) {
        self.init(bytes: source.bytes, range: SourceRange(0, source.bytes.count))
    }

    /// A lexer over part of a source (an interpolated expression), keeping the file's offsets.
    init(bytes: [UInt8], range: SourceRange) {
        self.bytes = bytes
        self.position = range.start
        self.end = range.end
        if position == 0, bytes.starts(with: Array("#!".utf8)) { skipLine() }
    }

    public static func tokens(_ source: SourceFile) -> [Token] {
        var lexer = Lexer(source)
        return lexer.all()
    }

    mutating func all() -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    func peek(_ offset: Int = 0) -> UInt8 {
        position + offset < end ? bytes[position + offset] : 0
    }

    mutating func skipLine() {
        while position < end, bytes[position] != UInt8(ascii: "\n") { position += 1 }
    }

    public mutating func next() -> Token {
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                position += 1
            } else if byte == UInt8(ascii: "#") {
                skipLine()
            } else if byte == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "\n") {
                position += 2  // an explicit line continuation
            } else {
                break
            }
        }
        let start = position
        guard position < end else { return Token(.eof, SourceRange(end, end)) }
        let byte = bytes[position]
        if byte == UInt8(ascii: "\n") {
            position += 1
            return Token(.newline, SourceRange(start, position))
        }
        if byte.isDigit { return number() }
        if byte.isIdentifierStart { return identifier() }
        if byte == UInt8(ascii: "\"") { return string() }
        return symbol()
    }

    mutating func identifier() -> Token {
        let start = position
        while position < end, bytes[position].isIdentifierPart { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        let kind: TokenKind = Keyword(rawValue: text).map { .keyword($0) } ?? .identifier(text)
        return Token(kind, SourceRange(start, position))
    }

    mutating func digits() -> String {
        var text = ""
        while position < end, bytes[position].isDigit || bytes[position] == UInt8(ascii: "_") {
            if bytes[position] != UInt8(ascii: "_") { text.append(Character(UnicodeScalar(bytes[position]))) }
            position += 1
        }
        return text
    }

    mutating func number() -> Token {
        let start = position
        var text = digits()
        var isFloat = false
        if peek() == UInt8(ascii: "."), peek(1).isDigit {
            position += 1
            text += "." + digits()
            isFloat = true
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E"),
            peek(1).isDigit || ((peek(1) == UInt8(ascii: "-") || peek(1) == UInt8(ascii: "+")) && peek(2).isDigit)
        {
            text.append("e")
            position += 1
            if peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") {
                text.append(Character(UnicodeScalar(peek())))
                position += 1
            }
            text += digits()
            isFloat = true
        }
        if peek().isIdentifierStart { return duration(start: start, first: text) }
        let range = SourceRange(start, position)
        if isFloat {
            guard let value = Double(text) else { return Token(.error(.invalidNumber, "invalid number"), range) }
            return Token(.float(value), range)
        }
        guard let value = Int64(text) else {
            return Token(.error(.invalidNumber, "integer literal '\(text)' does not fit in 64 bits"), range)
        }
        return Token(.int(value), range)
    }

    /// `250ms`, `30s`, `5m`, `2h`, `1d`, `1h30m`, `1.5s`: in exact integer arithmetic, so every whole
    /// number of milliseconds up to 2^63 − 1 is what it says (not rounded through a Double).
    mutating func duration(start: Int, first: String) -> Token {
        var total: Int64 = 0
        var amount = first
        var tooLong = false
        while true {
            let unitStart = position
            while position < end, bytes[position].isIdentifierPart, !bytes[position].isDigit { position += 1 }
            let unit = String(decoding: bytes[unitStart..<position], as: UTF8.self)
            let scale: Int64? = ["ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000][unit]
            // An exponent (`1e3s`) is not a duration's.
            guard let scale, !amount.contains("e") else {
                while position < end, bytes[position].isIdentifierPart { position += 1 }
                return Token(
                    .error(.invalidDuration, "invalid duration unit '\(unit)' (expected ms, s, m, h or d)"),
                    SourceRange(start, position))
            }
            if let milliseconds = Self.milliseconds(amount, scale) {
                let (sum, overflow) = total.addingReportingOverflow(milliseconds)
                if overflow { tooLong = true } else { total = sum }
            } else {
                tooLong = true
            }
            guard peek().isDigit else { break }
            amount = digits()
            if peek() == UInt8(ascii: "."), peek(1).isDigit {
                position += 1
                amount += "." + digits()
            }
        }
        if peek().isIdentifierPart {
            while position < end, bytes[position].isIdentifierPart { position += 1 }
            return Token(.error(.invalidDuration, "invalid duration"), SourceRange(start, position))
        }
        guard !tooLong else {
            return Token(
                .error(.invalidDuration, "duration too long (at most 9223372036854775807ms, about 292 million years)"),
                SourceRange(start, position))
        }
        return Token(.duration(total), SourceRange(start, position))
    }

    /// `amount` (`90`, `1.5`) of a unit of `scale` milliseconds, rounded to the nearest millisecond;
    /// nil past Int64.
    static func milliseconds(_ amount: String, _ scale: Int64) -> Int64? {
        let parts = amount.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = Int64(parts[0]) else { return nil }
        let (product, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        guard parts.count == 2 else { return product }
        // The fraction's first 18 digits (10^18 fits in 64 bits; the rest cannot move a result
        // rounded to a millisecond of a unit of at most a day), times the scale, over 10^18.
        let digits = String(parts[1].prefix(18)).padding(toLength: 18, withPad: "0", startingAt: 0)
        guard let fraction = UInt64(digits) else { return nil }
        let one: UInt64 = 1_000_000_000_000_000_000
        let wide = fraction.multipliedFullWidth(by: UInt64(scale))
        let (quotient, remainder) = one.dividingFullWidth(wide)
        let rounded = Int64(quotient) + (remainder * 2 >= one ? 1 : 0)
        let (sum, overflowing) = product.addingReportingOverflow(rounded)
        return overflowing ? nil : sum
    }

    mutating func string() -> Token {
        let start = position
        stringDepth += 1
        defer { stringDepth -= 1 }
        guard stringDepth <= Self.maximumStringDepth else {
            position += 1
            return Token(
                .error(.tooDeeplyNested, "strings nested too deeply in '${…}' (more than \(Self.maximumStringDepth))"),
                SourceRange(start, position))
        }
        position += 1
        var parts: [StringPart] = []
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
            text.removeAll()
        }
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                flush()
                return Token(.string(parts), SourceRange(start, position))
            }
            if byte == UInt8(ascii: "\\") {
                let escapeStart = position
                position += 1
                guard position < end else { break }
                let escaped = peek()
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): text.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "r"): text.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "0"): text.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "$"): text.append(escaped)
                default:
                    skipToStringEnd()
                    let shown =
                        escaped == UInt8(ascii: "\n")
                        ? "'\\' at the end of a line (write '\\\\' for a backslash)"
                        : (0x21..<0x7F).contains(escaped)
                            ? "'\\\(String(decoding: [escaped], as: UTF8.self))'"
                            : "'\\' before byte 0x\(String(escaped, radix: 16, uppercase: true))"
                    return Token(
                        .error(.invalidEscape, "invalid escape \(shown) in string"),
                        SourceRange(escapeStart, escapeStart + 2))
                }
                continue
            }
            if byte == UInt8(ascii: "$"), peek(1) == UInt8(ascii: "{") {
                flush()
                position += 2
                let expressionStart = position
                guard let expressionEnd = skipInterpolation() else {
                    if let tooDeep {
                        // One error for the whole input, as for blocks nested too deeply.
                        position = end
                        return tooDeep
                    }
                    return Token(
                        .error(.unterminatedString, "unterminated '${' in string"), SourceRange(start, position))
                }
                parts.append(.interpolation(SourceRange(expressionStart, expressionEnd)))
                continue
            }
            text.append(byte)
            position += 1
        }
        return Token(.error(.unterminatedString, "unterminated string"), SourceRange(start, position))
    }

    mutating func skipToStringEnd() {
        while position < end, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\n") {
            position += 1
        }
        if peek() == UInt8(ascii: "\"") { position += 1 }
    }

    /// Skips an interpolated expression up to its closing `}`, minding nested braces and strings.
    /// Returns the offset of the `}`, or nil when the input ends first.
    mutating func skipInterpolation() -> Int? {
        var depth = 0
        while position < end {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                if depth == 0 {
                    let close = position
                    position += 1
                    return close
                }
                depth -= 1
            case UInt8(ascii: "\""):
                let saved = position
                let inner = string()
                // Too deep: the whole string is that error (scanning on from each level would take
                // time quadratic in the nesting).
                if case .error(.tooDeeplyNested, _) = inner.kind {
                    tooDeep = inner
                    return nil
                }
                if case .error = inner.kind { position = saved + 1 }
                continue
            default: break
            }
            position += 1
        }
        return nil
    }

    mutating func symbol() -> Token {
        let start = position
        for length in [3, 2, 1] where position + length <= end {
            let text = String(decoding: bytes[position..<position + length], as: UTF8.self)
            if let symbol = Symbol(rawValue: text) {
                position += length
                return Token(.symbol(symbol), SourceRange(start, position))
            }
        }
        // One whole character, however many bytes.
        var length = 1
        while position + length < end, bytes[position + length] & 0xC0 == 0x80 { length += 1 }
        position += length
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        return Token(.error(.unexpectedCharacter, "unexpected character '\(text)'"), SourceRange(start, position))
    }
}

extension UInt8 {
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isIdentifierStart: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || self == UInt8(ascii: "_")
    }
    var isIdentifierPart: Bool { isIdentifierStart || isDigit }
}
