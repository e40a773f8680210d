import Dispatch
import Foundation
import Synchronization

/// Everything the program writes for a person goes through here, so that a wait's status line (one
/// line on standard error, when it is a terminal) is erased before other text is written and drawn
/// again under it, and is redrawn every second while it is shown: its elapsed time ticks between
/// the wait's checks.
public enum TerminalOutput {
    /// Whether standard error is a terminal (the status line is drawn only there).
    public static let statusIsVisible = isatty(2) == 1

    struct State {
        /// Produces the status line's text each time it is drawn; nil when none is shown.
        var status: (@Sendable () -> String)?
        /// Whether the line is on the screen now.
        var drawn = false
        var ticker: (any DispatchSourceTimer)?
    }

    private static let state = Mutex(State())

    /// Writes `text` to `stream`; a status line shown is erased first and drawn again after.
    public static func write(_ text: String, to stream: StandardStream) {
        state.withLock { state in
            erase(&state)
            stream.write(text)
            draw(&state)
        }
    }

    /// Shows a status line whose text `status` gives (called again every second; one line of
    /// visible characters: `Printer.visible`), replacing any other; nil removes it. Only on a
    /// terminal; cut to the terminal's width.
    public static func setStatus(_ status: (@Sendable () -> String)?) {
        guard statusIsVisible else { return }
        state.withLock { state in
            state.status = status
            if status == nil {
                state.ticker?.cancel()
                state.ticker = nil
                erase(&state)
                return
            }
            draw(&state)
            guard state.ticker == nil else { return }
            let ticker = DispatchSource.makeTimerSource(queue: .global())
            ticker.schedule(deadline: .now() + 1, repeating: 1)
            ticker.setEventHandler { redraw() }
            ticker.resume()
            state.ticker = ticker
        }
    }

    /// Draws the status line again now (its text changed).
    public static func redraw() {
        state.withLock { state in draw(&state) }
    }

    /// Erases the status line from the screen and forgets it (before the prompt).
    public static func clearStatus() {
        setStatus(nil)
    }

    private static func erase(_ state: inout State) {
        guard state.drawn else { return }
        StandardStream.error.write("\u{1B}[2K\r")
        state.drawn = false
    }

    /// One line, never as wide as the terminal, so it cannot wrap and stack.
    private static func draw(_ state: inout State) {
        guard let status = state.status else { return }
        let line = status()
        let room = width - 1
        StandardStream.error.write(
            "\u{1B}[2K\r" + (line.count > room ? String(line.prefix(max(0, room - 1))) + "…" : line))
        state.drawn = true
    }

    /// Standard error's width (80 when it cannot be read).
    public static var width: Int { columns(of: 2) ?? 80 }

    /// How many columns the terminal on `descriptor` has; nil when it is not a terminal.
    public static func columns(of descriptor: Int32) -> Int? {
        var size = winsize()
        guard isatty(descriptor) == 1, ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
            return nil
        }
        return Int(size.ws_col)
    }
}
