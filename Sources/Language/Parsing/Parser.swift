/// The result of parsing: a program, every syntax error found, and whether input ended too early.
public struct ParseResult: Sendable {
    public var program: Program
    public var diagnostics: [Diagnostic]
    /// The input ended inside an open block, bracket, string or after an operator: a REPL should
    /// read another line rather than report the errors.
    public var isIncomplete: Bool
}

/// Recursive descent, one function per grammar rule with the production as its doc comment.
/// Panic-mode recovery at statement boundaries: one error per statement, no cascades.
public struct Parser {
    let source: SourceFile
    var tokens: [Token]
    var current = 0
    var diagnostics: [Diagnostic] = []
    var isIncomplete = false
    /// What the end of the tokens is called in messages: the end of input, or the `}` that ends a
    /// `${…}` parsed on its own.
    var endDescription = "end of input"
    /// How deep expressions and blocks nest; past `maximumDepth` the parser stops descending.
    var depth = 0
    static let maximumDepth = 200
    /// How tall an expression's tree grows, counting each operator of a chain (`1 + 1 + …`,
    /// `not not …`, `a.b.c…`): every pass over the tree (checks, compiling, printing) recurses that
    /// deep, so past `maximumHeight` the parser reports it instead of a pass running out of stack.
    var height = 0
    static let maximumHeight = 1000
    /// Set when the parser gives up on the rest of the input (too deep, too long).
    var abandoned = false
    static let statementKeywords: Set<Keyword> = [
        .let, .fn, .if, .while, .for, .return, .try, .throw, .defer, .wait, .exit,
    ]

    init(source: SourceFile, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    public static func parse(_ source: SourceFile) -> ParseResult {
        var parser = Parser(source: source, tokens: Lexer.tokens(source))
        let statements = parser.program()
        return ParseResult(
            program: Program(statements: statements, source: source), diagnostics: parser.diagnostics,
            isIncomplete: parser.isIncomplete)
    }

    // MARK: - Tokens

    var peek: Token { tokens[current] }
    var peekKind: TokenKind { tokens[current].kind }
    func peekKind(_ offset: Int) -> TokenKind { tokens[min(current + offset, tokens.count - 1)].kind }
    var previous: Token { tokens[max(0, current - 1)] }
    var atEnd: Bool { peekKind == .eof }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[current]
        if token.kind != .eof { current += 1 }
        return token
    }

    func check(_ symbol: Symbol) -> Bool { peekKind == .symbol(symbol) }
    func check(_ keyword: Keyword) -> Bool { peekKind == .keyword(keyword) }
    func checkWord(_ word: String) -> Bool { peekKind == .identifier(word) }

    mutating func match(_ symbol: Symbol) -> Bool {
        guard check(symbol) else { return false }
        advance()
        return true
    }

    mutating func match(_ keyword: Keyword) -> Bool {
        guard check(keyword) else { return false }
        advance()
        return true
    }

    mutating func skipNewlines() {
        while peekKind == .newline { advance() }
    }

    /// A syntax error; thrown to unwind to the statement being parsed.
    struct SyntaxError: Error {}

    mutating func error(_ id: MessageID, _ message: String, at range: SourceRange) -> SyntaxError {
        // After "too deeply nested" the parser gave up on the rest of the input: the levels it
        // unwinds through would each add a "'}' expected" (hundreds of errors for one problem).
        guard !abandoned else { return SyntaxError() }
        if atEnd || peekKind.isLexicalErrorAtEnd(tokens: tokens, current: current) { isIncomplete = true }
        // A lexical error explains itself better than what the parser expected.
        if case .error(let lexicalID, let lexicalMessage) = peekKind {
            diagnostics.append(Diagnostic(lexicalID, lexicalMessage, at: peek.range))
        } else {
            diagnostics.append(Diagnostic(id, message, at: range))
        }
        return SyntaxError()
    }

    /// An error at the current token: "'x' expected, found 'y'".
    mutating func expected(_ what: String, id: MessageID = .expectedToken) -> SyntaxError {
        error(id, "\(what) expected, found \(peekKind == .eof ? endDescription : peekKind.description)", at: hereRange)
    }

    /// Where a missing token belongs: the current token, or just after the previous one when the
    /// line or the input ended.
    var hereRange: SourceRange {
        switch peekKind {
        case .eof, .newline:
            var index = current - 1
            while index > 0, tokens[index].kind == .newline { index -= 1 }
            return index >= 0 ? SourceRange(tokens[index].range.end, tokens[index].range.end) : peek.range
        default: return peek.range
        }
    }

    mutating func consume(_ symbol: Symbol, _ what: String? = nil) throws(SyntaxError) -> Token {
        guard check(symbol) else { throw expected(what ?? "'\(symbol.rawValue)'") }
        return advance()
    }

    /// The closing delimiter of `opener`, naming the opener when it is on an earlier line.
    mutating func close(_ symbol: Symbol, opener: Token) throws(SyntaxError) -> Token {
        guard check(symbol) else {
            let (line, column) = source.location(of: opener.range.start)
            let (currentLine, _) = source.location(of: hereRange.start)
            let place = line == currentLine ? "\(line):\(column)" : "line \(line)"
            throw error(
                .unclosedDelimiter,
                "'\(symbol.rawValue)' expected (to close '\(opener.kind.symbolText)' at \(place)), found \(peekKind)",
                at: hereRange)
        }
        return advance()
    }

    mutating func identifier(_ what: String = "a name") throws(SyntaxError) -> (String, SourceRange) {
        guard case .identifier(let name) = peekKind else { throw expected(what, id: .expectedIdentifier) }
        let token = advance()
        return (name, token.range)
    }

    // MARK: - Recovery

    /// Skips to the start of the next statement: rescanning the failed statement from its first
    /// token, past the first newline or ';' after the error that is outside the statement's
    /// brackets, or up to a '}' that closes the enclosing block.
    mutating func synchronize(from start: Int) {
        let errorAt = current
        var nesting = 0
        var index = start
        while index < tokens.count - 1 {
            let kind = tokens[index].kind
            switch kind {
            case .symbol(.leftParen), .symbol(.leftBracket), .symbol(.leftBrace): nesting += 1
            case .symbol(.rightParen), .symbol(.rightBracket), .symbol(.rightBrace):
                if nesting == 0, index >= errorAt, kind == .symbol(.rightBrace) {
                    current = index
                    return
                }
                nesting = max(0, nesting - 1)
            case .newline, .symbol(.semicolon):
                if nesting == 0, index >= errorAt {
                    current = index + 1
                    return
                }
                // An unclosed bracket: a line that starts with a statement keyword starts anew.
                if index >= errorAt, case .keyword(let keyword) = tokens[index + 1].kind,
                    Self.statementKeywords.contains(keyword)
                {
                    current = index + 1
                    return
                }
            default: break
            }
            index += 1
        }
        current = tokens.count - 1
    }

    // MARK: - Program and blocks

    /// program → statement* EOF
    mutating func program() -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            skipSeparators()
            if atEnd { return statements }
            if check(.rightBrace) {
                diagnostics.append(Diagnostic(.unexpectedToken, "unexpected '}'", at: peek.range))
                advance()
                continue
            }
            if let statement = statementRecovering() { statements.append(statement) }
        }
    }

    mutating func skipSeparators() {
        while peekKind == .newline || check(.semicolon) { advance() }
    }

    /// One statement; on a syntax error, the error is recorded and the parser skips to the next one.
    mutating func statementRecovering() -> Stmt? {
        let start = current
        do {
            let statement = try statement()
            try endOfStatement()
            return statement
        } catch {
            synchronize(from: start)
            return nil
        }
    }

    mutating func endOfStatement() throws(SyntaxError) {
        // A statement that ends with a block may be followed by another on the same line.
        if previous.kind == .symbol(.rightBrace), current > 0 { return }
        switch peekKind {
        case .newline, .eof, .symbol(.semicolon), .symbol(.rightBrace): return
        default: throw expected("end of statement", id: .expectedStatementEnd)
        }
    }

    /// block → "{" statement* "}"
    mutating func block() throws(SyntaxError) -> Block {
        let opener = try consume(.leftBrace, "'{'")
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw tooDeep(at: opener.range) }
        var statements: [Stmt] = []
        skipSeparators()
        while !check(.rightBrace), !atEnd {
            if let statement = statementRecovering() { statements.append(statement) }
            skipSeparators()
        }
        let closer = try close(.rightBrace, opener: opener)
        return Block(statements: statements, range: opener.range.to(closer.range))
    }

    /// One more operator in a chain: the tree grows one level taller.
    mutating func link(_ links: inout Int, at range: SourceRange) throws(SyntaxError) {
        links += 1
        height += 1
        guard height <= Self.maximumHeight else { throw tooLong(at: range) }
    }

    mutating func tooLong(at range: SourceRange) -> SyntaxError {
        let syntaxError = error(
            .tooDeeplyNested,
            "expression too long (more than \(Self.maximumHeight) operators, calls or nested levels in one expression)",
            at: range)
        current = tokens.count - 1  // nothing after this point can be parsed sensibly
        abandoned = true
        return syntaxError
    }

    mutating func tooDeep(at range: SourceRange) -> SyntaxError {
        let syntaxError = error(
            .tooDeeplyNested, "too deeply nested (more than \(Self.maximumDepth) levels)", at: range)
        current = tokens.count - 1  // nothing after this point can be parsed sensibly
        abandoned = true
        return syntaxError
    }
}

extension TokenKind {
    var symbolText: String {
        if case .symbol(let symbol) = self { return symbol.rawValue }
        return description
    }

    /// Whether this is a lexical error that only more input could fix (an unterminated string).
    func isLexicalErrorAtEnd(tokens: [Token], current: Int) -> Bool {
        guard case .error(let id, _) = self else { return false }
        return id == .unterminatedString && current + 1 < tokens.count && tokens[current + 1].kind == .eof
    }
}
