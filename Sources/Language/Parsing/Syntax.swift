import Synchronization

/// Statements built from values by a host — a one-line command (`gpus pods create --name a`) or an
/// agent's call in `gpus mcp` — instead of program text: what the user typed is a value in the
/// tree and never parsed as code. The nodes have no source range (`SourceRange.none`) but for
/// declarations (see `place`); errors name the command, and `CodeText` shows them as code.
public enum Syntax {
    public static func variable(_ name: String) -> Expr { .variable(name: name, .none) }

    /// A string literal of `text` (the empty string has no parts, as the parser makes it).
    public static func string(_ text: String) -> Expr { .string(parts: text.isEmpty ? [] : [.text(text)], .none) }

    public static func member(_ object: Expr, _ name: String) -> Expr {
        .member(object: object, name: name, nameRange: .none, .none)
    }

    /// `pods.create`, `resource.delete`: a dotted name as a callee.
    public static func callee(_ dotted: String) -> Expr {
        let parts = dotted.split(separator: ".").map(String.init)
        return parts.dropFirst().reduce(variable(parts.first ?? dotted)) { member($0, $1) }
    }

    /// `callee(arguments…)`, each a label (nil: positional) and a value.
    public static func call(_ dotted: String, _ arguments: [(label: String?, value: Expr)] = []) -> Expr {
        call(callee(dotted), arguments)
    }

    public static func call(_ callee: Expr, _ arguments: [(label: String?, value: Expr)] = []) -> Expr {
        .call(
            callee: callee, arguments: arguments.map { CallArgument(label: $0.label, value: $0.value, range: .none) },
            .none)
    }

    /// `let name = value`, at a place of its own.
    public static func declare(_ name: String, _ value: Expr) -> Stmt {
        .declaration(name: name, value: value, place())
    }

    /// A range of no text that no other declaration has: the compiler tells declarations apart by
    /// where they are (`Compiler.key`), so two built at `.none` would be one variable to a function
    /// that captures both. Negative, so it is never a place in a source (it locates nothing).
    public static func place() -> SourceRange {
        let number = placesMade.add(1, ordering: .relaxed).newValue
        return SourceRange(-number, -number)
    }

    private static let placesMade = Atomic<Int>(0)

    /// `wait until subject.status == status [timeout T]`: the status a word of the language (statuses
    /// compare without case).
    public static func wait(until subject: String, is status: String, timeout: Expr?) -> Stmt {
        .waitUntil(
            condition: .binary(op: .equal, left: member(variable(subject), "status"), right: variable(status), .none),
            timeout: timeout, every: nil, .none)
    }

    /// Statements of a fixed program text — a host's own code, with no user input in it (the values
    /// it needs are variables the host declares first). It must parse: a mistake in it is the host's.
    /// One such text per program: the declarations of two would share places.
    public static func statements(_ source: SourceFile) -> [Stmt] {
        let parsed = Parser.parse(source)
        precondition(parsed.diagnostics.isEmpty, "a host's fixed program does not parse: \(parsed.diagnostics)")
        return parsed.program.statements
    }
}
