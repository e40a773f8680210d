import Dispatch
import Foundation

/// Runs programs: parses and checks the whole source first (every syntax error reported before
/// anything runs), then evaluates on an interpreter thread.
public final class Interpreter: Sendable {
    public struct Options: Sendable {
        public var clock: any LanguageClock
        /// How many `parallel for` iterations run at once.
        public var parallelism: Int
        public var output: @Sendable (String) -> Void
        /// When set, `print` hands its values here instead of writing text to `output`.
        public var valueOutput: (@Sendable ([Value]) -> Void)?
        /// Problems that do not stop the program (a failing deferred statement).
        public var report: @Sendable (RuntimeError) -> Void
        public var waitHook: (any WaitHook)?

        public init(
            clock: any LanguageClock = SystemLanguageClock(), parallelism: Int = 8,
            output: @escaping @Sendable (String) -> Void = { print($0) },
            report: @escaping @Sendable (RuntimeError) -> Void = { _ in }, waitHook: (any WaitHook)? = nil
        ) {
            self.clock = clock
            self.parallelism = parallelism
            self.output = output
            self.report = report
            self.waitHook = waitHook
        }
    }

    /// How a run ended.
    public enum Outcome: Sendable {
        case finished(Value)
        /// Syntax and resolution errors: nothing ran.
        case invalid([Diagnostic])
        case failed(RuntimeError)
        case exited(Int32)
        case interrupted
    }

    public let library: Library
    public let options: Options
    static let threadStackSize = 512 << 20

    public init(library: Library, options: Options = Options()) {
        self.library = library
        self.options = options
    }

    /// Parses and resolves a program without running it.
    public func check(_ source: SourceFile) -> [Diagnostic] {
        let parsed = Parser.parse(source)
        guard parsed.diagnostics.isEmpty else { return syntaxDiagnostics(parsed, source: source) }
        return compile(parsed.program.statements, source: source, globals: nil).diagnostics
    }

    /// A program with syntax errors: those, and the checker's errors in the statements that did
    /// parse (a top-level `break` is reported beside a missing ')'), in source order. Undeclared names
    /// are left out: the declaration may be in a statement that did not parse.
    func syntaxDiagnostics(_ parsed: ParseResult, source: SourceFile, globals: GlobalScope? = nil) -> [Diagnostic] {
        let analysis = Compiler(library: library, source: source, globals: globals?.copy())
        _ = analysis.compileMain(parsed.program.statements, range: SourceRange(0, source.bytes.count))
        let checks = analysis.diagnostics.filter { $0.id != .undeclaredVariable }
        return (parsed.diagnostics + checks).sorted { $0.range.start < $1.range.start }
    }

    func compile(
        _ statements: [Stmt], source: SourceFile, globals: GlobalScope?
    ) -> (main: CompiledFunction, diagnostics: [Diagnostic]) {
        compile(
            statements, source: source, globals: globals,
            captured: CaptureResolver.captures(statements, globals: globals))
    }

    /// Compiles with the declarations `captured` boxed. Should the compiler find another captured
    /// declaration (code already compiled reads it unboxed), it compiles again with it.
    func compile(
        _ statements: [Stmt], source: SourceFile, globals: GlobalScope?, captured: Set<Int>
    ) -> (main: CompiledFunction, diagnostics: [Diagnostic]) {
        let range = SourceRange(0, source.bytes.count)
        var captured = captured
        while true {
            // A REPL session's variables change only with a program that compiled without errors.
            let scope = globals?.copy()
            let compiler = Compiler(library: library, source: source, captured: captured, globals: scope)
            let main = compiler.compileMain(statements, range: range)
            if compiler.captured.isSubset(of: captured) || !compiler.diagnostics.isEmpty {
                if let globals, let scope, compiler.diagnostics.isEmpty { globals.adopt(scope) }
                return (main, compiler.diagnostics)
            }
            captured.formUnion(compiler.captured)
        }
    }

    /// Runs a whole program. `token` interrupts it (Ctrl-C): deferred statements still run.
    ///
    /// A program that ends with a bare expression finishes with its value (`gpus -e 'vms.list()'`);
    /// any other finishes with null.
    public func run(_ source: SourceFile, token: CancellationToken = CancellationToken()) async -> Outcome {
        let parsed = Parser.parse(source)
        guard parsed.diagnostics.isEmpty else { return .invalid(syntaxDiagnostics(parsed, source: source)) }
        let (main, diagnostics) = compile(parsed.program.statements, source: source, globals: nil)
        guard diagnostics.isEmpty else { return .invalid(diagnostics) }
        return await run(main, source: source, token: token)
    }

    /// Runs a whole program given as statements rather than text — a host's call made of values
    /// (`gpus pods create --name a` is `pods.create(name: "a")`), never parsed, so no value can be
    /// read as code. Checked and compiled as a typed program is; `source` names it in errors.
    public func run(
        _ statements: [Stmt], source: SourceFile, token: CancellationToken = CancellationToken()
    ) async
        -> Outcome
    {
        let (main, diagnostics) = compile(statements, source: source, globals: nil)
        guard diagnostics.isEmpty else { return .invalid(diagnostics) }
        return await run(main, source: source, token: token)
    }

    /// Runs a compiled program.
    func run(_ main: CompiledFunction, source: SourceFile, token: CancellationToken) async -> Outcome {
        let runtime = makeRuntime(source)
        return await Self.onInterpreterThread(runtime) {
            Frame.withTopFrame(slotCount: main.slotCount, runtime: runtime, token: token) { frame, context in
                Self.outcome {
                    _ = try Self.run(main, frame, context: context, at: main.range)
                    guard let slot = main.resultSlot else { return .null }
                    return Self.unbox(frame.slots[slot])
                }
            }
        }
    }

    func makeRuntime(_ source: SourceFile) -> Runtime {
        let runtime = Runtime(
            library: library, source: source, clock: options.clock, output: options.output, report: options.report,
            parallelism: options.parallelism, waitHook: options.waitHook)
        runtime.valueOutput = options.valueOutput
        return runtime
    }

    static func outcome(_ body: () throws -> Value) -> Outcome {
        do {
            return .finished(try body())
        } catch let error as RuntimeError {
            return .failed(error)
        } catch let exit as ExitSignal {
            return .exited(exit.code)
        } catch is Interrupted {
            return .interrupted
        } catch {
            return .failed(RuntimeError(.invalidOperation, "\(error)", at: .none))
        }
    }

    /// Runs `body` on a thread of its own with a large stack, holding the interpreter lock. When no
    /// such thread can start (an address-space limit), `body` runs on the calling thread, with the
    /// stack it has: deep recursion then meets the recursion limit sooner, but nothing hangs.
    static func onInterpreterThread<T: Sendable>(_ runtime: Runtime, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let started = startThread {
                runtime.lock.lock()
                let result = body()
                runtime.lock.unlock()
                continuation.resume(returning: result)
            }
            if !started {
                runtime.lock.lock()
                let result = body()
                runtime.lock.unlock()
                continuation.resume(returning: result)
            }
        }
    }

    /// Starts `body` on a new thread with a `threadStackSize` stack; false when the thread cannot be
    /// created (Foundation's `Thread.start` gives no sign of that, so a caller waiting for the body
    /// would wait for ever).
    static func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, threadStackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let status = pthread_create(
            &thread, &attributes,
            { pointer in
                let box = Unmanaged<Box>.fromOpaque(pointer!).takeRetainedValue()
                box.body()
                return nil
            }, box)
        if status != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            return false
        }
        return true
    }
}

typealias Outcome = Interpreter.Outcome

extension Interpreter {
    /// A REPL session: entries share their top-level variables; a bare expression's value is kept
    /// in `_` and returned.
    public final class Session: @unchecked Sendable {
        public let interpreter: Interpreter
        let globals = GlobalScope()
        var slots: [Value] = []
        var entryCount = 0
        /// Deferred statements entered at the prompt, oldest first: they run when the session ends.
        var pendingDefers: [PendingDefer] = []

        /// Compiled code runs only on interpreter threads, under the interpreter lock.
        struct PendingDefer: @unchecked Sendable {
            let range: SourceRange
            let statement: Exec
            let source: SourceFile
        }

        public init(interpreter: Interpreter) { self.interpreter = interpreter }

        public enum Outcome: @unchecked Sendable {
            /// The entry is not finished (open block, bracket, string, trailing operator).
            case incomplete
            case invalid([Diagnostic], SourceFile)
            /// The value of a bare expression, or nil for a statement.
            case value(Value?)
            case failed(RuntimeError, SourceFile)
            case exited(Int32)
            case interrupted
        }

        /// The names of the session's variables (for completion).
        public var variableNames: [String] { globals.names }

        /// The current value of a session variable (for completion).
        public func value(of name: String) -> Value? {
            guard let slot = globals.variables[name]?.slot, slot < slots.count else { return nil }
            return Interpreter.unbox(slots[slot])
        }

        /// Runs one entry. `name` is what diagnostics call the input (`<repl>`, `<stdin>`).
        public func evaluate(
            _ text: String, name: String = "<repl>", token: CancellationToken = CancellationToken()
        ) async -> Outcome {
            let source = SourceFile(name: name, text: text)
            let parsed = Parser.parse(source)
            if parsed.isIncomplete {
                entryCount += 1
                return .incomplete
            }
            guard parsed.diagnostics.isEmpty else {
                entryCount += 1
                return .invalid(interpreter.syntaxDiagnostics(parsed, source: source, globals: globals), source)
            }
            return await evaluate(parsed.program.statements, source: source, token: token)
        }

        /// Runs one entry given as statements rather than text — a host's call made of values
        /// (`gpus mcp` calls `pods.create` with an agent's arguments), never parsed, so no value can
        /// be read as code. Checked and compiled as a typed entry is; `source` names it in errors.
        public func evaluate(
            _ entry: [Stmt], source: SourceFile, token: CancellationToken = CancellationToken()
        ) async -> Outcome {
            entryCount += 1
            var statements = entry
            var isExpression = false
            if case .expression(let last)? = statements.last {
                statements[statements.count - 1] = .declaration(name: "_", value: last, last.range)
                isExpression = true
            }
            let (main, diagnostics) = interpreter.compile(statements, source: source, globals: globals)
            guard diagnostics.isEmpty else { return .invalid(diagnostics, source) }
            main.keepsDefers = true
            let runtime = interpreter.makeRuntime(source)
            let slotCount = globals.slotCount
            if slots.count < slotCount { slots += Array(repeating: .null, count: slotCount - slots.count) }
            let initial = slots
            let underscore = globals.variables["_"]?.slot
            // `_` keeps the last value that was something: `print(…)` (null) leaves it, as Python does.
            let previous = underscore.flatMap { $0 < initial.count ? Interpreter.unbox(initial[$0]) : nil }
            let result = await Interpreter.onInterpreterThread(runtime) {
                () -> (Interpreter.Outcome, [Value], [PendingDefer]) in
                Frame.withTopFrame(slotCount: max(slotCount, main.slotCount), runtime: runtime, token: token) {
                    frame, context in
                    for (index, value) in initial.enumerated() { frame.slots[index] = value }
                    let outcome = Interpreter.outcome {
                        try Interpreter.run(main, frame, context: context, at: main.range)
                    }
                    let defers = frame.defers.map { PendingDefer(range: $0.0, statement: $0.1, source: source) }
                    return (outcome, Array(UnsafeBufferPointer(start: frame.slots, count: slotCount)), defers)
                }
            }
            slots = result.1
            pendingDefers += result.2
            switch result.0 {
            case .finished:
                guard isExpression, let underscore, underscore < slots.count else { return .value(nil) }
                let value = Interpreter.unbox(slots[underscore])
                if value.isNull, let previous, !previous.isNull, case .box(let box) = slots[underscore] {
                    box.value = previous
                }
                return .value(value.isNull ? nil : value)
            case .failed(let error): return .failed(error, source)
            case .exited(let code): return .exited(code)
            case .interrupted: return .interrupted
            case .invalid(let diagnostics): return .invalid(diagnostics, source)
            }
        }

        /// The deferred statements waiting for the session's end, in the order they will run
        /// (last entered first), as their source text.
        public var deferredStatements: [String] {
            pendingDefers.reversed().map { pending in
                let text = pending.source.slice(pending.range).trimmingCharacters(in: .whitespacesAndNewlines)
                return text.hasPrefix("defer") ? text : "defer " + text
            }
        }

        /// Runs the session's deferred statements, last entered first, each even if another fails;
        /// returns their errors with the entry each came from. An `exit` among them is returned too.
        public func runDeferred() async -> (errors: [(RuntimeError, SourceFile)], exit: Int32?) {
            var errors: [(RuntimeError, SourceFile)] = []
            var exitCode: Int32?
            // A statement refused for a dependency (a volume whose pod a later defer deletes) runs
            // again once the others have run.
            var postponed: [PendingDefer] = []
            for round in 0..<2 {
                if round == 1 { pendingDefers = postponed.reversed() }
                while let pending = pendingDefers.popLast() {
                    let runtime = interpreter.makeRuntime(pending.source)
                    let initial = slots
                    let slotCount = max(globals.slotCount, initial.count)
                    let result = await Interpreter.onInterpreterThread(runtime) {
                        () -> ([RuntimeError], [Value], Int32?) in
                        Frame.withTopFrame(slotCount: slotCount, runtime: runtime, token: CancellationToken()) {
                            frame, context in
                            for (index, value) in initial.enumerated() { frame.slots[index] = value }
                            frame.addDefer(pending.range, pending.statement)
                            let failures = Interpreter.runDefers(frame, collecting: true)
                            let exit = context.pendingExit?.code
                            return (
                                failures, Array(UnsafeBufferPointer(start: frame.slots, count: initial.count)), exit
                            )
                        }
                    }
                    slots = result.1
                    if round == 0, !result.0.isEmpty, result.0.allSatisfy({ $0.value.kind == .dependency }) {
                        postponed.append(pending)
                        continue
                    }
                    errors += result.0.map { ($0, pending.source) }
                    exitCode = exitCode ?? result.2
                }
            }
            return (errors, exitCode)
        }
    }
}
