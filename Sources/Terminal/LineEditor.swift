import CLibEdit
import Foundation

/// Reads lines with libedit (emacs keys, history, Ctrl-R search, completion) on a terminal, or
/// plainly when stdin is not one. Knows nothing of the language: a completer plugs in.
public final class LineEditor: LineReader {
    public typealias Completer = (String) -> Completion

    final class CompleterBox {
        let completer: Completer
        init(_ completer: @escaping Completer) { self.completer = completer }
    }

    private let editor: OpaquePointer?
    private let box: CompleterBox
    public let isInteractive: Bool

    /// Line editing when both stdin and stdout are terminals, plain reading otherwise.
    public init(program: String = "gpus", completer: @escaping Completer) {
        box = CompleterBox(completer)
        isInteractive = isatty(0) == 1 && isatty(1) == 1
        guard isInteractive else {
            editor = nil
            return
        }
        let callback: gpus_completer = { client, line in
            guard let client, let line else { return nil }
            let box = Unmanaged<CompleterBox>.fromOpaque(client).takeUnretainedValue()
            let completion = box.completer(String(cString: line))
            // The insertion, then what to list under the line.
            let text =
                ([completion.insertion] + (completion.listing(width: LineEditor.terminalWidth).map { [$0] } ?? []))
                .joined(separator: "\n")
            return strdup(text)
        }
        editor = gpus_editor_open(program, Unmanaged.passUnretained(box).toOpaque(), callback)
        if editor == nil {
            let reason = gpus_editor_unavailable_reason().map { String(cString: $0) } ?? "libedit did not start"
            let note = "gpus: line editing is off (\(reason)); reading plain lines\n"
            _ = note.withCString { write(2, $0, strlen($0)) }
        }
    }

    /// Standard output's width (80 when it is not a terminal).
    static var terminalWidth: Int {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Whether libedit can be loaded on this machine, and if not why.
    public static var lineEditingUnavailableReason: String? {
        gpus_editor_unavailable_reason().map { String(cString: $0) }
    }

    deinit {
        if let editor { gpus_editor_close(editor) }
    }

    public func readLine(prompt: String) -> LineInput {
        if let signal = Interrupts.terminationSignal { return .terminated(signal) }
        guard let editor else {
            // A terminal without libedit still shows the prompt; piped input does not.
            if isInteractive {
                _ = prompt.withCString { write(1, $0, strlen($0)) }
            }
            var terminated: Int32 = 0
            guard let line = gpus_plain_read_line(&terminated) else {
                return Interrupts.terminationSignal.map { .terminated($0) } ?? .endOfInput
            }
            defer { free(line) }
            var text = String(cString: line)
            if text.hasSuffix("\r") { text.removeLast() }
            return .line(text)
        }
        gpus_editor_set_prompt(editor, prompt)
        var interrupted: Int32 = 0
        guard let line = gpus_editor_gets(editor, &interrupted) else {
            if let signal = Interrupts.terminationSignal { return .terminated(signal) }
            return interrupted != 0 ? .interrupted : .endOfInput
        }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    public func inputWaiting(within milliseconds: Int32) -> Bool {
        editor == nil ? gpus_plain_input_waiting(milliseconds) != 0 : true
    }

    /// Adds a whole statement (however many lines) as one history entry.
    public func addHistory(_ entry: String) {
        guard let editor, History.keeps(entry) else { return }
        gpus_editor_history_add(editor, entry)
    }

    public func loadHistory(from path: String) {
        guard let editor else { return }
        _ = gpus_editor_history_load(editor, path)
    }

    public func saveHistory(to path: String) {
        guard let editor else { return }
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = gpus_editor_history_save(editor, path)
    }
}
