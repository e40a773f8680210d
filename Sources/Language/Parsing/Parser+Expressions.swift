extension Parser {
    /// expression → lambda | conditional
    mutating func expression() throws(SyntaxError) -> Expr {
        depth += 1
        height += 1
        defer {
            depth -= 1
            height -= 1
        }
        guard depth <= Self.maximumDepth else { throw tooDeep(at: peek.range) }
        guard height <= Self.maximumHeight else { throw tooLong(at: peek.range) }
        if let parameters = lambdaParametersAhead() { return try lambda(parameters) }
        return try conditional()
    }

    /// conditional → orExpression ("?" expression ":" expression)?
    /// Right-associative: `a ? b : c ? d : e` is `a ? b : (c ? d : e)`; a newline may follow `?` or `:`.
    mutating func conditional() throws(SyntaxError) -> Expr {
        let condition = try orExpression()
        guard match(.question) else { return condition }
        skipNewlines()
        let then = try expression()
        skipNewlines()
        _ = try consume(.colon, "':' (condition ? this : that)")
        skipNewlines()
        let otherwise = try expression()
        return .conditional(
            condition: condition, then: then, otherwise: otherwise, condition.range.to(otherwise.range))
    }

    /// Parameter names when a lambda starts here: `x ->` or `(a, b) ->` or `() ->`.
    func lambdaParametersAhead() -> [(String, SourceRange)]? {
        if case .identifier(let name) = peekKind, peekKind(1) == .symbol(.arrow) { return [(name, peek.range)] }
        guard check(.leftParen) else { return nil }
        var names: [(String, SourceRange)] = []
        var index = current + 1
        while true {
            switch tokens[index].kind {
            case .identifier(let name):
                names.append((name, tokens[index].range))
                index += 1
                if tokens[index].kind == .symbol(.comma) { index += 1 }
            case .symbol(.rightParen):
                return tokens[index + 1].kind == .symbol(.arrow) ? names : nil
            default: return nil
            }
        }
    }

    /// lambda → (IDENT | "(" IDENT ("," IDENT)* ")") "->" expression
    mutating func lambda(_ names: [(String, SourceRange)]) throws(SyntaxError) -> Expr {
        let start = peek.range
        while !check(.arrow) { advance() }
        advance()  // ->
        skipNewlines()
        let body = try expression()
        let parameters = names.map { Parameter(name: $0.0, defaultValue: nil, range: $0.1) }
        let block = Block(statements: [.expression(body)], range: body.range)
        return .lambda(
            FunctionDecl(
                name: nil, parameters: parameters, body: block, isExpressionBody: true, range: start.to(body.range)))
    }

    /// orExpression → andExpression ("or" andExpression)*
    mutating func orExpression() throws(SyntaxError) -> Expr {
        var links = 0
        defer { height -= links }
        var left = try andExpression()
        while match(.or) {
            skipNewlines()
            try link(&links, at: left.range)
            let right = try andExpression()
            left = .logical(isAnd: false, left: left, right: right, left.range.to(right.range))
        }
        return left
    }

    /// andExpression → notExpression ("and" notExpression)*
    mutating func andExpression() throws(SyntaxError) -> Expr {
        var links = 0
        defer { height -= links }
        var left = try notExpression()
        while match(.and) {
            skipNewlines()
            try link(&links, at: left.range)
            let right = try notExpression()
            left = .logical(isAnd: true, left: left, right: right, left.range.to(right.range))
        }
        return left
    }

    /// notExpression → "not" notExpression | comparison
    mutating func notExpression() throws(SyntaxError) -> Expr {
        if check(.not) {
            let start = advance().range
            height += 1
            defer { height -= 1 }
            guard height <= Self.maximumHeight else { throw tooLong(at: start) }
            let operand = try notExpression()
            return .unary(op: .not, operand: operand, start.to(operand.range))
        }
        return try comparison()
    }

    /// comparison → range (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") range)?
    mutating func comparison() throws(SyntaxError) -> Expr {
        var links = 0
        defer { height -= links }
        var left = try rangeExpression()
        var previous: BinaryOperator?
        while true {
            let op: BinaryOperator
            switch peekKind {
            case .symbol(.equalEqual): op = .equal
            case .symbol(.bangEqual): op = .notEqual
            case .symbol(.less): op = .less
            case .symbol(.lessEqual): op = .lessEqual
            case .symbol(.greater): op = .greater
            case .symbol(.greaterEqual): op = .greaterEqual
            case .keyword(.in): op = .contains
            case .keyword(.not) where peekKind(1) == .keyword(.in):
                advance()
                op = .notContains
            default: return left
            }
            // `1 < 2 < 3` would compare a bool with 3: say so rather than fail when it runs.
            if let previous {
                throw error(
                    .unexpectedToken,
                    "comparisons cannot be chained: write 'a \(previous.rawValue) b and b \(op.rawValue) c', or add parentheses",
                    at: peek.range)
            }
            previous = op
            advance()
            skipNewlines()
            try link(&links, at: left.range)
            let right = try rangeExpression()
            left = .binary(op: op, left: left, right: right, left.range.to(right.range))
        }
    }

    /// range → additive ((".." | "..<") additive)?
    mutating func rangeExpression() throws(SyntaxError) -> Expr {
        let left = try additive()
        guard check(.dotDot) || check(.dotDotLess) else { return left }
        let inclusive = advance().kind == .symbol(.dotDot)
        skipNewlines()
        let right = try additive()
        return .range(from: left, to: right, inclusive: inclusive, left.range.to(right.range))
    }

    /// additive → multiplicative (("+" | "-") multiplicative)*
    mutating func additive() throws(SyntaxError) -> Expr {
        var links = 0
        defer { height -= links }
        var left = try multiplicative()
        while check(.plus) || check(.minus) {
            let op: BinaryOperator = advance().kind == .symbol(.plus) ? .add : .subtract
            skipNewlines()
            try link(&links, at: left.range)
            let right = try multiplicative()
            left = .binary(op: op, left: left, right: right, left.range.to(right.range))
        }
        return left
    }

    /// multiplicative → unary (("*" | "/" | "%") unary)*
    mutating func multiplicative() throws(SyntaxError) -> Expr {
        var links = 0
        defer { height -= links }
        var left = try unary()
        while check(.star) || check(.slash) || check(.percent) {
            try link(&links, at: left.range)
            let op: BinaryOperator
            switch advance().kind {
            case .symbol(.star): op = .multiply
            case .symbol(.slash): op = .divide
            default: op = .remainder
            }
            skipNewlines()
            let right = try unary()
            left = .binary(op: op, left: left, right: right, left.range.to(right.range))
        }
        return left
    }

    /// unary → "-" unary | postfix
    mutating func unary() throws(SyntaxError) -> Expr {
        if check(.minus) {
            let start = advance().range
            depth += 1
            height += 1
            defer {
                depth -= 1
                height -= 1
            }
            guard depth <= Self.maximumDepth else { throw tooDeep(at: start) }
            guard height <= Self.maximumHeight else { throw tooLong(at: start) }
            let operand = try unary()
            if case .int(let value, let range) = operand { return .int(0 &- value, start.to(range)) }
            if case .float(let value, let range) = operand { return .float(-value, start.to(range)) }
            return .unary(op: .negate, operand: operand, start.to(operand.range))
        }
        return try postfix()
    }

    /// postfix → primary ("(" arguments? ")" | "." IDENT | "[" expression "]")*
    mutating func postfix() throws(SyntaxError) -> Expr {
        var links = 0
        defer { height -= links }
        var expression = try primary()
        while true {
            if check(.leftParen) || check(.dot) || check(.leftBracket) { try link(&links, at: expression.range) }
            if check(.leftParen) {
                let opener = advance()
                let arguments = try argumentList(opener: opener)
                expression = .call(callee: expression, arguments: arguments, expression.range.to(previous.range))
            } else if check(.dot) {
                advance()
                let (name, nameRange) = try memberName()
                expression = .member(
                    object: expression, name: name, nameRange: nameRange, expression.range.to(nameRange))
            } else if check(.leftBracket) {
                let opener = advance()
                skipNewlines()
                let index = try self.expression()
                skipNewlines()
                let closer = try close(.rightBracket, opener: opener)
                expression = .index(object: expression, index: index, expression.range.to(closer.range))
            } else {
                return expression
            }
        }
    }

    /// A field or method name after '.': an identifier, or a keyword used as a name (`x.in`).
    mutating func memberName() throws(SyntaxError) -> (String, SourceRange) {
        if case .keyword(let keyword) = peekKind {
            let token = advance()
            return (keyword.rawValue, token.range)
        }
        return try identifier("a field or method name after '.'")
    }

    /// arguments → argument ("," argument)* ","? ; argument → (IDENT ":")? expression
    mutating func argumentList(opener: Token) throws(SyntaxError) -> [CallArgument] {
        var arguments: [CallArgument] = []
        skipNewlines()
        while !check(.rightParen) {
            let start = peek.range
            var label: String?
            if case .identifier(let name) = peekKind, peekKind(1) == .symbol(.colon) {
                label = name
                advance()
                advance()
                skipNewlines()
            }
            let value = try expression()
            arguments.append(CallArgument(label: label, value: value, range: start.to(value.range)))
            skipNewlines()
            guard match(.comma) else { break }
            skipNewlines()
        }
        _ = try close(.rightParen, opener: opener)
        return arguments
    }

    /// primary → literal | IDENT | "(" expression ")" | list | map | parallelFor | "fn" parameters block
    mutating func primary() throws(SyntaxError) -> Expr {
        let token = peek
        switch token.kind {
        case .int(let value):
            advance()
            return .int(value, token.range)
        case .float(let value):
            advance()
            return .float(value, token.range)
        case .duration(let value):
            advance()
            return .duration(value, token.range)
        case .string(let parts):
            advance()
            return try string(parts, range: token.range)
        case .keyword(.true):
            advance()
            return .bool(true, token.range)
        case .keyword(.false):
            advance()
            return .bool(false, token.range)
        case .keyword(.null):
            advance()
            return .null(token.range)
        case .identifier("parallel") where peekKind(1) == .keyword(.for):
            return try parallelFor()
        case .identifier(let name):
            advance()
            // `f"…{x}…"` from Python: a string right after the name, with nothing between.
            if ["f", "F", "r", "b"].contains(name), case .string = peekKind, token.range.end == peek.range.start {
                throw error(
                    .expectedToken,
                    "\(name)\"…\" strings do not exist here: every string interpolates — write \"…${x}…\"",
                    at: token.range.to(peek.range))
            }
            return .variable(name: name, token.range)
        case .keyword(.fn):
            advance()
            let parameters = try parameterList()
            let body = try block()
            return .lambda(
                FunctionDecl(
                    name: nil, parameters: parameters, body: body, isExpressionBody: false,
                    range: token.range.to(body.range)))
        case .symbol(.leftParen):
            advance()
            skipNewlines()
            let inner = try expression()
            skipNewlines()
            _ = try close(.rightParen, opener: token)
            return inner
        case .symbol(.leftBracket): return try list()
        case .symbol(.leftBrace): return try map()
        default:
            throw expected("an expression", id: .expectedExpression)
        }
    }

    /// parallelFor → "parallel" "for" IDENT "in" expression block
    mutating func parallelFor() throws(SyntaxError) -> Expr {
        let start = advance().range
        advance()  // for
        let (names, sequence, body) = try loopHeaderAndBody()
        guard names.count == 1 else {
            throw error(.unexpectedToken, "'parallel for' takes one loop variable", at: start.to(body.range))
        }
        return .parallelFor(variable: names[0], sequence: sequence, body: body, start.to(body.range))
    }

    /// list → "[" (expression ("," expression)* ","?)? "]"
    mutating func list() throws(SyntaxError) -> Expr {
        let opener = advance()
        var elements: [Expr] = []
        skipNewlines()
        while !check(.rightBracket) {
            elements.append(try expression())
            skipNewlines()
            guard match(.comma) else { break }
            skipNewlines()
        }
        let closer = try close(.rightBracket, opener: opener)
        return .list(elements: elements, opener.range.to(closer.range))
    }

    /// map → "{" (key ":" expression ("," key ":" expression)* ","?)? "}" ; key → IDENT | STRING
    mutating func map() throws(SyntaxError) -> Expr {
        let opener = advance()
        var entries: [MapEntry] = []
        skipNewlines()
        while !check(.rightBrace) {
            let key: String
            switch peekKind {
            case .identifier(let name): key = name
            case .keyword(let keyword): key = keyword.rawValue
            case .string(let parts) where parts.allSatisfy({ if case .text = $0 { true } else { false } }):
                key = parts.map { if case .text(let text) = $0 { text } else { "" } }.joined()
            default: throw expected("a key (a name or a plain string)")
            }
            let keyRange = advance().range
            _ = try consume(.colon, "':' after the key")
            skipNewlines()
            entries.append(MapEntry(key: key, value: try expression(), keyRange: keyRange))
            skipNewlines()
            guard match(.comma) else { break }
            skipNewlines()
        }
        let closer = try close(.rightBrace, opener: opener)
        return .map(entries: entries, opener.range.to(closer.range))
    }

    /// An interpolated string: each `${...}` parsed as an expression from the same source.
    mutating func string(_ parts: [StringPart], range: SourceRange) throws(SyntaxError) -> Expr {
        var result: [InterpolatedPart] = []
        for part in parts {
            switch part {
            case .text(let text): result.append(.text(text))
            case .interpolation(let inner):
                var lexer = Lexer(bytes: source.bytes, range: inner)
                var parser = Parser(source: source, tokens: lexer.all())
                parser.depth = depth
                parser.height = height
                parser.endDescription = "'}'"
                parser.skipNewlines()
                guard !parser.atEnd else {
                    throw error(.expectedExpression, "an expression expected in '${}'", at: inner)
                }
                do {
                    let expression = try parser.expression()
                    parser.skipNewlines()
                    if !parser.atEnd { throw parser.expected("'}' after the interpolated expression") }
                    result.append(.expression(expression))
                } catch {
                    diagnostics += parser.diagnostics
                    throw SyntaxError()
                }
            }
        }
        return .string(parts: result, range)
    }
}
