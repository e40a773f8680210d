/// What kind of error it is: `e.kind` in `catch e`, `kind` in `--json`'s errors and in `gpus mcp`'s
/// tool errors — one vocabulary, every kind the tool raises (docs/language.md lists them).
public enum ErrorKind: String, Sendable, CaseIterable, Hashable {
    /// The language's own: a bad operand, an index out of range, a method a value does not have.
    case runtime
    /// `throw` in a program, or `error(…)`.
    case user
    /// An argument of the wrong type, a key a call does not take, a missing argument.
    case argument
    /// A value outside a documented limit, found before anything is sent.
    case validation
    /// The API refused the request: `e.code` is its business code.
    case api
    /// The request could not be sent or its answer was lost (no answer, refused, reset).
    case transport
    /// A `wait until … timeout` ran out.
    case timeout
    /// What a wait waited on reached a state it cannot leave for the one waited for.
    case waitFailed
    /// The run ledger could not record a create, so nothing was sent.
    case ledger
    /// Several resources could be the one meant, so none was taken.
    case ambiguous
    /// `ensure` found the resource, different from what the call asks for.
    case drift
    /// A delete waited for what still uses the resource, and it stayed.
    case dependency
    /// A limit of the run (`limits(…)`, `--max-cost`, `--max-duration`) was reached.
    case limit
    /// A problem found before running (`gpus check`, `--json`): an error the parser or the checker
    /// found is `syntax`, a warning `check`.
    case check
    /// `gpus mcp`: the call was interrupted (the client cancelled it).
    case interrupted
    /// `gpus mcp`: the session has ended.
    case ended
    /// Code that does not parse (`gpus mcp`'s `eval` of unfinished code too).
    case syntax
    /// `gpus mcp`: `plan` could not follow the program.
    case plan
    /// `gpus mcp --read-only`: the tool would change the cloud.
    case readOnly
}
