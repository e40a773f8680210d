import Foundation
import TestSupport
import Testing

/// The real binary in a pseudo-terminal, driven with tmux as a person would.
@Suite(.serialized) struct TerminalTests {
    final class Terminal {
        let name = "gpus-test-\(UUID().uuidString.prefix(8))"
        let folder: URL

        /// `gpus arguments` in a 120×50 terminal, in a folder of its own (config, state and history
        /// inside it); `prepare` writes files there first.
        init(
            arguments: String = "", expecting prompt: String = "gpus(sandbox)>", environment: String = "",
            width: Int = 120, prepare: (URL) throws -> Void = { _ in }
        )
            throws
        {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try prepare(folder)
            let binary = Built.gpus
            let command =
                "cd \(folder.path) && env -u YOTTA_API_KEY -u GPUS_PROFILE GPUS_SANDBOX_STATE=\(folder.path)/state.sqlite GPUS_SANDBOX_SPEED=100 "
                + "XDG_STATE_HOME=\(folder.path)/state XDG_CONFIG_HOME=\(folder.path)/config TERM=xterm \(environment) \(binary.path) \(arguments)"
            try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", "50", command])
            try tmux(["set-option", "-t", name, "remain-on-exit", "on"])
            try waitFor(prompt)
        }

        /// Every terminal has its own tmux server (`-L`), so a tmux the user or the machine runs is
        /// never touched, and `kill-server` leaves nothing behind.
        deinit {
            _ = try? tmux(["kill-server"])
            try? FileManager.default.removeItem(at: folder)
        }

        @discardableResult
        func tmux(_ arguments: [String]) throws -> String {
            let result = try ChildProcess.runBlocking(["tmux", "-L", name] + arguments)
            guard result.status == 0 else { throw TerminalError.tmux(arguments, result.status) }
            return result.stdout
        }

        func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }
        func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }
        var screen: String { (try? tmux(["capture-pane", "-t", name, "-p"])) ?? "" }

        /// Waits until the screen contains `text` (30 s at most: the whole suite on two cores can hold
        /// a REPL for seconds); returns how long it took.
        @discardableResult
        func waitFor(_ text: String, timeout: TimeInterval = 30) throws -> TimeInterval {
            let start = Date()
            while !screen.contains(text) {
                if Date().timeIntervalSince(start) > timeout { throw TerminalError.timeout(text, screen) }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return Date().timeIntervalSince(start)
        }
    }

    enum TerminalError: Error {
        case timeout(String, String)
        case tmux([String], Int32)
    }

    @Test func typingAndEditingALine() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("let x = 20")
            try terminal.keys("Enter")
            try terminal.type("x * 2 + 99")
            try terminal.keys("BSpace", "BSpace", "BSpace", "BSpace", "BSpace")  // "x * 2"
            try terminal.keys("C-a")
            try terminal.type("1 + ")
            try terminal.keys("Enter")
            try terminal.waitFor("\n41\n")
        }
    }

    /// libedit is loaded at run time: where it is missing, the REPL says so once and reads plain
    /// lines, with its prompt.
    @Test func withoutLibeditTheREPLReadsPlainLines() async throws {
        try await offPool {
            let terminal = try Terminal(environment: "GPUS_LIBEDIT=/nonexistent/libedit.so.2")
            try terminal.waitFor("line editing is off")
            try terminal.type("let x = 40 + 2")
            try terminal.keys("Enter")
            // Without line editing the terminal echoes keys as they come: type the next line only once
            // its prompt is drawn, as a person would.
            try terminal.waitFor("let x = 40 + 2\ngpus(sandbox)>")
            try terminal.type("x")
            try terminal.keys("Enter")
            try terminal.waitFor("\n42\n")
            #expect(terminal.screen.contains("gpus(sandbox)> x"))
        }
    }

    /// Stopped (Ctrl-Z) and continued (`fg`) at the prompt, the REPL draws its prompt again with what
    /// was typed, at once (it waited for the next key), and the line goes on from there.
    @Test func continuedAfterAStopThePromptComesBackWithTheLine() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("print(40 + ")
            try terminal.waitFor("gpus(sandbox)> print(40 +")
            let shell = try terminal.tmux(["display-message", "-p", "-t", terminal.name, "#{pane_pid}"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let children = try ChildProcess.runBlocking(["pgrep", "-P", shell]).stdout.split(separator: "\n")
            let pid = try #require(children.compactMap { Int32($0) }.first ?? Int32(shell))
            // Stopped as Ctrl-Z stops it (SIGTSTP would be discarded: tmux's pane is an orphaned
            // group), then continued as `fg` continues it (tmux itself continues a stopped pane too).
            kill(pid, SIGSTOP)
            kill(pid, SIGCONT)
            let line = "gpus(sandbox)> print(40 +"
            let deadline = Date().addingTimeInterval(30)
            while terminal.screen.components(separatedBy: line).count < 3, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(terminal.screen.components(separatedBy: line).count >= 3, "\(terminal.screen)")
            try terminal.type("2)")
            try terminal.keys("Enter")
            try terminal.waitFor("\n42\n")
        }
    }

    /// Ctrl-C at an idle prompt drops the line and draws a fresh prompt at once; the next entry runs.
    /// In a Ctrl-R search it cancels the search the same way.
    @Test func ctrlCAtThePromptAndInASearchStartsAFreshLine() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("print(\"dropped\")")
            try terminal.keys("C-c")
            try terminal.waitFor("gpus(sandbox)> print(\"dropped\")\ngpus(sandbox)>")
            try terminal.type("print(6 * 7)")
            try terminal.keys("Enter")
            try terminal.waitFor("\n42\n")
            #expect(!terminal.screen.contains("dropped\n"), "the dropped line did not run")
            // Each step waits for the screen: keys typed ahead of a loaded REPL land in the search.
            let prompts = terminal.screen.components(separatedBy: "gpus(sandbox)>").count
            try terminal.keys("C-r")
            try terminal.waitFor("bck")
            try terminal.type("pri")
            try terminal.keys("C-c")
            let deadline = Date().addingTimeInterval(30)
            while terminal.screen.components(separatedBy: "gpus(sandbox)>").count <= prompts, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            try terminal.type("print(\"after search\")")
            try terminal.keys("Enter")
            try terminal.waitFor("\nafter search\n")
        }
    }

    /// A wait's status line at 80 columns: one line, counts first, never wider than the terminal,
    /// and gone before the next prompt.
    @Test func theWaitStatusLineFitsAndIsCleared() async throws {
        try await offPool {
            let terminal = try Terminal(environment: "GPUS_SANDBOX_SPEED=10", width: 80)
            try terminal.type(
                "let xs = [vms.create(name: \"a\", vmTypeId: 101, region: \"us-east-1\"), vms.create(name: \"b\", vmTypeId: 101, region: \"us-east-1\")]"
            )
            try terminal.keys("Enter")
            try terminal.waitFor("us-east-1\")]\ngpus(sandbox)>", timeout: 10)
            try terminal.type(
                "wait until xs.all(v -> v.status == running and v.name != \"a condition long enough to pass the edge\")"
            )
            try terminal.keys("Enter")
            try terminal.waitFor("· 2 initializing · waiting for")
            let line = terminal.screen.split(separator: "\n").first { $0.contains("⧗") } ?? ""
            #expect(line.count <= 80, "\(line)")
            #expect(line.hasSuffix("…"))
            // When the wait ends, the line is gone and the prompt starts a line of its own.
            let deadline = Date().addingTimeInterval(30)
            func lastLine() -> String {
                terminal.screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(
                    String.init) ?? ""
            }
            while terminal.screen.contains("⧗"), Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            #expect(!terminal.screen.contains("⧗"), "cleared: \(terminal.screen)")
            #expect(lastLine() == "gpus(sandbox)>", "\(terminal.screen)")
        }
    }

    @Test func upRecallsAMultiLineStatementWhole() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("fn add(a, b) {")
            try terminal.keys("Enter")
            try terminal.waitFor("...>")
            try terminal.type("return a + b")
            try terminal.keys("Enter")
            try terminal.type("}")
            try terminal.keys("Enter")
            try terminal.type("add(40, 2)")
            try terminal.keys("Enter")
            try terminal.waitFor("\n42\n")
            try terminal.keys("Up", "Up")
            try terminal.waitFor("return a + b\n}")
        }
    }

    @Test func tabCompletesOperationsAndFields() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("vms.cr")
            try terminal.keys("Tab")
            try terminal.waitFor("vms.create(")
            try terminal.keys("C-u")
            try terminal.type("let vm = vms.create(name: \"t\", vmTypeId: 101, region: \"us-east-1\")")
            try terminal.keys("Enter")
            try terminal.type("vm.name")
            try terminal.keys("Enter")
            try terminal.waitFor("\nt\n")
            try terminal.type("vm.gpuD")
            try terminal.keys("Tab")
            try terminal.waitFor("vm.gpuDisplayName")
        }
    }

    @Test func tabCompletesGPUTypeCodesInsideAString() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("pods.create(gpuType: \"NVIDIA_RTX_40")
            try terminal.keys("Tab")
            try terminal.waitFor("pods.create(gpuType: \"NVIDIA_RTX_4090_24G\"")
        }
    }

    @Test func ctrlCStopsAWaitWithinASecond() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("let vm = vms.create(name: \"w\", vmTypeId: 101, region: \"us-east-1\")")
            try terminal.keys("Enter")
            try terminal.type("wait until vm.status == stopped")
            try terminal.keys("Enter")
            try terminal.waitFor("⧗")  // in the wait: its status line is drawn
            try terminal.keys("C-c")
            let took = try terminal.waitFor("interrupted")
            #expect(took < 1)
            try terminal.type("print(\"still here\")")
            try terminal.keys("Enter")
            try terminal.waitFor("\nstill here")
        }
    }

    @Test func saveWritesARecipeThatRuns() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("let greeting = \"hello from a saved session\"")
            try terminal.keys("Enter")
            try terminal.type("nope")  // fails: not saved
            try terminal.keys("Enter")
            try terminal.type("print(greeting)")
            try terminal.keys("Enter")
            try terminal.type(":save recipe.gpus")
            try terminal.keys("Enter")
            try terminal.waitFor("saved 2 statement(s)")
            let binary = Built.gpus
            let result = try ChildProcess.runBlocking([
                binary.path, terminal.folder.appendingPathComponent("recipe.gpus").path,
            ])
            #expect(result.status == 0)
            #expect(result.stdout == "hello from a saved session\n")
            let check = try ChildProcess.runBlocking([
                binary.path, "check", terminal.folder.appendingPathComponent("recipe.gpus").path,
            ])
            #expect(check.status == 0, "\(check.stdout)")
            // An existing file is not overwritten without a yes.
            try terminal.type(":save recipe.gpus")
            try terminal.keys("Enter")
            try terminal.waitFor("exists; overwrite it? [y/N]")
            try terminal.keys("Enter")
            try terminal.waitFor("not saved: recipe.gpus exists")
        }
    }

    @Test func ctrlDListsAStillRunningVM() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("vms.create(name: \"forgotten\", vmTypeId: 101, region: \"us-east-1\")")
            try terminal.keys("Enter")
            try terminal.waitFor("initializing")
            try terminal.keys("C-d")
            try terminal.waitFor("still billing")
            #expect(terminal.screen.contains("VM forgotten ("))
            try terminal.type("y")
            try terminal.keys("Enter")
            try terminal.waitFor("deleted VM forgotten")
        }
    }

    /// `gpus run --plan-first`: the plan, then y/N on the terminal; "n" creates nothing, "y" runs
    /// (`gpus --plan-first FILE` too).
    @Test func planFirstAsksOnTheTerminalBeforeRunning() async throws {
        try await offPool {
            let recipe =
                "let p = pods.create(name: \"asked\", image: \"a/b:1\", gpuType: \"NVIDIA_H100_80G\", gpuCount: 1)\nprint(\"made\", p.name)\n"
            let writeRecipe: (URL) throws -> Void = { folder in
                try recipe.write(to: folder.appendingPathComponent("r.gpus"), atomically: true, encoding: .utf8)
            }
            let no = try Terminal(
                arguments: "run --plan-first r.gpus; echo \"gpus exited $?\"", expecting: "Run it? [y/N]", width: 80,
                prepare: writeRecipe)
            #expect(no.screen.contains("+ create  Pod   asked  $2.49/h"), "\(no.screen)")
            try no.type("n")
            try no.keys("Enter")
            try no.waitFor("gpus exited 1")
            #expect(no.screen.contains("gpus: not run") && !no.screen.contains("made asked"))
            let yes = try Terminal(
                arguments: "--plan-first r.gpus; echo \"gpus exited $?\"", expecting: "Run it? [y/N]", width: 80,
                prepare: writeRecipe)
            try yes.type("y")
            try yes.keys("Enter")
            try yes.waitFor("gpus exited 0")
            #expect(yes.screen.contains("made asked"), "\(yes.screen)")
        }
    }

    @Test func bannerAndPromptNameTheTarget() async throws {
        try await offPool {
            let terminal = try Terminal(arguments: "--profile demo", expecting: "gpus(demo)>") { folder in
                let config = folder.appendingPathComponent("config/gpus")
                try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
                try "[profiles.demo]\nbase_url = \"http://127.0.0.1:9\"\napi_key = \"demo-key-5678\"\n".write(
                    to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
            }
            #expect(
                terminal.screen.contains(
                    "target: http://127.0.0.1:9 (key ••••5678 from profile demo), chosen by profile demo"))
            try terminal.type(":target")
            try terminal.keys("Enter")
            try terminal.waitFor("\nhttp://127.0.0.1:9 (key ••••5678")
            #expect(!terminal.screen.contains("demo-key-5678"))
        }
    }

    @Test func deferAtThePromptWaitsForTheSessionsEnd() async throws {
        try await offPool {
            let terminal = try Terminal(arguments: "; echo \"gpus exited $?\"")
            try terminal.type("let vm = vms.create(name: \"kept\", vmTypeId: 101, region: \"us-east-1\")")
            try terminal.keys("Enter")
            try terminal.type("defer vm.terminate()")
            try terminal.keys("Enter")
            try terminal.type("defer print(\"deferred ran with\", vm.status)")
            try terminal.keys("Enter")
            // The deferred terminate has not run: the wait succeeds.
            try terminal.type("wait until vm.status == running timeout 30s")
            try terminal.keys("Enter")
            try terminal.type("print(\"after wait\", vm.status)")
            try terminal.keys("Enter")
            try terminal.waitFor("after wait running")
            try terminal.type(":defers")
            try terminal.keys("Enter")
            try terminal.waitFor("defer print(\"deferred ran with\", vm.status)\ndefer vm.terminate()")
            try terminal.keys("C-d")
            try terminal.waitFor("Deferred statements that run when the session ends")
            #expect(terminal.screen.contains("VM kept ("))
            try terminal.type("n")
            try terminal.keys("Enter")
            try terminal.waitFor("deferred ran with running")
            try terminal.waitFor("gpus exited 0")
        }
    }

    @Test func exitAtThePromptEndsTheSessionWithItsCodeAfterTheDefers() async throws {
        try await offPool {
            let terminal = try Terminal(arguments: "; echo \"gpus exited $?\"")
            try terminal.type("defer print(\"cleanup first\")")
            try terminal.keys("Enter")
            try terminal.type("exit 3")
            try terminal.keys("Enter")
            try terminal.waitFor("cleanup first")
            try terminal.waitFor("gpus exited 3")
        }
    }

    /// The pid of the gpus process running in the terminal.
    static func gpusPID(in terminal: Terminal) throws -> Int32 {
        let listing = try ChildProcess.runBlocking([
            "pgrep", "-f", "-n", "XDG_STATE_HOME=\(terminal.folder.path)/state",
        ])
        let shell = Int32(listing.stdout.split(separator: "\n").first ?? "") ?? 0
        let children = try ChildProcess.runBlocking(["pgrep", "-P", String(shell), "-x", "gpus"])
        return Int32(children.stdout.split(separator: "\n").first ?? "") ?? shell
    }

    @Test(arguments: [SIGHUP, SIGTERM])
    func aSignalAtThePromptRunsTheDefersAndEndsTheSession(_ signal: Int32) async throws {
        try await offPool {
            // The shell reports how gpus ended.
            let terminal = try Terminal(arguments: "; echo \"gpus exited $?\"")
            try terminal.type("let vm = vms.create(name: \"hup\", vmTypeId: 101, region: \"us-east-1\")")
            try terminal.keys("Enter")
            try terminal.type("defer print(\"deferred ran\")")
            try terminal.keys("Enter")
            try terminal.type("defer vm.terminate()")
            try terminal.keys("Enter")
            try terminal.type("wait until vm.status == stopped")
            try terminal.keys("Enter")
            try terminal.waitFor("⧗")  // in the wait: its status line is drawn
            let pid = try Self.gpusPID(in: terminal)
            #expect(pid > 0)
            kill(pid, signal)
            try terminal.waitFor("deferred ran")
            try terminal.waitFor("gpus exited \(128 + signal)")
        }
    }

    /// A signal at the idle prompt, while libedit reads a line, ends gpus alone and cleanly: libedit's
    /// own handler (off) passed it on to the whole process group — the shell that started gpus died
    /// of it — and could crash on a NULL editor (exit 139).
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalWhileReadingALineReachesGpusAlone(_ signal: Int32) async throws {
        try await offPool {
            let terminal = try Terminal(arguments: "; echo \"gpus exited $?\"")
            try terminal.type("print(6 * 7)")
            try terminal.keys("Enter")
            try terminal.waitFor("42\ngpus(sandbox)>")
            let pid = try Self.gpusPID(in: terminal)
            let prompts = terminal.screen.components(separatedBy: "gpus(sandbox)>").count
            kill(pid, signal)
            if signal == SIGINT {
                // Ctrl-C from outside: a fresh prompt, and the session goes on.
                let deadline = Date().addingTimeInterval(30)
                while terminal.screen.components(separatedBy: "gpus(sandbox)>").count <= prompts, Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.05)
                }
                try terminal.type("print(\"still here\")")
                try terminal.keys("Enter")
                try terminal.waitFor("\nstill here")
                #expect(!terminal.screen.contains("gpus exited"))
            } else {
                try terminal.waitFor("gpus exited \(128 + signal)")
            }
        }
    }

    @Test func aSignalAtTheIdlePromptRunsTheDefers() async throws {
        try await offPool {
            let terminal = try Terminal()
            try terminal.type("let vm = vms.create(name: \"idle\", vmTypeId: 101, region: \"us-east-1\")")
            try terminal.keys("Enter")
            try terminal.type("defer vm.terminate()")
            try terminal.keys("Enter")
            try terminal.waitFor("gpus(sandbox)> defer vm.terminate()\ngpus(sandbox)>")
            let pid = try Self.gpusPID(in: terminal)
            kill(pid, SIGHUP)
            // Ended: gone, or a zombie (its shell died of the hang-up too, and nobody reaps it).
            func running() -> Bool {
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return false }
                return !stat[stat.index(after: close)...].hasPrefix(" Z")
            }
            let deadline = Date().addingTimeInterval(10)
            while running(), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            #expect(!running(), "gpus did not end on SIGHUP")
            let binary = Built.gpus
            let check = try ChildProcess.runBlocking([
                "env", "GPUS_SANDBOX_STATE=\(terminal.folder.path)/state.sqlite",
                "XDG_STATE_HOME=\(terminal.folder.path)/state", binary.path, "-e",
                "vms.list(all: true).map(v -> v.status)",
            ])
            #expect(check.stdout == "[\"terminated\"]\n", "\(check.stdout)")
        }
    }
}
