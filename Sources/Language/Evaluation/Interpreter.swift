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
        _ = analysis.compileMain(statements, range: range)
        let compiler = Compiler(library: library, source: source, captured: analysis.captured, globals: globals)
        let main = compiler.compileMain(statements, range: range)
        return (main, analysis.diagnostics)
    }

    /// Runs a whole program. `token` interrupts it (Ctrl-C): deferred statements still run.
    public func run(_ source: SourceFile, token: CancellationToken = CancellationToken()) async -> Outcome {
        let parsed = Parser.parse(source)
        guard parsed.diagnostics.isEmpty else { return .invalid(parsed.diagnostics) }
        let (main, diagnostics) = compile(parsed.program.statements, source: source, globals: nil)
        guard diagnostics.isEmpty else { return .invalid(diagnostics) }
        let runtime = makeRuntime(source)
        return await Self.onInterpreterThread(runtime) {
            let context = ExecutionContext(runtime: runtime, token: token)
            let frame = Frame(slotCount: main.slotCount, captures: [], context: context)
            return Self.outcome { try Self.run(main, frame, at: main.range) }
        }
    }

    func makeRuntime(_ source: SourceFile) -> Runtime {
        Runtime(
            library: library, source: source, clock: options.clock, output: options.output, report: options.report,
            parallelism: options.parallelism, waitHook: options.waitHook)
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
