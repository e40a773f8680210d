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
        guard parsed.diagnostics.isEmpty else { return parsed.diagnostics }
        return compile(parsed.program.statements, source: source, globals: nil).diagnostics
    }

    func compile(
        _ statements: [Stmt], source: SourceFile, globals: GlobalScope?
    ) -> (main: CompiledFunction, diagnostics: [Diagnostic]) {
        let range = SourceRange(0, source.bytes.count)
        let analysis = Compiler(library: library, source: source, globals: globals?.copy())
        let draft = analysis.compileMain(statements, range: range)
        // A program with errors does not run: the second pass (which would extend a REPL
        // session's variables) is skipped.
        guard analysis.diagnostics.isEmpty else { return (draft, analysis.diagnostics) }
        let compiler = Compiler(library: library, source: source, captured: analysis.captured, globals: globals)
        let main = compiler.compileMain(statements, range: range)
        return (main, analysis.diagnostics)
    }

    /// Runs a whole program. `token` interrupts it (Ctrl-C): deferred statements still run.
    ///
    /// A program that ends with a bare expression finishes with its value (`gpus -e 'vms.list()'`);
    /// any other finishes with null.
    public func run(_ source: SourceFile, token: CancellationToken = CancellationToken()) async -> Outcome {
        let parsed = Parser.parse(source)
        guard parsed.diagnostics.isEmpty else { return .invalid(parsed.diagnostics) }
        let (main, diagnostics) = compile(parsed.program.statements, source: source, globals: nil)
        guard diagnostics.isEmpty else { return .invalid(diagnostics) }
        let runtime = makeRuntime(source)
        return await Self.onInterpreterThread(runtime) {
            let context = ExecutionContext(runtime: runtime, token: token)
            let frame = Frame.make(slotCount: main.slotCount, captures: [], context: context)
            return Self.outcome {
                _ = try Self.run(main, frame, at: main.range)
                guard let slot = main.resultSlot else { return .null }
                return Self.unbox(frame.slots[slot])
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

    /// Runs `body` on a thread of its own with a large stack, holding the interpreter lock.
    static func onInterpreterThread<T: Sendable>(_ runtime: Runtime, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                runtime.lock.lock()
                let result = body()
                runtime.lock.unlock()
                continuation.resume(returning: result)
            }
            thread.stackSize = threadStackSize
            thread.start()
        }
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

        public func evaluate(_ text: String, token: CancellationToken = CancellationToken()) async -> Outcome {
            entryCount += 1
            let source = SourceFile(name: "<repl>", text: text)
            let parsed = Parser.parse(source)
            if parsed.isIncomplete { return .incomplete }
            guard parsed.diagnostics.isEmpty else { return .invalid(parsed.diagnostics, source) }
            var statements = parsed.program.statements
            var isExpression = false
            if case .expression(let last)? = statements.last {
                statements[statements.count - 1] = .declaration(name: "_", value: last, last.range)
                isExpression = true
            }
            let (main, diagnostics) = interpreter.compile(statements, source: source, globals: globals)
            guard diagnostics.isEmpty else { return .invalid(diagnostics, source) }
            let runtime = interpreter.makeRuntime(source)
            let slotCount = globals.slotCount
            if slots.count < slotCount { slots += Array(repeating: .null, count: slotCount - slots.count) }
            let initial = slots
            let underscore = globals.variables["_"]?.slot
            let result = await Interpreter.onInterpreterThread(runtime) { () -> (Interpreter.Outcome, [Value]) in
                let context = ExecutionContext(runtime: runtime, token: token)
                let frame = Frame.make(slotCount: max(slotCount, main.slotCount), captures: [], context: context)
                for (index, value) in initial.enumerated() { frame.slots[index] = value }
                let outcome = Interpreter.outcome { try Interpreter.run(main, frame, at: main.range) }
                return (outcome, Array(UnsafeBufferPointer(start: frame.slots, count: slotCount)))
            }
            slots = result.1
            switch result.0 {
            case .finished:
                guard isExpression, let underscore, underscore < slots.count else { return .value(nil) }
                let value = Interpreter.unbox(slots[underscore])
                return .value(value.isNull ? nil : value)
            case .failed(let error): return .failed(error, source)
            case .exited(let code): return .exited(code)
            case .interrupted: return .interrupted
            case .invalid(let diagnostics): return .invalid(diagnostics, source)
            }
        }
    }
}
