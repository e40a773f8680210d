import Testing

@testable import Language

/// `MapBox` against a model (an array of pairs): the same answers and the same order after any
/// mix of inserts, updates and removals — across scanning, the hash table, its growth and the
/// squeezing out of holes.
@Suite struct MapBoxTests {
    /// A small deterministic generator (SplitMix64), so that a failure reproduces.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [(keys: 6, operations: 2_000), (keys: 40, operations: 20_000), (keys: 1_000, operations: 20_000)])
    func behavesAsAnOrderedListOfPairs(keys: Int, operations: Int) {
        var generator = Generator(state: UInt64(keys))
        let map = MapBox()
        var model: [(String, Int64)] = []
        for step in 0..<operations {
            // Keys of every shape: short, long (not stored inline), and non-ASCII ones that compare
            // equal in another spelling ("é" composed and decomposed are one key).
            let number = Int.random(in: 0..<keys, using: &generator)
            let key =
                switch number % 4 {
                case 0: "k\(number)"
                case 1: "a rather long key that is not a small string, number \(number)"
                case 2: "caf\u{E9}\(number)"
                default: "n\(number)"
                }
            let spelled = number % 4 == 2 && Bool.random(using: &generator) ? "cafe\u{301}\(number)" : key
            let index = model.firstIndex { $0.0 == key }
            if Int.random(in: 0..<3, using: &generator) == 0 {
                map[spelled] = nil
                if let index { model.remove(at: index) }
            } else {
                map[spelled] = .int(Int64(step))
                if let index { model[index].1 = Int64(step) } else { model.append((key, Int64(step))) }
            }
            #expect(map.count == model.count)
            if case .int(let value)? = map[spelled] {
                #expect(model.first { $0.0 == key }?.1 == value)
            } else {
                #expect(!model.contains { $0.0 == key })
            }
        }
        #expect(map.orderedKeys == model.map(\.0))
        for (key, value) in model {
            guard case .int(let found)? = map[key] else {
                Issue.record("\(key) is missing")
                continue
            }
            #expect(found == value)
        }
        #expect(map["absent"] == nil)
    }

    /// Removing every key, then adding them again: the map ends empty, then whole, in the new order.
    @Test func emptiesAndRefills() {
        let map = MapBox()
        for index in 0..<1_000 { map["key\(index)"] = .int(Int64(index)) }
        for index in 0..<1_000 { map["key\(index)"] = nil }
        #expect(map.count == 0)
        #expect(map.orderedKeys.isEmpty)
        for index in (0..<1_000).reversed() { map["key\(index)"] = .int(Int64(index)) }
        #expect(map.count == 1_000)
        #expect(map.orderedKeys.first == "key999")
        #expect(map.orderedKeys.last == "key0")
    }
}
