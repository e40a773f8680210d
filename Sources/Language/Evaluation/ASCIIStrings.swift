import Dispatch
import Foundation
import Synchronization

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
