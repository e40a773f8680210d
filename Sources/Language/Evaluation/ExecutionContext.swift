import Dispatch
import Foundation
import Synchronization

/// One thread of execution: its cancellation token and its stack of user functions.
final class ExecutionContext: @unchecked Sendable {
    let runtime: Runtime
    var token: CancellationToken
    typealias Call = (function: Unmanaged<CompiledFunction>, range: SourceRange)
    /// The user functions being run, innermost last, in room for `Runtime.maximumDepth` made with
    /// the context: an array checked its uniqueness and capacity at every call. Unmanaged: compiled
    /// functions live as long as the program, and a retain per call showed in the profile.
    private let callStack = UnsafeMutablePointer<Call>.allocate(capacity: Runtime.maximumDepth)
    private(set) var depth = 0

    /// Enters a call; false when `Runtime.maximumDepth` calls are already running.
    @inline(__always) func pushCall(_ function: CompiledFunction, at range: SourceRange) -> Bool {
        guard depth < Runtime.maximumDepth else { return false }
        (callStack + depth).initialize(to: (.passUnretained(function), range))
        depth += 1
        return true
    }

    @inline(__always) func popCall() {
        depth -= 1
        (callStack + depth).deinitialize(count: 1)
    }

    /// Where this context's frames live, pushed and popped with calls (`withFrame`). Reserved,
    /// not touched: the system gives it pages as frames reach them. A frame that does not fit
    /// (a deep recursion of functions with thousands of variables) gets memory of its own, and so
    /// does every frame when the reservation failed (an address-space limit).
    private let frameMemory = malloc(ExecutionContext.frameMemorySize)
    private let frameCapacity: Int
    private var frameTop = 0
    static let frameMemorySize = 1 << 20

    /// Runs `body` with a new frame: `slotCount` slots, all null, and the captured variables'
    /// boxes. The frame ends when `body` returns or throws.
    @inline(__always) func withFrame<R>(
        slotCount: Int, captures: UnsafeBufferPointer<Box>, _ body: (Frame) throws -> R
    ) rethrows -> R {
        let size = Frame.size(slotCount: slotCount)
        let ownsMemory = frameTop + size > frameCapacity
        let memory =
            ownsMemory
            ? UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<Value>.alignment)
            : frameMemory.unsafelyUnwrapped + frameTop
        if !ownsMemory { frameTop += size }
        let header = memory.bindMemory(to: Frame.Header.self, capacity: 1)
        header.initialize(
            to: Frame.Header(
                slotCount: slotCount, captures: captures, context: .passUnretained(self), ownsMemory: ownsMemory,
                deferBase: deferred.count))
        let frame = Frame(header: header)
        let slots = (memory + Frame.headerSize).bindMemory(to: Value.self, capacity: slotCount)
        slots.initialize(repeating: .null, count: slotCount)
        defer {
            // One slot at a time: `deinitialize(count:)` went through the runtime's generic
            // destruction of arrays, a tenth of a small frame's cost.
            for index in 0..<slotCount { _ = (slots + index).move() }
            header.deinitialize(count: 1)
            if ownsMemory {
                memory.deallocate()
            } else {
                frameTop -= size
                assert(memory == frameMemory.unsafelyUnwrapped + frameTop, "frames end in the order they began")
            }
        }
        return try body(frame)
    }

    /// The calls being run (a parallel iteration starts with its parent's).
    var calls: [Call] {
        get { Array(UnsafeBufferPointer(start: callStack, count: depth)) }
        set {
            callStack.deinitialize(count: depth)
            depth = min(newValue.count, Runtime.maximumDepth)
            callStack.initialize(from: newValue, count: depth)
        }
    }
    /// The deferred statements of the frames being run, oldest first: each frame's are those after
    /// its `deferBase` (one array for the context, not one per frame: an empty array made and
    /// destroyed with each frame was a retain and a release per call).
    var deferred: [(SourceRange, Exec)] = []
    /// An `exit` run by a deferred statement, raised once the other deferred statements have run.
    var pendingExit: ExitSignal?
    /// Which strings recently indexed are ASCII, so that `s[i]` in a loop is O(1).
    var asciiStrings = ASCIIStrings()

    /// The call stack as names and call sites, for errors.
    var stack: [(String, SourceRange)] {
        calls.map { ($0.function.takeUnretainedValue().name, $0.range) }
    }

    init(runtime: Runtime, token: CancellationToken) {
        self.runtime = runtime
        self.token = token
        frameCapacity = frameMemory == nil ? 0 : Self.frameMemorySize
    }

    deinit {
        callStack.deinitialize(count: depth)
        callStack.deallocate()
        free(frameMemory)
    }

    @inline(__always)
    func checkCancelled() throws {
        if token.isCancelled { throw Interrupted() }
    }

    /// Calls and loop iterations look at the token once every `pollInterval` times: a look reads an
    /// atomic through the token (retained and released, as the token can be replaced), which was a
    /// tenth of a call's reference counting. An interrupt still stops busy code within microseconds.
    static let pollInterval = 64
    private var untilPoll = 0

    @inline(__always)
    func pollCancelled() throws {
        untilPoll &-= 1
        if untilPoll < 0 {
            untilPoll = Self.pollInterval - 1
            try checkCancelled()
        }
    }

    /// Runs an async built-in from interpreter code: the lock is released while it runs, and
    /// cancelling the token cancels it.
    func await<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        try checkCancelled()
        let outcome = AsyncOutcome<T>()
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
            done.signal()
        }
        let registration = token.onCancel { task.cancel() }
        runtime.lock.unlock()
        done.wait()
        runtime.lock.lock()
        token.remove(registration)
        if token.isCancelled { throw Interrupted() }
        guard let result = outcome.result else { throw Interrupted() }
        return try result.get()
    }

    func error(_ id: MessageID, _ message: String, at range: SourceRange, kind: ErrorKind = .runtime) -> RuntimeError {
        var error = RuntimeError(id, message, at: range, kind: kind)
        error.stack = stack.reversed()
        return error
    }
}
