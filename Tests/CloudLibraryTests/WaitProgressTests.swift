import Foundation
import Language
import Testing

@testable import CloudLibrary

/// What a wait shows while it waits: counts per status in one line that fits the terminal, and off a
/// terminal a line now and then for a CI log.
@Suite struct WaitProgressTests {
    @Test func countsPerStatusMostFirst() {
        let type = RecordType(name: "VM", summary: "A VM", fields: [("name", "string"), ("status", "status")])
        let records = ["initializing", "running", "running", "running", "stopped\u{1B}[2J"].enumerated().map {
            Record(type: type, fields: ["name": .string("v\($0)"), "status": .string($1)])
        }
        #expect(CloudWaitHook.summary(records) == "3 running, 1 initializing, 1 stopped\\u{1B}[2J")
    }

    /// The status line's text: the elapsed time of the oldest wait (it ticks between checks), the
    /// counts, and the condition — or, for several waits at once, how many.
    @Test func theStatusLineTicksAndSumsUpWaits() {
        let type = RecordType(name: "Pod", summary: "A pod", fields: [("name", "string"), ("status", "status")])
        func pods(_ statuses: [String]) -> [Record] {
            statuses.map { Record(type: type, fields: ["name": .string("p"), "status": .string($0)]) }
        }
        func check(_ wait: UInt64, _ condition: String, elapsed: Duration) -> WaitCheck {
            WaitCheck(wait: wait, condition: condition, mentionedWords: [], names: [], values: [], elapsed: elapsed)
        }
        let board = CloudWaitHook.Board()
        let now = ContinuousClock.now
        #expect(
            board.update(
                check(1, "p.status == running", elapsed: .seconds(3)), records: pods(["initializing"]), now: now))
        #expect(board.text(now: now) == "⧗ 3s · 1 initializing · waiting for p.status == running")
        // A second later, with no new check, the time has moved on.
        #expect(board.text(now: now + .seconds(1)) == "⧗ 4s · 1 initializing · waiting for p.status == running")
        #expect(!board.update(check(1, "p.status == running", elapsed: .seconds(5)), records: pods(["running"])))
        #expect(
            board.update(check(2, "q.status == running", elapsed: .zero), records: pods(["initializing"]), now: now))
        #expect(board.text(now: now + .seconds(2)) == "⧗ 5s · 1 running, 1 initializing · 2 waits")
        #expect(!board.remove(1))
        #expect(board.remove(2))
        #expect(board.text() == "")
    }

    /// A check's line is written at the wait's next check (so never for the check that ended the
    /// wait), once `every` has passed since the wait began and since the last line.
    @Test func periodicLinesComeAtTheNextCheckAndNotTooOften() {
        let lines = CloudWaitHook.LastLine()
        let every = Duration.milliseconds(0)
        #expect(lines.next(condition: "c", line: "one", elapsed: .seconds(0), every: .seconds(15)) == nil)
        #expect(lines.next(condition: "c", line: "two", elapsed: .seconds(10), every: .seconds(15)) == nil)
        #expect(lines.next(condition: "c", line: "three", elapsed: .seconds(20), every: .seconds(15)) == nil)
        #expect(lines.next(condition: "c", line: "four", elapsed: .seconds(40), every: .seconds(15)) == "three")
        // Another wait on the same condition starts from zero: nothing left over is written.
        #expect(lines.next(condition: "c", line: "again", elapsed: .seconds(1), every: every) == nil)
        let fast = CloudWaitHook.LastLine()
        _ = fast.next(condition: "d", line: "first", elapsed: .zero, every: .zero)
        #expect(fast.next(condition: "d", line: "second", elapsed: .seconds(1), every: .zero) == "first")
    }
}
