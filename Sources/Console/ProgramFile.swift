import Foundation
import Language

/// A program file that cannot be read, and why: the one message `gpus FILE`, `gpus check`,
/// `gpus plan`, `:load` and `gpus mcp`'s `run_recipe` give.
public struct ProgramFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot read '\(path)': \(reason)" }
}

extension SourceFile {
    /// The program in the file at `path`: any file that can be read to its end — a regular file, a
    /// pipe or `<(…)`, `/dev/stdin` — as UTF-8 text.
    public static func read(file path: String) throws(ProgramFileError) -> SourceFile {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ProgramFileError(path: path, reason: "no such file")
        }
        if isFolder.boolValue { throw ProgramFileError(path: path, reason: "it is a folder") }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ProgramFileError(path: path, reason: String(cString: strerror(errno)).lowercased())
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let bytes: Data
        do {
            bytes = try handle.readToEnd() ?? Data()
        } catch {
            throw ProgramFileError(path: path, reason: "\(error.localizedDescription)")
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw ProgramFileError(path: path, reason: "not UTF-8 text (\(firstInvalid(bytes)))")
        }
        return SourceFile(name: path, text: text)
    }

    /// Where UTF-8 decoding fails: `byte 0xFF at offset 12`.
    static func firstInvalid(_ bytes: Data) -> String {
        var offset = 0
        let array = [UInt8](bytes)
        while offset < array.count {
            let lead = array[offset]
            let length =
                lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            let end = offset + length
            guard length > 0, end <= array.count,
                String(bytes: array[offset..<end], encoding: .utf8) != nil
            else {
                return "byte 0x" + String(lead, radix: 16, uppercase: true) + " at offset \(offset)"
            }
            offset = end
        }
        return "at the end"
    }
}
