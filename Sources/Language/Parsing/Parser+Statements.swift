extension Parser {
    /// statement → letStatement | fnDeclaration | ifStatement | whileStatement | forStatement | "break" | "continue" | returnStatement | tryStatement | throwStatement | deferStatement | waitStatement | exitStatement | block | expressionStatement
    mutating func statement() throws(SyntaxError) -> Stmt {
        let start = peek.range
        switch peekKind {
        case .keyword(.let): return try letStatement()
        case .keyword(.fn) where peekKind(1) != .symbol(.leftParen): return try .function(fnDeclaration())
        case .keyword(.if): return try ifStatement()
        case .keyword(.while): return try whileStatement()
        case .keyword(.for): return try forStatement()
        case .keyword(.break):
            advance()
            return .breakLoop(start)
        case .keyword(.continue):
            advance()
            return .continueLoop(start)
        case .keyword(.return): return try returnStatement()
        case .keyword(.try): return try tryStatement()
        case .keyword(.throw):  // throwStatement → "throw" expression
            advance()
            let value = try expression()
            return .throwError(value, start.to(value.range))
        case .keyword(.defer):  // deferStatement → "defer" statement
            advance()
            // `defer defer … x` nests without a block: each counts against the nesting limit.
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw tooDeep(at: start) }
            let deferred = try statement()
            return .deferred(deferred, start.to(deferred.range))
        case .keyword(.wait): return try waitStatement()
        case .keyword(.else):
            throw error(
                .unexpectedToken, "'else' without an 'if': it goes after the '}' of an 'if', on that line or the next",
                at: peek.range)
        case .keyword(.exit):  // exitStatement → "exit" expression?
            advance()
            if case .newline = peekKind { return .exit(nil, start) }
            if atEnd || check(.semicolon) || check(.rightBrace) { return .exit(nil, start) }
            let code = try expression()
            return .exit(code, start.to(code.range))
        // `{a: 1}` is a map, not a block: a block never starts with `name:` (findings ux — it was a
        // syntax error at the prompt).
        case .symbol(.leftBrace) where peekKind(2) == .symbol(.colon) && Self.isMapKey(peekKind(1)):
            return try expressionStatement()
        case .symbol(.leftBrace): return try .block(block())
        default: return try expressionStatement()
        }
    }

    /// A token that can be a map literal's key: a name, a keyword used as one, or a plain string.
    static func isMapKey(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .keyword, .string: true
        default: false
        }
    }

    /// letStatement → "let" IDENT "=" expression
    mutating func letStatement() throws(SyntaxError) -> Stmt {
        let start = advance().range
        let (name, _) = try identifier("a variable name after 'let'")
        _ = try consume(.equal, "'=' after 'let \(name)'")
        skipNewlines()
        let value = try expression()
        return .declaration(name: name, value: value, start.to(value.range))
    }

    /// fnDeclaration → "fn" IDENT parameters block
    mutating func fnDeclaration() throws(SyntaxError) -> FunctionDecl {
        let start = advance().range
        let (name, _) = try identifier("a function name after 'fn'")
        let parameters = try parameterList()
        let body = try block()
        return FunctionDecl(
            name: name, parameters: parameters, body: body, isExpressionBody: false, range: start.to(body.range))
    }

    /// parameters → "(" (parameter ("," parameter)* ","?)? ")" ; parameter → IDENT ("=" expression)?
    mutating func parameterList() throws(SyntaxError) -> [Parameter] {
        let opener = try consume(.leftParen, "'(' after the function name")
        var parameters: [Parameter] = []
        skipNewlines()
        while !check(.rightParen) {
            let (name, range) = try identifier("a parameter name")
            var defaultValue: Expr?
            if match(.equal) { defaultValue = try expression() }
            parameters.append(Parameter(name: name, defaultValue: defaultValue, range: range))
            skipNewlines()
            guard match(.comma) else { break }
            skipNewlines()
        }
        _ = try close(.rightParen, opener: opener)
        return parameters
    }

    /// ifStatement → "if" expression block ("else" (ifStatement | block))?
    mutating func ifStatement() throws(SyntaxError) -> Stmt {
        let start = advance().range
        var branches: [(condition: Expr, body: Block)] = []
        var otherwise: Block?
        var end = start
        while true {
            let condition = try expression()
            let body = try block()
            branches.append((condition, body))
            end = body.range
            guard elseFollows() else { break }
            advance()  // else
            if match(.if) { continue }
            let elseBlock = try block()
            otherwise = elseBlock
            end = elseBlock.range
            break
        }
        return .ifElse(branches: branches, otherwise: otherwise, start.to(end))
    }

    /// `else` on the same line as the `}`, or at the start of the next line.
    mutating func elseFollows() -> Bool {
        if check(.else) { return true }
        var lookahead = current
        while tokens[lookahead].kind == .newline { lookahead += 1 }
        guard lookahead != current, tokens[lookahead].kind == .keyword(.else) else { return false }
        current = lookahead
        return true
    }

    /// whileStatement → "while" expression block
    mutating func whileStatement() throws(SyntaxError) -> Stmt {
        let start = advance().range
        let condition = try expression()
        let body = try block()
        return .whileLoop(condition: condition, body: body, start.to(body.range))
    }

    /// forStatement → "for" IDENT ("," IDENT)? "in" expression block
    mutating func forStatement() throws(SyntaxError) -> Stmt {
        let start = advance().range
        let (names, sequence, body) = try loopHeaderAndBody()
        return .forLoop(names: names, sequence: sequence, body: body, start.to(body.range))
    }

    mutating func loopHeaderAndBody() throws(SyntaxError) -> ([String], Expr, Block) {
        var names = [try identifier("a loop variable after 'for'").0]
        if match(.comma) { names.append(try identifier("a second loop variable").0) }
        guard match(.in) else { throw expected("'in'") }
        let sequence = try expression()
        let body = try block()
        return (names, sequence, body)
    }

    /// returnStatement → "return" expression?
    mutating func returnStatement() throws(SyntaxError) -> Stmt {
        let start = advance().range
        switch peekKind {
        case .newline, .eof, .symbol(.semicolon), .symbol(.rightBrace): return .returnValue(nil, start)
        default:
            let value = try expression()
            return .returnValue(value, start.to(value.range))
        }
    }

    /// tryStatement → "try" block "catch" IDENT? block
    mutating func tryStatement() throws(SyntaxError) -> Stmt {
        let start = advance().range
        let body = try block()
        skipNewlines()
        guard match(.catch) else { throw expected("'catch' after the 'try' block") }
        var name: String?
        if case .identifier(let identifier) = peekKind {
            name = identifier
            advance()
        }
        let handler = try block()
        return .tryCatch(body: body, errorName: name, handler: handler, start.to(handler.range))
    }

    /// waitStatement → "wait" "until" expression ("timeout" expression)? ("every" expression)?
    mutating func waitStatement() throws(SyntaxError) -> Stmt {
        let start = advance().range
        guard checkWord("until") else { throw expected("'until' after 'wait'") }
        advance()
        let condition = try expression()
        var timeout: Expr?
        var every: Expr?
        var end = condition.range
        while true {
            if checkWord("timeout"), timeout == nil {
                advance()
                let value = try expression()
                timeout = value
                end = value.range
            } else if checkWord("every"), every == nil {
                advance()
                let value = try expression()
                every = value
                end = value.range
            } else {
                break
            }
        }
        return .waitUntil(condition: condition, timeout: timeout, every: every, start.to(end))
    }

    /// expressionStatement → expression (("=" | "+=" | "-=" | "*=" | "/=") expression)?
    mutating func expressionStatement() throws(SyntaxError) -> Stmt {
        let target = try expression()
        let op: BinaryOperator??
        switch peekKind {
        case .symbol(.equal): op = .some(nil)
        case .symbol(.plusEqual): op = .add
        case .symbol(.minusEqual): op = .subtract
        case .symbol(.starEqual): op = .multiply
        case .symbol(.slashEqual): op = .divide
        default: op = .none
        }
        guard let op else { return .expression(target) }
        let operatorToken = advance()
        switch target {
        case .variable, .member, .index: break
        default:
            throw error(
                .invalidAssignmentTarget, "cannot assign to this expression", at: target.range.to(operatorToken.range))
        }
        skipNewlines()
        let value = try expression()
        return .assignment(target: target, op: op, value: value, target.range.to(value.range))
    }
}
