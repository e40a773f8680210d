import Dispatch
import Foundation
import Synchronization

/// Signals that unwind evaluation: errors a program can catch, and exits it cannot.
public struct RuntimeError: Error, @unchecked Sendable {
    public var id: MessageID
    public var message: String
    public var range: SourceRange
    /// The error as the program sees it in `catch e`.
    public var value: ErrorValue
    /// User functions active when the error happened, innermost first: (name, call site).
    public var stack: [(String, SourceRange)] = []
    /// Errors of deferred statements that ran while this error unwound, in the order they ran:
    /// reported after it, each at its own line.
    public var deferred: [RuntimeError] = []

    public init(
        _ id: MessageID, _ message: String, at range: SourceRange, kind: String = "runtime", code: Value = .null,
        value: Value = .null, details: [String: Value] = [:]
    ) {
        self.id = id
        self.message = message
        self.range = range
        self.value = ErrorValue(message: message, kind: kind, code: code, value: value, details: details, origin: id)
    }
}

/// `exit N`: unwinds the whole program, running defers.
public struct ExitSignal: Error, Sendable {
    public var code: Int32
}

/// The program was interrupted (Ctrl-C): unwinds, running defers.
public struct Interrupted: Error, Sendable {
    public init() {}
}

/// Cancels a running program and everything it waits for. Children (parallel iterations) are
/// cancelled with their parent.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)
    private let parent: CancellationToken?
    private let handlers = Mutex<[Int: @Sendable () -> Void]>([:])
    private let nextHandler = Atomic<Int>(0)

    public init(parent: CancellationToken? = nil) { self.parent = parent }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) || (parent?.isCancelled ?? false) }

    public func cancel() {
        flag.store(true, ordering: .relaxed)
        let pending = handlers.withLock { handlers -> [@Sendable () -> Void] in
            defer { handlers.removeAll() }
            return Array(handlers.values)
        }
        for handler in pending { handler() }
    }

    /// Runs `handler` when the token (or a parent) is cancelled; returns what `remove` takes: the
    /// handler's key in this token and in each parent it was also given to.
    func onCancel(_ handler: @escaping @Sendable () -> Void) -> [(CancellationToken, Int)] {
        let key = nextHandler.add(1, ordering: .relaxed).newValue
        handlers.withLock { $0[key] = handler }
        let registrations = [(self, key)] + (parent?.onCancel(handler) ?? [])
        if isCancelled { handler() }
        return registrations
    }

    /// Forgets a handler in every token it was given to. (Forgetting it only in the outermost
    /// kept each async call of a `parallel for` iteration — its task and its result, about 2.4 KB —
    /// in the iteration's token until the loop ended: 804 MB for 8 × 40,000 sleeps.)
    func remove(_ registrations: [(CancellationToken, Int)]) {
        for (token, key) in registrations { _ = token.handlers.withLock { $0.removeValue(forKey: key) } }
    }

    /// How many handlers wait on this token (tests: none may be left behind).
    var waitingHandlers: Int { handlers.withLock { $0.count } }
}

/// The global interpreter lock: interpreter code runs on several threads (parallel for), one at a
/// time; a thread releases the lock while it waits for an async built-in.
final class InterpreterLock: @unchecked Sendable {
    private let mutex = NSLock()
    func lock() { mutex.lock() }
    func unlock() { mutex.unlock() }
}

/// Where time comes from for `wait until` and `sleep`; tests inject a virtual clock.
public protocol LanguageClock: Sendable {
    /// Time since an arbitrary fixed origin (monotonic: `monotonic()`, waits, timeouts).
    func now() -> Duration
    func sleep(for duration: Duration) async throws
    /// The wall clock: milliseconds since 1970-01-01T00:00:00Z (`now()`).
    func wallMillis() -> Int64
}

extension LanguageClock {
    public func wallMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// The real clock.
public struct SystemLanguageClock: LanguageClock {
    let origin = ContinuousClock.now
    public init() {}
    public func now() -> Duration { ContinuousClock.now - origin }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// A clock whose sleeps return at once, moving time forward: deterministic tests of waits.
public final class VirtualClock: LanguageClock {
    private let time = Mutex<Duration>(.zero)
    public init() {}
    public func now() -> Duration { time.withLock { $0 } }
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        advance(by: duration)
    }
    /// Moves time forward; it stops at about 2^63 seconds (a program sleeping the longest duration in
    /// a loop would otherwise overflow `Duration`).
    public func advance(by duration: Duration) {
        time.withLock { $0 = $0 < Self.end - duration ? $0 + duration : Self.end }
    }
    static let end = Duration.seconds(Int64.max)

    /// The wall clock of a virtual run: 2026-01-01T00:00:00Z plus the time slept (saturating).
    public func wallMillis() -> Int64 {
        let elapsed = Checked.int((now() / .milliseconds(1)).rounded(.down)) ?? Int64.max
        let (sum, overflow) = Self.origin.addingReportingOverflow(elapsed)
        return overflow ? Int64.max : sum
    }
    static let origin: Int64 = 1_767_225_600_000
}

/// State shared by every thread of one running program.
final class Runtime: @unchecked Sendable {
    let library: Library
    let lock = InterpreterLock()
    let clock: any LanguageClock
    var output: @Sendable (String) -> Void
    /// When set, `print` hands over its values instead of a line of text (`--json`).
    var valueOutput: (@Sendable ([Value]) -> Void)?
    /// Reports a problem that does not stop the program (an error inside a deferred statement).
    var report: @Sendable (RuntimeError) -> Void
    var parallelism: Int
    var waitHook: (any WaitHook)?
    let source: SourceFile
    /// How deep user functions may call (a constant: reading it costs no retain of the runtime).
    static let maximumDepth = 2000

    init(
        library: Library, source: SourceFile, clock: any LanguageClock, output: @escaping @Sendable (String) -> Void,
        report: @escaping @Sendable (RuntimeError) -> Void, parallelism: Int, waitHook: (any WaitHook)?
    ) {
        self.library = library
        self.source = source
        self.clock = clock
        self.output = output
        self.report = report
        self.parallelism = parallelism
        self.waitHook = waitHook
    }
}

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

    func error(_ id: MessageID, _ message: String, at range: SourceRange, kind: String = "runtime") -> RuntimeError {
        var error = RuntimeError(id, message, at: range, kind: kind)
        error.stack = stack.reversed()
        return error
    }
}

/// Indexing strings in O(1): `s[i]` of a string of characters needs the characters before it.
/// When every byte is ASCII the i-th character is the i-th byte; otherwise the UTF-8 offset of
/// each character's start is found once (4 bytes a character, as the string is scanned for its
/// characters anyway) and kept with the string. Both are remembered for the last few strings
/// indexed, identified by the address of their bytes: the entry keeps its string alive, so no
/// other string can be at that address while it is remembered.
struct ASCIIStrings {
    struct Entry {
        let text: String
        let base: UnsafeRawPointer
        /// Where each character starts; nil when the string is ASCII (each byte is one).
        let offsets: [Int32]?
    }

    var entries: [Entry] = []
    var next = 0
    static let size = 4
    /// Shorter strings are scanned each time (they are stored inline, with no stable address).
    static let minimumLength = 64

    /// Whether each byte is one character: ASCII, without a carriage return ("\r\n" is one character).
    static func isSimple(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }

    /// The UTF-8 offset at which each character of `text` starts.
    static func characterOffsets(_ text: String) -> [Int32] {
        var offsets: [Int32] = []
        offsets.reserveCapacity(text.utf8.count)
        var offset: Int32 = 0
        for character in text {
            offsets.append(offset)
            offset += Int32(character.utf8.count)
        }
        return offsets
    }

    /// The character at `index` (from the end when negative): nil when the caller must count
    /// characters itself (a short string that is not ASCII, or one of 2 GB or more), `.some(nil)`
    /// when out of range.
    mutating func character(of original: String, at index: Int64) -> String?? {
        var text = original
        let count = text.utf8.count
        return text.withUTF8 { bytes -> String?? in
            guard let base = bytes.baseAddress else { return .some(nil) }
            let offsets: [Int32]?
            if count < Self.minimumLength {
                guard Self.isSimple(bytes) else { return nil }
                offsets = nil
            } else if let entry = entries.first(where: {
                $0.base == UnsafeRawPointer(base) && $0.text.utf8.count == count
            }) {
                offsets = entry.offsets
            } else {
                guard count < Int(Int32.max) else { return nil }
                offsets = Self.isSimple(bytes) ? nil : Self.characterOffsets(original)
                let entry = Entry(text: original, base: UnsafeRawPointer(base), offsets: offsets)
                if entries.count < Self.size {
                    entries.append(entry)
                } else {
                    entries[next] = entry
                    next = (next + 1) % Self.size
                }
            }
            guard let offsets else {
                guard let position = Interpreter.position(index, count: count) else { return .some(nil) }
                return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[position...position]), as: UTF8.self))
            }
            guard let position = Interpreter.position(index, count: offsets.count) else { return .some(nil) }
            let start = Int(offsets[position])
            let end = position + 1 < offsets.count ? Int(offsets[position + 1]) : count
            return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        }
    }
}

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

/// What `wait until` asks of the host before each check (the cloud library refreshes records).
public protocol WaitHook: Sendable {
    /// Fresh values for the variables the condition reads, and whether the condition can still
    /// become true.
    func refresh(_ check: WaitCheck) async throws -> WaitRefresh
    /// The wait `check.wait` ended (its condition held, it failed, timed out or was cancelled):
    /// whatever shows its progress stops. Called once per wait that was refreshed.
    func ended(wait: UInt64)
}

extension WaitHook {
    public func ended(wait: UInt64) {}
}

/// What a wait hook found: fresh values (nil keeps a value), and — when a record reached a failure
/// state the condition does not mention — why waiting longer is pointless. The wait still succeeds
/// if the condition is true with the fresh values.
public struct WaitRefresh: @unchecked Sendable {
    public var values: [Value?]
    public var blocked: String?

    public init(values: [Value?], blocked: String? = nil) {
        self.values = values
        self.blocked = blocked
    }
}

/// One check of a `wait until`: the condition's text, the status words it mentions, and copies
/// of the current values of the variables it reads (made while the interpreter lock is held: the
/// hook runs without it).
public struct WaitCheck: Sendable {
    /// Which wait this check belongs to (one number per `wait until` run; waits of `parallel for`
    /// iterations run at once).
    public var wait: UInt64
    public var condition: String
    public var mentionedWords: Set<String>
    public var names: [String]
    public var values: [SendableValue]
    public var elapsed: Duration

    public init(
        wait: UInt64, condition: String, mentionedWords: Set<String>, names: [String], values: [SendableValue],
        elapsed: Duration
    ) {
        self.wait = wait
        self.condition = condition
        self.mentionedWords = mentionedWords
        self.names = names
        self.values = values
        self.elapsed = elapsed
    }

    static let counter = Atomic<UInt64>(0)

    /// A number no other wait of this process has.
    static func nextWait() -> UInt64 { counter.add(1, ordering: .relaxed).newValue }
}

/// The result of an async built-in, handed from its task to the waiting interpreter thread.
final class AsyncOutcome<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
