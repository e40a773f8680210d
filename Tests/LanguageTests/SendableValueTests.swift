import Testing

@testable import Language

/// What an async built-in gets: a copy of plain data, turned back into fresh values.
@Suite struct SendableValueTests {
    @Test func aCopyTurnsBackIntoTheSameValue() throws {
        let type = RecordType(name: "VM", summary: "A virtual machine", fields: [("id", "id"), ("status", "status")])
        let error = ErrorValue(
            message: "boom", kind: .api, code: .int(10002), details: ["operation": .string("pods.create")],
            origin: .userError)
        let inner = Value.list(ListBox([.int(1), .float(2.5), .bool(true), .null]))
        let original = Value.map(
            MapBox([
                ("b", inner), ("a", .string("text")), ("status", .status("running")), ("wait", .duration(1500)),
                ("at", .time(1_767_225_600_000)), ("range", .range(from: 1, through: 3)),
                ("vm", .record(Record(type: type, fields: ["id": .int(7), "status": .status("running")]))),
                ("error", .error(error)), ("twice", .list(ListBox([inner, inner]))),
            ]))
        let copy = try SendableValue(copying: original).value
        #expect(Printer.repr(copy) == Printer.repr(original))
        // Fresh objects: changing the copy leaves the original as it was.
        guard case .map(let map) = copy, case .list(let list)? = map["b"] else {
            Issue.record("not a map holding a list")
            return
        }
        list.items.append(.int(9))
        #expect(Printer.repr(original).contains("[1, 2.5, true, null]"))
        guard case .error(let copied)? = map["error"] else {
            Issue.record("no error")
            return
        }
        #expect(Operators.equal(copied.code, .int(10002)) && copied.origin == .userError)
        #expect(copied.details["operation"].map(Printer.text) == "pods.create")
    }

    @Test func aFunctionCrossesAsItsName() throws {
        let function = Value.function(Function(.builtin(Builtin("len", "Length.", body: .sync { _ in .null }))))
        guard case .string(let name) = try SendableValue(copying: function).value else {
            Issue.record("not a string")
            return
        }
        #expect(name.value == "len")
    }

    @Test func cyclesAndSizesAreRefused() {
        let list = ListBox([.int(1)])
        list.items.append(.list(list))
        #expect(throws: SendableValue.Refusal.cycle) { try SendableValue(copying: .list(list)) }
        var deep = Value.list(ListBox([]))
        for _ in 0..<600 { deep = .list(ListBox([deep])) }
        #expect(throws: SendableValue.Refusal.tooDeep) { try SendableValue(copying: deep) }
        var wide = Value.int(1)
        for _ in 0..<30 { wide = .list(ListBox([wide, wide])) }
        #expect(throws: SendableValue.Refusal.tooLarge) { try SendableValue(copying: wide) }
    }
}
