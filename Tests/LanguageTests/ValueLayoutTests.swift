import Testing

@testable import Language

/// The size of a value is what a list of a million ints costs: one word of payload and a tag.
@Suite struct ValueLayoutTests {
    @Test func aValueTakesSixteenBytesInAnArray() {
        #expect(MemoryLayout<Value>.size == 9)
        #expect(MemoryLayout<Value>.stride == 16)
    }

    @Test func stringsAndRangesReadAsBefore() {
        #expect(Printer.text(.string("pod-1")) == "pod-1")
        #expect(Printer.repr(.range(from: 1, upTo: 4)) == "1..<4")
        #expect(Operators.equal(.string("a"), .string("a")))
        #expect(Operators.equal(.status("running"), .string("RUNNING")))
    }
}
