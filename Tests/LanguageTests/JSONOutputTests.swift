import Testing

@testable import Language

/// JSON for other programs (`--json`, `-o json`) survives readers that hold numbers as doubles;
/// JSON a program makes (`json()`) and request bodies keep integers exact as integers.
@Suite struct JSONOutputTests {
    @Test func idsAndIntegersPastTwoToThe53AreStringsForReaders() {
        let value = Value.map(
            MapBox([
                ("id", .int(917_664_454_324_256_770)), ("vmTypeId", .int(101)), ("big", .int(9_007_199_254_740_993)),
                ("edge", .int(9_007_199_254_740_992)), ("negative", .int(-9_007_199_254_740_993)), ("small", .int(5)),
                ("items", .list(ListBox([.map(MapBox([("endpointId", .int(7))]))]))),
            ]))
        #expect(
            JSONBridge.line(value)
                == #"{"id":"917664454324256770","vmTypeId":"101","big":"9007199254740993","edge":9007199254740992,"negative":"-9007199254740993","small":5,"items":[{"endpointId":"7"}]}"#
        )
        #expect(
            (try? JSONBridge.text(value))
                == #"{"id":917664454324256770,"vmTypeId":101,"big":9007199254740993,"edge":9007199254740992,"negative":-9007199254740993,"small":5,"items":[{"endpointId":7}]}"#
        )
    }
}
