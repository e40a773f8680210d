/// A token with its place in the source.
public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var range: SourceRange

    public init(_ kind: TokenKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

public enum TokenKind: Sendable, Equatable {
    case identifier(String)
    case keyword(Keyword)
    case int(Int64)
    case float(Double)
    /// A duration in milliseconds (`250ms`, `1h30m`).
    case duration(Int64)
    case string([StringPart])
    case symbol(Symbol)
    case newline
    case eof
    /// A lexical error; the parser reports it.
    case error(MessageID, String)

    var isEnd: Bool { self == .eof }
}

/// A piece of a string literal: text, or the source range of an interpolated `${expression}`.
public enum StringPart: Sendable, Equatable {
    case text(String)
    case interpolation(SourceRange)
}

public enum Keyword: String, Sendable, CaseIterable {
    case `let`, fn, `if`, `else`, `while`, `for`, `in`, `break`, `continue`, `return`, `try`, `catch`, `throw`
    case `defer`, wait, exit, `true`, `false`, null, and, or, not
}

public enum Symbol: String, Sendable, CaseIterable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]", leftBrace = "{", rightBrace = "}"
    case comma = ",", colon = ":", semicolon = ";", dot = "."
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case equal = "=", equalEqual = "==", bangEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
    case greaterEqual = ">="
    case arrow = "->", dotDot = "..", dotDotLess = "..<"
    case plusEqual = "+=", minusEqual = "-=", starEqual = "*=", slashEqual = "/="
    case question = "?"
}

extension TokenKind: CustomStringConvertible {
    public var description: String {
        switch self {
        case .identifier(let name): "'\(name)'"
        case .keyword(let keyword): "'\(keyword.rawValue)'"
        case .int(let value): "'\(value)'"
        case .float(let value): "'\(value)'"
        case .duration: "duration"
        case .string: "string"
        case .symbol(let symbol): "'\(symbol.rawValue)'"
        case .newline: "end of line"
        case .eof: "end of input"
        case .error(_, let message): message
        }
    }
}
