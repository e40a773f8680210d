import Dispatch
import Foundation

extension Interpreter {
    @inline(__always)
    static func unbox(_ value: Value) -> Value {
        if case .box(let box) = value { return box.value }
        return value
    }

    /// Calls a function value with positional argument code: a user function's frame gets the
    /// argument values directly (`arguments`); any other function gets them evaluated (`values`).
    @inline(__always)
    static func invoke<Arguments: PositionalArguments>(
        _ function: Function, arguments: Arguments, values: [Eval], caller: Frame, at range: SourceRange
    ) throws -> Value {
        if let compiled = function.compiled {
            return try function.captures.withUnsafeBufferPointer { captures in
                try invokeUser(compiled, captures: captures, arguments: arguments, caller: caller, at: range)
            }
        }
        return try call(
            function, arguments: try values.map { try $0(caller) }, named: [], at: range, context: caller.context)
    }

    /// Calls a user function with positional argument code evaluated straight into its frame.
    @inline(__always)
    static func invokeUser<Arguments: PositionalArguments>(
        _ function: CompiledFunction, captures: UnsafeBufferPointer<Box>, arguments: Arguments, caller: Frame,
        at range: SourceRange
    ) throws -> Value {
        try caller.withContext { context in
            // Calls look for an interrupt too: Ctrl-C stops code busy in calls, not only loops and waits.
            try context.pollCancelled()
            let parameterCount = function.parameterSlots.count
            guard arguments.count <= parameterCount else {
                throw context.error(
                    .badArgument,
                    "'\(function.name)' takes \(parameterCount) argument\(parameterCount == 1 ? "" : "s"), got \(arguments.count)",
                    at: range)
            }
            return try context.withFrame(slotCount: function.slotCount, captures: captures) { frame in
                try arguments.evaluate(into: frame, of: function, from: caller)
                return try run(
                    function, frame, context: context, at: range,
                    defaultsFrom: arguments.count < parameterCount ? arguments.count : nil)
            }
        }
    }

    /// Stores an argument in the frame of a call: in its parameter's slot, boxed when a closure
    /// captures the parameter.
    @inline(__always)
    static func store(_ value: Value, parameter index: Int, of function: CompiledFunction, in frame: Frame) {
        let (slot, boxed) = function.parameterSlots[index]
        frame.slots[slot] = boxed ? .box(Box(value)) : value
    }

    static func fillDefaults(
        _ function: CompiledFunction, _ frame: Frame, from start: Int, given: Set<Int> = [], at range: SourceRange
    ) throws {
        for index in start..<function.parameterSlots.count where !given.contains(index) {
            guard let defaultValue = function.defaults[index] else {
                throw frame.context.error(
                    .badArgument, "missing argument '\(function.parameterNames[index])' to '\(function.name)'",
                    at: range)
            }
            store(try defaultValue(frame), parameter: index, of: function, in: frame)
        }
    }

    /// Runs a function's body in its frame: the call stack, the depth limit and its deferred
    /// statements. The default values of the parameters from `defaultsFrom` (but those `given`) are
    /// evaluated inside the call, so a default that calls the function (`fn f(a = f())`) counts
    /// against the depth limit like any other recursion.
    static func run(
        _ function: CompiledFunction, _ frame: Frame, context: ExecutionContext, at range: SourceRange,
        defaultsFrom: Int? = nil, given: Set<Int> = []
    ) throws -> Value {
        guard context.pushCall(function, at: range) else {
            throw context.error(
                .stackOverflow,
                "too many nested calls (more than \(Runtime.maximumDepth)): is '\(function.name)' recursing without end?",
                at: range)
        }
        defer { context.popCall() }
        if let start = defaultsFrom { try fillDefaults(function, frame, from: start, given: given, at: range) }
        if !function.usesDefer || function.keepsDefers {
            _ = try function.body(frame)
            return frame.returnValue
        }
        do {
            _ = try function.body(frame)
        } catch var error as RuntimeError {
            error.deferred += runDefers(frame, collecting: true)
            if context.pendingExit != nil {
                // `defer exit 6` ends the program with 6, but the error it was unwinding for (and
                // what its deferred statements failed with) is said first.
                var root = error
                root.deferred = []
                for one in [root] + error.deferred { context.runtime.report(one) }
            }
            try exitFromDefers(context)
            throw error
        } catch {
            runDefers(frame)
            try exitFromDefers(context)
            throw error
        }
        runDefers(frame)
        try exitFromDefers(context)
        return frame.returnValue
    }

    /// `exit` inside a deferred statement: the program exits once the other deferred statements ran.
    static func exitFromDefers(_ context: ExecutionContext) throws {
        guard let exit = context.pendingExit else { return }
        context.pendingExit = nil
        throw exit
    }

    /// Runs deferred statements last-in first-out, each even if another fails, with a fresh
    /// cancellation token so that cleanup runs after an interrupt too. Their errors are reported
    /// as they happen, or — while an error unwinds (`collecting`) — returned, to follow it.
    /// `exit` inside a deferred statement still exits, once every deferred statement has run.
    @discardableResult
    static func runDefers(_ frame: Frame, collecting: Bool = false) -> [RuntimeError] {
        let context = frame.context
        let saved = context.token
        context.token = CancellationToken()
        defer { context.token = saved }
        var collected: [RuntimeError] = []
        func failed(_ error: RuntimeError) {
            var outer = error
            outer.deferred = []
            for one in [outer] + error.deferred {
                if collecting { collected.append(one) } else { context.runtime.report(one) }
            }
        }
        // A deferred statement refused for a dependency (a volume's pod still runs; its own defer
        // deletes it later) runs again once the others have run.
        var postponed: [(SourceRange, Exec)] = []
        func run(_ range: SourceRange, _ statement: @escaping Exec, postponing: Bool) {
            do {
                _ = try statement(frame)
            } catch let error as RuntimeError where postponing && error.value.kind == .dependency {
                postponed.append((range, statement))
            } catch let error as RuntimeError {
                failed(error)
            } catch let exit as ExitSignal {
                context.pendingExit = context.pendingExit ?? exit
            } catch {
                failed(RuntimeError(.deferFailed, "deferred statement failed: \(error)", at: range))
            }
        }
        while let (range, statement) = frame.popDefer() { run(range, statement, postponing: true) }
        for (range, statement) in postponed { run(range, statement, postponing: false) }
        return collected
    }

    /// Calls any function value with evaluated arguments.
    static func call(
        _ function: Function, arguments: [Value], named: [(String, Value)], at range: SourceRange,
        context: ExecutionContext
    ) throws -> Value {
        switch function.kind {
        case .builtin(let builtin):
            return try callBuiltin(
                builtin, receiver: .null, arguments.map { (nil, $0) } + named.map { ($0.0, $0.1) }, at: range,
                context: context)
        case .bound(let builtin, let receiver):
            return try callBuiltin(
                builtin, receiver: receiver, arguments.map { (nil, $0) } + named.map { ($0.0, $0.1) }, at: range,
                context: context)
        case .user(let compiled, let captures):
            try context.pollCancelled()
            guard arguments.count <= compiled.parameterSlots.count else {
                throw context.error(
                    .badArgument,
                    "'\(compiled.name)' takes \(compiled.parameterSlots.count) arguments, got \(arguments.count + named.count)",
                    at: range)
            }
            return try captures.withUnsafeBufferPointer { captures in
                try context.withFrame(slotCount: compiled.slotCount, captures: captures) { frame in
                    try call(compiled, in: frame, arguments: arguments, named: named, at: range, context: context)
                }
            }
        }
    }

    /// Puts evaluated arguments in a new frame's parameters, then runs the function.
    private static func call(
        _ compiled: CompiledFunction, in frame: Frame, arguments: [Value], named: [(String, Value)],
        at range: SourceRange, context: ExecutionContext
    ) throws -> Value {
        var given = Set(0..<arguments.count)
        for (index, value) in arguments.enumerated() { store(value, parameter: index, of: compiled, in: frame) }
        for (name, value) in named {
            guard let index = compiled.parameterNames.firstIndex(of: name) else {
                let hint =
                    suggestion(for: name, among: compiled.parameterNames).map { "; did you mean '\($0)'?" } ?? ""
                throw context.error(.badArgument, "'\(compiled.name)' has no parameter '\(name)'\(hint)", at: range)
            }
            guard given.insert(index).inserted else {
                throw context.error(.badArgument, "argument '\(name)' given twice to '\(compiled.name)'", at: range)
            }
            store(value, parameter: index, of: compiled, in: frame)
        }
        return try run(
            compiled, frame, context: context, at: range,
            defaultsFrom: given.count < compiled.parameterSlots.count ? 0 : nil, given: given)
    }

    /// Matches arguments to a built-in's parameters (the one checking helper), then runs it: a sync
    /// body on this thread, an async body off it with the interpreter lock released.
    static func callBuiltin(
        _ builtin: Builtin, receiver: Value, _ given: [(String?, Value)], at range: SourceRange,
        context: ExecutionContext
    ) throws -> Value {
        var arguments = Arguments(
            builtin: builtin, receiver: receiver, values: ArgumentValues(count: builtin.parameters.count),
            rest: [],
            extraNamed: [], range: range, context: context)
        var position = 0
        for (label, value) in given {
            if let label {
                guard let index = arguments.index(label) else {
                    if builtin.variadic {
                        arguments.extraNamed.append((label, value))
                        continue
                    }
                    let names = builtin.parameters.map(\.name)
                    let hint =
                        context.runtime.library.suggest(label, among: names, scope: builtin.name).map {
                            "; did you mean '\($0)'?"
                        } ?? ""
                    throw arguments.failure("'\(builtin.name)' has no parameter '\(label)'\(hint)")
                }
                guard arguments.values[index] == nil else {
                    throw arguments.failure("argument '\(label)' given twice to '\(builtin.name)'")
                }
                arguments.values[index] = value
            } else {
                while position < builtin.parameters.count, arguments.values[position] != nil { position += 1 }
                if position < builtin.parameters.count {
                    arguments.values[position] = value
                    position += 1
                } else if builtin.variadic {
                    arguments.rest.append(value)
                } else {
                    let count = builtin.parameters.count
                    throw arguments.failure(
                        "'\(builtin.name)' takes \(count) argument\(count == 1 ? "" : "s"), got \(given.count)")
                }
            }
        }
        return try run(builtin, &arguments, at: range, context: context)
    }

    /// A built-in called with positional arguments only (a method call site's fast path): the
    /// argument code runs straight into the parameters' places.
    static func callBuiltin(
        _ builtin: Builtin, receiver: Value, positional: [Eval], frame: Frame, at range: SourceRange
    ) throws -> Value {
        let context = frame.context
        let count = builtin.parameters.count
        var arguments = Arguments(
            builtin: builtin, receiver: receiver, values: ArgumentValues(count: count), rest: [],
            extraNamed: [], range: range, context: context)
        guard positional.count <= count || builtin.variadic else {
            throw arguments.failure(
                "'\(builtin.name)' takes \(count) argument\(count == 1 ? "" : "s"), got \(positional.count)")
        }
        for (index, value) in positional.enumerated() {
            if index < count {
                arguments.values[index] = try value(frame)
            } else {
                arguments.rest.append(try value(frame))
            }
        }
        return try run(builtin, &arguments, at: range, context: context)
    }

    /// Checks that the required arguments are there, then runs the built-in: a sync body on this
    /// thread, an async body off it with the interpreter lock released.
    static func run(
        _ builtin: Builtin, _ arguments: inout Arguments, at range: SourceRange, context: ExecutionContext
    ) throws -> Value {
        for (index, parameter) in builtin.parameters.enumerated()
        where parameter.required && arguments.values[index] == nil {
            throw arguments.failure("missing argument '\(parameter.name)' to '\(builtin.name)'")
        }
        switch builtin.body {
        case .sync(let body):
            return try body(&arguments)
        case .async(let body):
            // Copied while the lock is held: the body runs without it.
            let frozen = try AsyncArguments(copying: arguments)
            do {
                let result = try context.await { try await body(frozen) }
                // Back under the lock: the receiver takes what the method read of its thing.
                if let fresh = frozen.receiverUpdate.fresh.withLock({ $0 }) {
                    _ = Record.refreshing(arguments.receiver, with: fresh)
                }
                if case .record(let receiver) = arguments.receiver, case .record(let fresh) = result,
                    receiver.isSame(as: fresh)
                {
                    receiver.take(fresh)
                    return arguments.receiver
                }
                return result
            } catch var error as RuntimeError {
                if error.range == .none { error.range = range }
                if error.stack.isEmpty { error.stack = context.stack.reversed() }
                throw error
            }
        }
    }

    /// `receiver.name(arguments)`: a function stored in a map or record field, or a method of the
    /// receiver's type.
    static func callMethod(
        _ receiver: Value, _ name: String, _ arguments: [(String?, Value)], at range: SourceRange,
        context: ExecutionContext
    ) throws -> Value {
        let library = context.runtime.library
        switch receiver {
        case .map(let map):
            if case .function(let function)? = map[name] {
                return try call(
                    function, arguments: arguments.filter { $0.0 == nil }.map(\.1),
                    named: arguments.compactMap { pair in pair.0.map { ($0, pair.1) } }, at: range, context: context)
            }
        case .record(let record):
            if case .function(let function)? = record.fields[name] {
                return try call(
                    function, arguments: arguments.filter { $0.0 == nil }.map(\.1),
                    named: arguments.compactMap { pair in pair.0.map { ($0, pair.1) } }, at: range, context: context)
            }
        default: break
        }
        guard let builtin = library.method(name, on: receiver) else {
            let candidates = Array(library.methods[receiver.typeName]?.keys ?? [:].keys)
            let hint =
                library.suggest(name, among: candidates, scope: receiver.typeName).map { "; did you mean '\($0)'?" }
                ?? ""
            throw context.error(.unknownMethod, "\(receiver.typeName) has no method '\(name)'\(hint)", at: range)
        }
        return try callBuiltin(builtin, receiver: receiver, arguments, at: range, context: context)
    }

    /// Runs `function` on each item, several at a time on their own threads, results in input
    /// order; the first error cancels the others and is raised once they have stopped.
    static func runParallel(
        _ function: Function, _ items: [Value], at range: SourceRange, context: ExecutionContext
    ) throws -> [Value] {
        guard !items.isEmpty else { return [] }
        let runtime = context.runtime
        let token = CancellationToken(parent: context.token)
        final class Shared: @unchecked Sendable {
            var results: [Value]
            var next = 0
            var failure: (any Error)?
            init(count: Int) { results = Array(repeating: .null, count: count) }
        }
        let shared = Shared(count: items.count)
        let group = DispatchGroup()
        let workers = max(1, min(runtime.parallelism, items.count))
        let calls = context.calls
        // Takes items until none is left (or one failed); runs with the interpreter lock held.
        @Sendable func work(_ worker: ExecutionContext) {
            while shared.failure == nil, !token.isCancelled, shared.next < items.count {
                let index = shared.next
                shared.next += 1
                do {
                    shared.results[index] = try call(
                        function, arguments: [items[index]], named: [], at: range, context: worker)
                } catch {
                    if shared.failure == nil, !(error is Interrupted && token.isCancelled) {
                        shared.failure = error
                    }
                    token.cancel()
                }
            }
        }
        var started = 0
        for _ in 0..<workers {
            group.enter()
            // A thread that cannot start (an address-space limit: each reserves a large stack) is
            // one worker fewer, never a wait for a thread that does not exist.
            let ok = Interpreter.startThread {
                runtime.lock.lock()
                let worker = ExecutionContext(runtime: runtime, token: token)
                worker.calls = calls
                withExtendedLifetime(worker) { work(worker) }
                runtime.lock.unlock()
                group.leave()
            }
            if ok { started += 1 } else { group.leave() }
        }
        if started == 0 {
            // Not one thread: the iterations run here, one after another.
            let worker = ExecutionContext(runtime: runtime, token: token)
            worker.calls = calls
            withExtendedLifetime(worker) { work(worker) }
        }
        runtime.lock.unlock()
        group.wait()
        runtime.lock.lock()
        if let failure = shared.failure { throw failure }
        try context.checkCancelled()
        return shared.results
    }
}

/// The positional argument code of a call site, by how many arguments there are. One or two are
/// kept as fields of the call site's code: code read from an array was retained and released at
/// every call.
protocol PositionalArguments {
    var count: Int { get }
    /// Evaluates the arguments in the caller's frame into the parameters of `function`'s frame.
    func evaluate(into frame: Frame, of function: CompiledFunction, from caller: Frame) throws
}

struct NoArguments: PositionalArguments {
    var count: Int { 0 }
    @inline(__always) func evaluate(into frame: Frame, of function: CompiledFunction, from caller: Frame) {}
}

struct OneArgument: PositionalArguments {
    let first: Eval
    var count: Int { 1 }
    @inline(__always) func evaluate(into frame: Frame, of function: CompiledFunction, from caller: Frame) throws {
        Interpreter.store(try first(caller), parameter: 0, of: function, in: frame)
    }
}

struct TwoArguments: PositionalArguments {
    let first: Eval
    let second: Eval
    var count: Int { 2 }
    @inline(__always) func evaluate(into frame: Frame, of function: CompiledFunction, from caller: Frame) throws {
        Interpreter.store(try first(caller), parameter: 0, of: function, in: frame)
        Interpreter.store(try second(caller), parameter: 1, of: function, in: frame)
    }
}

struct ManyArguments: PositionalArguments {
    let all: [CompiledArgument]
    var count: Int { all.count }
    func evaluate(into frame: Frame, of function: CompiledFunction, from caller: Frame) throws {
        for index in all.indices {
            Interpreter.store(try all[index].value(caller), parameter: index, of: function, in: frame)
        }
    }
}

/// Makes a call site's code for its arguments' shape (`Compiler.shaped`).
protocol CallSiteMaker {
    func make<Arguments: PositionalArguments>(_ arguments: Arguments) -> Eval
}
