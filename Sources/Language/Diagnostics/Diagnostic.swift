/// A problem found in a program: made by the lexer, parser, resolver or evaluator, shown by
/// `DiagnosticRenderer`. Nothing that finds a problem prints it.
public struct Diagnostic: Error, Hashable, Sendable {
    public enum Severity: String, Sendable { case error, warning, note }

    public var severity: Severity
    public var id: MessageID
    public var message: String
    public var range: SourceRange
    /// Extra lines printed after the source excerpt (`in fn deploy at 12:5`, suggestions).
    public var notes: [String]
    /// For a runtime error: its `e.kind` (`api`, `timeout`, `user`, …), the one vocabulary of both
    /// `catch e` and the JSON output.
    public var kind: ErrorKind?
    /// For a runtime error with a code (an API business code, a thrown code): the code, as data.
    public var code: Int64?

    public init(
        _ id: MessageID, _ message: String, at range: SourceRange, severity: Severity = .error, notes: [String] = [],
        kind: ErrorKind? = nil, code: Int64? = nil
    ) {
        self.severity = severity
        self.id = id
        self.message = message
        self.range = range
        self.notes = notes
        self.kind = kind
        self.code = code
    }
}

/// Named message ids: tests assert these, so wording can change.
public enum MessageID: String, Sendable, Hashable {
    // Lexing
    case unexpectedCharacter, unterminatedString, invalidEscape, invalidNumber, invalidDuration
    // Parsing
    case expectedExpression, expectedToken, expectedIdentifier, unexpectedToken, invalidAssignmentTarget
    case unclosedDelimiter, tooDeeplyNested, expectedStatementEnd
    // Resolving
    case limitsNotFirst
    case undeclaredVariable, redeclaredVariable, assignToConstant, breakOutsideLoop, returnOutsideFunction
    case duplicateParameter, notCalled
    // Running
    case typeMismatch, divisionByZero, indexOutOfRange, unknownField, unknownMethod, badArgument, notCallable
    case userError, waitTimeout, waitFailed, interrupted, deferFailed, stackOverflow, unknownKey, invalidOperation
    case apiError
}
