import Testing

@testable import Language

/// Frames are pushed and popped in their context's frame memory; one that does not fit gets memory
/// of its own, and the frames below keep their variables.
@Suite struct FrameStackTests {
    static func context() -> ExecutionContext {
        let runtime = Runtime(
            library: Library.core(), source: SourceFile(name: "t", text: ""), clock: VirtualClock(), output: { _ in },
            report: { _ in }, parallelism: 1, waitHook: nil)
        return ExecutionContext(runtime: runtime, token: CancellationToken())
    }

    /// Frames of 1,000 slots, nested until past the frame memory: each keeps its own values, the
    /// ones past the end have memory of their own, and the memory is reused once they end.
    @Test func framesPastTheFrameMemoryGetMemoryOfTheirOwn() {
        let context = Self.context()
        let slotCount = 1000
        let fitting = ExecutionContext.frameMemorySize / Frame.size(slotCount: slotCount)
        var owned: [Bool] = []
        var intact = true
        func nest(_ depth: Int) {
            context.withFrame(slotCount: slotCount, captures: UnsafeBufferPointer(start: nil, count: 0)) { frame in
                owned.append(frame.header.pointee.ownsMemory)
                frame.slots[0] = .int(Int64(depth))
                frame.slots[slotCount - 1] = .string("frame \(depth)")
                if depth < fitting + 3 { nest(depth + 1) }
                guard case .int(let number) = frame.slots[0], number == Int64(depth),
                    case .string(let text) = frame.slots[slotCount - 1], text.value == "frame \(depth)"
                else {
                    intact = false
                    return
                }
            }
        }
        nest(0)
        #expect(intact)
        #expect(owned.count == fitting + 4)
        #expect(owned.prefix(fitting).allSatisfy { !$0 })
        #expect(owned.suffix(4).allSatisfy { $0 })
        // Everything was popped: the next frame starts at the beginning again.
        var again = true
        context.withFrame(slotCount: 1, captures: UnsafeBufferPointer(start: nil, count: 0)) { frame in
            again = !frame.header.pointee.ownsMemory
        }
        #expect(again)
    }

    /// A frame ends when its body throws, too.
    @Test func aFrameEndsWhenItsBodyThrows() {
        struct Stop: Error {}
        let context = Self.context()
        var first: UnsafeMutablePointer<Frame.Header>?
        _ = try? context.withFrame(slotCount: 4, captures: UnsafeBufferPointer(start: nil, count: 0)) { frame in
            first = frame.header
            throw Stop()
        }
        var second: UnsafeMutablePointer<Frame.Header>?
        context.withFrame(slotCount: 4, captures: UnsafeBufferPointer(start: nil, count: 0)) { frame in
            second = frame.header
        }
        #expect(first == second)
    }
}
