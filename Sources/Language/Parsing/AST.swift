/// The syntax tree: indirect enums with labelled associated values, each node with its source range.
public indirect enum Expr: Sendable {
    case null(SourceRange)
    case bool(Bool, SourceRange)
    case int(Int64, SourceRange)
    case float(Double, SourceRange)
    case duration(Int64, SourceRange)
    case string(parts: [InterpolatedPart], SourceRange)
    case variable(name: String, SourceRange)
    case list(elements: [Expr], SourceRange)
    case map(entries: [MapEntry], SourceRange)
    case unary(op: UnaryOperator, operand: Expr, SourceRange)
    case binary(op: BinaryOperator, left: Expr, right: Expr, SourceRange)
    case logical(isAnd: Bool, left: Expr, right: Expr, SourceRange)
    case range(from: Expr, to: Expr, inclusive: Bool, SourceRange)
    case call(callee: Expr, arguments: [CallArgument], SourceRange)
    case member(object: Expr, name: String, nameRange: SourceRange, SourceRange)
    case index(object: Expr, index: Expr, SourceRange)
    case lambda(FunctionDecl)
    case parallelFor(variable: String, sequence: Expr, body: Block, SourceRange)
    /// `condition ? then : otherwise`: only the chosen side is evaluated.
    case conditional(condition: Expr, then: Expr, otherwise: Expr, SourceRange)

    public var range: SourceRange {
        switch self {
        case .null(let range), .bool(_, let range), .int(_, let range), .float(_, let range),
            .duration(_, let range), .string(_, let range), .variable(_, let range), .list(_, let range),
            .map(_, let range), .unary(_, _, let range), .binary(_, _, _, let range), .logical(_, _, _, let range),
            .range(_, _, _, let range), .call(_, _, let range), .member(_, _, _, let range), .index(_, _, let range),
            .parallelFor(_, _, _, let range), .conditional(_, _, _, let range):
            range
        case .lambda(let decl): decl.range
        }
    }
}

public enum InterpolatedPart: Sendable {
    case text(String)
    case expression(Expr)
}

public struct MapEntry: Sendable {
    public var key: String
    public var value: Expr
    /// Where the key is written (a checker's caret under `gpuTyp:`).
    public var keyRange: SourceRange = .none

    public init(key: String, value: Expr, keyRange: SourceRange = .none) {
        self.key = key
        self.value = value
        self.keyRange = keyRange
    }
}

public struct CallArgument: Sendable {
    /// `name:` for a named argument.
    public var label: String?
    public var value: Expr
    public var range: SourceRange

    public init(label: String?, value: Expr, range: SourceRange) {
        self.label = label
        self.value = value
        self.range = range
    }
}

public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains = "in", notContains = "not in"
}

/// A named function or a lambda.
public final class FunctionDecl: Sendable {
    public let name: String?
    public let parameters: [Parameter]
    public let body: Block
    /// Whether the body is a single expression (`x -> x * 2`) whose value is returned.
    public let isExpressionBody: Bool
    public let range: SourceRange

    public init(name: String?, parameters: [Parameter], body: Block, isExpressionBody: Bool, range: SourceRange) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.isExpressionBody = isExpressionBody
        self.range = range
    }
}

public struct Parameter: Sendable {
    public var name: String
    public var defaultValue: Expr?
    public var range: SourceRange
}

public struct Block: Sendable {
    public var statements: [Stmt]
    public var range: SourceRange
}

public indirect enum Stmt: Sendable {
    case expression(Expr)
    case declaration(name: String, value: Expr, SourceRange)
    case assignment(target: Expr, op: BinaryOperator?, value: Expr, SourceRange)
    case ifElse(branches: [(condition: Expr, body: Block)], otherwise: Block?, SourceRange)
    case whileLoop(condition: Expr, body: Block, SourceRange)
    case forLoop(names: [String], sequence: Expr, body: Block, SourceRange)
    case breakLoop(SourceRange)
    case continueLoop(SourceRange)
    case returnValue(Expr?, SourceRange)
    case function(FunctionDecl)
    case tryCatch(body: Block, errorName: String?, handler: Block, SourceRange)
    case throwError(Expr, SourceRange)
    case deferred(Stmt, SourceRange)
    case waitUntil(condition: Expr, timeout: Expr?, every: Expr?, SourceRange)
    case exit(Expr?, SourceRange)
    case block(Block)

    public var range: SourceRange {
        switch self {
        case .expression(let expr): expr.range
        case .declaration(_, _, let range), .assignment(_, _, _, let range), .ifElse(_, _, let range),
            .whileLoop(_, _, let range), .forLoop(_, _, _, let range), .breakLoop(let range),
            .continueLoop(let range), .returnValue(_, let range), .tryCatch(_, _, _, let range),
            .throwError(_, let range), .deferred(_, let range), .waitUntil(_, _, _, let range), .exit(_, let range):
            range
        case .function(let decl): decl.range
        case .block(let block): block.range
        }
    }
}

/// A parsed program: its statements and the source they came from.
public struct Program: Sendable {
    public var statements: [Stmt]
    public var source: SourceFile
}
