import Dispatch
import Foundation
import Synchronization

/// The local variables of one call: a header and the slots after it, in its context's frame
/// memory. A frame lives exactly as long as its call, so frames are pushed and popped like a stack
/// (`ExecutionContext.withFrame`); an allocation and a deallocation per call were a fifth of fib's
/// time. Nothing keeps a frame past its call: closures copy what they capture into boxes when they
/// are made.
struct Frame {
    struct Header {
        let slotCount: Int
        /// The boxes of the variables the function captured, borrowed: the function value being
        /// called holds them for as long as the call runs (retaining them was a retain and a release
        /// per call).
        let captures: UnsafeBufferPointer<Box>
        /// Not retained: whoever makes a context keeps it alive until every frame made with it has
        /// ended (`withExtendedLifetime` where a program, a REPL entry or a parallel iteration
        /// starts), and a call's frame is made with its caller's context.
        let context: Unmanaged<ExecutionContext>
        /// Whether the frame has memory of its own (its context's frame memory was full).
        let ownsMemory: Bool
        /// How many deferred statements the context held when the frame began: the frame's own are
        /// those after them.
        let deferBase: Int
        var returnValue: Value = .null
    }

    let header: UnsafeMutablePointer<Header>

    /// Bytes before the first slot (a multiple of a slot's alignment).
    static let headerSize =
        (MemoryLayout<Header>.stride + MemoryLayout<Value>.alignment - 1) & ~(MemoryLayout<Value>.alignment - 1)

    /// Bytes a frame of `slotCount` slots takes.
    @inline(__always) static func size(slotCount: Int) -> Int {
        headerSize + slotCount * MemoryLayout<Value>.stride
    }

    /// Runs `body` with the first frame of a program (or of a REPL entry, or of its deferred
    /// statements) and a context of its own, kept alive until `body` returns: frames hold their
    /// context unretained, so this is where a context's lifetime is decided.
    static func withTopFrame<R>(
        slotCount: Int, runtime: Runtime, token: CancellationToken, _ body: (Frame, ExecutionContext) throws -> R
    ) rethrows -> R {
        let context = ExecutionContext(runtime: runtime, token: token)
        return try withExtendedLifetime(context) {
            try context.withFrame(slotCount: slotCount, captures: UnsafeBufferPointer(start: nil, count: 0)) {
                try body($0, context)
            }
        }
    }

    /// The slots, valid while the frame lives.
    var slots: UnsafeMutablePointer<Value> {
        @inline(__always) get {
            UnsafeMutableRawPointer(header).advanced(by: Self.headerSize).assumingMemoryBound(to: Value.self)
        }
    }
    /// The captured variables' boxes, valid while the frame lives.
    var captures: UnsafeBufferPointer<Box> { header.pointee.captures }
    var context: ExecutionContext { header.pointee.context.takeUnretainedValue() }
    /// Runs `body` with the frame's context, not retained (the call path).
    @inline(__always) func withContext<R>(_ body: (ExecutionContext) throws -> R) rethrows -> R {
        try header.pointee.context._withUnsafeGuaranteedRef(body)
    }
    /// The frame's deferred statements, first deferred first.
    var defers: ArraySlice<(SourceRange, Exec)> { context.deferred[header.pointee.deferBase...] }
    /// Defers `statement` to the end of the frame's function.
    func addDefer(_ range: SourceRange, _ statement: @escaping Exec) {
        context.deferred.append((range, statement))
    }
    /// Takes the frame's last deferred statement, to run it.
    func popDefer() -> (SourceRange, Exec)? {
        let context = context
        return context.deferred.count > header.pointee.deferBase ? context.deferred.removeLast() : nil
    }
    var returnValue: Value {
        get { header.pointee.returnValue }
        nonmutating _modify { yield &header.pointee.returnValue }
        nonmutating set { header.pointee.returnValue = newValue }
    }
}

/// How a statement ended.
enum Flow {
    case normal, breakLoop, continueLoop, returned
}

typealias Eval = (Frame) throws -> Value
typealias Exec = (Frame) throws -> Flow

/// Compiled code kept in an array. A closure stored directly in an `Array` (a generic container) is
/// kept at its most general representation and every call goes through a conversion thunk; inside
/// a concrete struct it keeps its natural one. (The thunks were a tenth of fib(30)'s time.)
struct ExecStep {
    let run: Exec
}

struct EvalStep {
    let run: Eval
}

/// A compiled call argument: its label and its code.
struct CompiledArgument {
    let label: String?
    let value: Eval
}
