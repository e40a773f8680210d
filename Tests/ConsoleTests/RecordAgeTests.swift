import Foundation
import Language
import Testing

@testable import Console

/// The REPL shows a record's age when it prints one read more than a few seconds ago.
@Suite struct RecordAgeTests {
    let type = RecordType(name: "Pod", summary: "", fields: [("id", ""), ("status", "")], identity: ["id"])

    @Test func anOldRecordShowsItsAgeAFreshOneDoesNot() {
        let now = Date()
        let old = Record(type: type, fields: ["id": .int(1)], fetched: now.addingTimeInterval(-46))
        let fresh = Record(type: type, fields: ["id": .int(2)], fetched: now.addingTimeInterval(-1))
        let made = Record(type: type, fields: ["id": .int(3)])
        #expect(REPL.age(of: .record(old), now: now) == "(as read 46s ago; .refresh() reads it again)")
        #expect(REPL.age(of: .record(fresh), now: now) == nil)
        #expect(REPL.age(of: .record(made), now: now) == nil)
        #expect(REPL.age(of: .list(ListBox([.record(fresh), .record(old)])), now: now)?.contains("46s") == true)
        #expect(REPL.age(of: .int(1), now: now) == nil)
    }

    @Test func aFresherRecordOfTheSameThingIsTakenInPlace() {
        let record = Record(type: type, fields: ["id": .int(1), "status": .string("INITIALIZE")])
        let list = ListBox([.record(record), .int(7)])
        let newer = Record(type: type, fields: ["id": .int(1), "status": .string("RUNNING")], fetched: Date())
        let result = Record.refreshing(.list(list), with: .list(ListBox([.record(newer), .int(7)])))
        guard case .list(let kept) = result else { Issue.record("not a list"); return }
        #expect(kept === list)
        #expect(Printer.text(record.fields["status"] ?? .null) == "RUNNING")
        // Another thing of the type, or a type without identity, is replaced, never merged.
        let other = Record(type: type, fields: ["id": .int(2)])
        #expect(!record.isSame(as: other))
        let plain = RecordType(name: "Cost", summary: "", fields: [("id", "")])
        #expect(!Record(type: plain, fields: ["id": .int(1)]).isSame(as: Record(type: plain, fields: ["id": .int(1)])))
    }
}
