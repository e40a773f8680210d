import CloudLibrary
import Commands
import Console
import Foundation
import Language
import MCP
import Runs
import Settings
import Synchronization

/// One agent's session of `gpus mcp`: a run of the ledger, with one interpreter session whose
/// variables persist between calls, as the REPL's do. Calls run one at a time, in the order they
/// came; what they create is recorded in the run and deleted when the session ends — the client
/// disconnects, a limit is reached, a signal — unless created with `keep: true`.
final class AgentSession: Sendable {
    /// What a tool call gives back: a value (`structuredContent`), or an error with its message.
    struct Answer: Sendable {
        var value: JSONValue
        var isError = false
        /// The text a client shows: the error's message, or the value as JSON.
        var text: String

        static func ok(_ value: JSONValue) -> Answer { Answer(value: value, text: AgentJSON.text(value)) }

        static func error(_ message: String, kind: ErrorKind = .argument, details: [String: JSONValue] = [:]) -> Answer
        {
            var error = details
            error["message"] = .string(message)
            error["kind"] = .string(kind.rawValue)
            return Answer(value: .object(["error": .object(error)]), isError: true, text: message)
        }
    }

    let stack: Stack
    let target: Target
    let store: any LedgerStore
    let session: Interpreter.Session
    let tools: [String: AgentTool]
    let readOnly: Bool
    /// The calls, one at a time.
    private let gate = SerialGate()
    /// The call in progress: what it printed, where its waits' progress goes, its token.
    private final class CallState: Sendable {
        let printed = Mutex<[String]>([])
        let progress = Mutex<(@Sendable (Double, String) -> Void)?>(nil)
        /// The session's end cancels it.
        let current = Mutex<CancellationToken?>(nil)
    }
    private let state = CallState()
    private let ended = Atomic<Bool>(false)

    init(stack: Stack, target: Target, store: any LedgerStore, readOnly: Bool) {
        self.stack = stack
        self.target = target
        self.store = store
        self.readOnly = readOnly
        let state = state
        let hook = CloudWaitHook(
            session: stack.session,
            progress: .report { seconds, line in state.progress.withLock { $0 }?(seconds, line) })
        let options = Interpreter.Options(
            output: { line in state.printed.withLock { $0.append(line) } },
            report: { error in state.printed.withLock { $0.append("error: \(error.message)") } }, waitHook: hook)
        session = Interpreter.Session(interpreter: Interpreter(library: stack.library, options: options))
        let all = AgentTools.all(stack.library).filter { !readOnly || $0.readOnly || $0.name == "eval" }
        tools = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    var runID: String { stack.session.ledger.run.id }

    /// Runs a tool. `report` gets the progress of its waits (seconds waited, a line).
    func call(
        _ name: String, _ arguments: [String: JSONValue], report: (@Sendable (Double, String) -> Void)? = nil
    ) async -> Answer {
        guard let tool = tools[name] else {
            let hidden = readOnly && AgentTools.all(stack.library).contains { $0.name == name }
            if hidden { return .error("\(name) changes the cloud, and this server is --read-only", kind: .readOnly) }
            let hint = suggestion(for: name, among: tools.keys).map { "; did you mean '\($0)'?" } ?? ""
            return .error("no tool '\(name)'\(hint)")
        }
        if ended.load(ordering: .relaxed) { return .error("the session has ended", kind: .ended) }
        // A request the client cancels (notifications/cancelled) interrupts its call, through its defers.
        let token = CancellationToken()
        return await withTaskCancellationHandler {
            await gate.run { [self] in
                state.current.withLock { $0 = token }
                state.progress.withLock { $0 = report }
                state.printed.withLock { $0.removeAll() }
                defer {
                    state.current.withLock { $0 = nil }
                    state.progress.withLock { $0 = nil }
                }
                return await run(tool, arguments, token: token)
            }
        } onCancel: {
            token.cancel()
        }
    }

    private func run(_ tool: AgentTool, _ arguments: [String: JSONValue], token: CancellationToken) async -> Answer {
        do {
            switch tool.action {
            case .eval:
                guard case .string(let code)? = arguments["code"] else {
                    return .error("missing argument 'code' (the code to run, as a string)")
                }
                return await eval(code, token: token)
            case .function(let builtin, let waits):
                var rest = arguments
                let wait = rest.removeValue(forKey: "wait")
                let timeout = rest.removeValue(forKey: "timeout")
                let call = try AgentCalls.call(builtin, rest, parameters: tool.parameters)
                guard let waits, case .bool(true)? = wait else {
                    return await evaluate([.expression(call)], tool: tool, token: token)
                }
                return await evaluate(
                    [
                        Syntax.declare(AgentCalls.resource, call),
                        try AgentCalls.wait(for: waits, timeout: timeout),
                        .expression(AgentCalls.variable(AgentCalls.resource)),
                    ], tool: tool, token: token)
            case .method(let namespace, let method):
                var rest = arguments
                guard let id = rest.removeValue(forKey: "id") else {
                    return .error("missing argument 'id' (the resource's id, or the name of a live one)")
                }
                let lookup = try AgentCalls.call("\(namespace).get", ["id": id], parameters: [AgentTools.idParameter])
                let call = try AgentCalls.call(
                    "\(AgentCalls.resource).\(method)", rest, parameters: Array(tool.parameters.dropFirst()))
                return await evaluate(
                    [
                        Syntax.declare(AgentCalls.resource, lookup),
                        Syntax.declare(AgentCalls.result, call),
                        .expression(AgentCalls.variable(AgentCalls.result)),
                    ], tool: tool, token: token, withResource: true)
            case .wait(let namespace):
                guard let id = arguments["id"], case .string(let status)? = arguments["status"] else {
                    return .error("'\(tool.name)' takes id and status")
                }
                let known = stack.library.statuses[OneLiner.kind(of: namespace, library: stack.library) ?? ""] ?? []
                guard known.contains(status.lowercased()) else {
                    let hint = suggestion(for: status, among: known).map { "; did you mean '\($0)'?" } ?? ""
                    return .error(
                        "'\(status)' is not a status of \(namespace)\(hint) (\(known.joined(separator: ", ")))")
                }
                let lookup = try AgentCalls.call("\(namespace).get", ["id": id], parameters: [AgentTools.idParameter])
                return await evaluate(
                    [
                        Syntax.declare(AgentCalls.resource, lookup),
                        try AgentCalls.wait(for: status.lowercased(), timeout: arguments["timeout"]),
                        .expression(AgentCalls.variable(AgentCalls.resource)),
                    ], tool: tool, token: token)
            case .runRecipe: return await runRecipe(arguments, token: token)
            case .check: return check(arguments)
            case .plan: return await plan(arguments)
            case .runs: return await runs(arguments)
            case .runsClean: return await runsClean(arguments)
            }
        } catch {
            // The calls' arguments are all that can be wrong here (AgentCalls.Mistake).
            return .error(error.message)
        }
    }

    // MARK: - The language

    private func eval(_ code: String, token: CancellationToken) async -> Answer {
        answer(await session.evaluate(code, name: "eval", token: token), tool: nil)
    }

    private func evaluate(
        _ statements: [Stmt], tool: AgentTool, token: CancellationToken, withResource: Bool = false
    ) async -> Answer {
        let outcome = await session.evaluate(
            statements, source: SourceFile(name: tool.name, text: ""), token: token)
        var answer = answer(outcome, tool: tool)
        if withResource, !answer.isError, case .object(var fields) = answer.value,
            let resource = session.value(of: AgentCalls.resource)
        {
            fields["resource"] = AgentJSON.value(resource)
            answer = .ok(.object(fields))
        }
        return answer
    }

    private func answer(_ outcome: Interpreter.Session.Outcome, tool: AgentTool?) -> Answer {
        let output = state.printed.withLock { lines in
            defer { lines.removeAll() }
            return lines
        }
        var fields: [String: JSONValue] = ["runId": .string(runID)]
        if !output.isEmpty { fields["output"] = .array(output.map { .string($0) }) }
        switch outcome {
        case .value(let value):
            fields["result"] = value.map(AgentJSON.value) ?? .null
            return .ok(.object(fields))
        case .incomplete:
            return .error("the code is not finished: an open block, bracket or string", kind: .syntax)
        case .invalid(let diagnostics, let source):
            return failure(diagnostics, in: source, located: tool == nil, fields: fields)
        case .failed(let error, let source):
            return failure(
                [ScriptRunner.diagnostic(error)] + error.deferred.map(ScriptRunner.diagnostic), in: source,
                located: tool == nil, fields: fields)
        case .exited(let code):
            fields["exit"] = .int(Int(code))
            fields["note"] = "exit ends a program, not the session: the session ends when the client disconnects"
            return .ok(.object(fields))
        case .interrupted:
            return .error("interrupted", kind: .interrupted, details: fields)
        }
    }

    /// Diagnostics as a tool error: the messages as `gpus check` and `--json` give them (with line
    /// and column for code an agent wrote; a tool's generated call has none).
    private func failure(
        _ diagnostics: [Diagnostic], in source: SourceFile, located: Bool, fields: [String: JSONValue]
    ) -> Answer {
        let errors = diagnostics.map { diagnostic -> JSONValue in
            guard case .object(let wrapped) = AgentJSON.parse(ScriptRunner.json(diagnostic, in: source)),
                case .object(var error)? = wrapped["error"] ?? wrapped["warning"]
            else { return .null }
            if !located {
                error["line"] = nil
                error["column"] = nil
                error["file"] = nil
            }
            return .object(error)
        }
        let text = diagnostics.map { diagnostic in
            let (line, column) = source.location(of: diagnostic.range.start)
            let place = located ? "\(source.name):\(line):\(column): " : ""
            return place + diagnostic.message + diagnostic.notes.map { "\n  = \($0)" }.joined()
        }.joined(separator: "\n")
        var value = fields
        value["error"] = errors.first ?? .null
        if errors.count > 1 { value["errors"] = .array(errors) }
        return Answer(value: .object(value), isError: true, text: text)
    }

    // MARK: - Programs

    /// The program a tool names: `source` text or a `file`.
    private func program(_ arguments: [String: JSONValue]) throws(AgentCalls.Mistake) -> SourceFile {
        switch (arguments["source"], arguments["file"]) {
        case (.string(let text)?, nil): return SourceFile(name: "recipe", text: text)
        case (nil, .string(let path)?):
            do {
                return try SourceFile.read(file: path)
            } catch {
                throw AgentCalls.Mistake(message: "\(error)")
            }
        default:
            throw AgentCalls.Mistake(message: "give the program as source (its text) or file (a path), one of them")
        }
    }

    private func strings(_ value: JSONValue?) throws(AgentCalls.Mistake) -> [String] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw AgentCalls.Mistake(message: "args is a list of strings") }
        return items.map { item in
            switch item {
            case .string(let text): text
            case .int(let number): String(number)
            case .double(let number): String(number)
            case .bool(let flag): String(flag)
            default: AgentJSON.text(item)
            }
        }
    }

    /// A whole program in a scope of its own, in this session's run: what it creates is recorded
    /// in the run (so the server's limits and the session's end cover it); `cleanup` deletes it
    /// when the program ends, `max_duration` and `max_cost` stop it as `gpus run` stops a run.
    private func runRecipe(_ arguments: [String: JSONValue], token: CancellationToken) async -> Answer {
        let source: SourceFile
        let programArguments: [String]
        var maxDuration: Double?
        var maxCost: Double?
        do {
            source = try program(arguments)
            programArguments = try strings(arguments["args"])
            switch arguments["max_duration"] {
            case .string(let text)?:
                guard let seconds = DurationText.seconds(text), seconds > 0 else {
                    return .error("bad argument 'max_duration': a duration above 0 expected: 30m, 2h (got '\(text)')")
                }
                maxDuration = seconds
            case .int(let seconds)?: maxDuration = Double(seconds)
            case .double(let seconds)?: maxDuration = seconds
            case nil, .null?: break
            default: return .error("bad argument 'max_duration': a duration expected, e.g. 30m")
            }
            switch arguments["max_cost"] {
            case .int(let dollars)?: maxCost = Double(dollars)
            case .double(let dollars)?: maxCost = dollars
            case nil, .null?: break
            default: return .error("bad argument 'max_cost': dollars expected, e.g. 2.5")
            }
        } catch {
            return .error(error.message)
        }
        let cleanup = arguments["cleanup"] == .bool(true)
        let ledger = stack.session.ledger
        let before = ledger.entries.map(\.seq).max() ?? 0
        let started = Date()
        let reason = Mutex<String?>(nil)
        let watch = Task {
            while !Task.isCancelled {
                let now = Date()
                if let maxDuration, now.timeIntervalSince(started) >= maxDuration {
                    reason.withLock {
                        $0 = "the recipe reached max_duration \(Printer.duration(.seconds(maxDuration)))"
                    }
                } else if let maxCost {
                    let spent = ledger.entries.filter { $0.seq > before }.reduce(0) { $0 + $1.cost(at: now) }
                    if spent >= maxCost {
                        reason.withLock {
                            $0 = String(format: "the recipe reached max_cost $%.2f ($%.2f spent)", maxCost, spent)
                        }
                    }
                }
                if reason.withLock({ $0 }) != nil {
                    token.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        stack.library.define("args", .list(ListBox(programArguments.map { .string($0) })))
        let outcome = await session.interpreter.run(source, token: token)
        stack.library.define("args", .list(ListBox([])))
        watch.cancel()
        let stopped = reason.withLock { $0 }
        var fields: [String: JSONValue] = ["runId": .string(runID)]
        let output = state.printed.withLock { lines in
            defer { lines.removeAll() }
            return lines
        }
        if !output.isEmpty { fields["output"] = .array(output.map { .string($0) }) }
        var isError = false
        var text: String?
        switch outcome {
        case .finished(let value):
            fields["result"] = AgentJSON.value(value)
            fields["exitCode"] = 0
        case .invalid(let diagnostics):
            let answer = failure(diagnostics, in: source, located: true, fields: [:])
            fields["error"] = answer.value.objectValue?["error"] ?? .null
            fields["exitCode"] = .int(Int(ScriptRunner.Status.syntax.rawValue))
            (isError, text) = (true, answer.text)
        case .failed(let error):
            let answer = failure(
                [ScriptRunner.diagnostic(error)] + error.deferred.map(ScriptRunner.diagnostic), in: source,
                located: true, fields: [:])
            fields["error"] = answer.value.objectValue?["error"] ?? .null
            fields["exitCode"] = .int(Int(ScriptRunner.Status.runtimeError.rawValue))
            (isError, text) = (true, answer.text)
        case .exited(let code):
            fields["exitCode"] = .int(Int(code))
            isError = code != 0
        case .interrupted:
            fields["exitCode"] = .int(Int(stopped == nil ? 130 : ScriptRunner.Status.limitReached.rawValue))
            (isError, text) = (
                true,
                stopped.map { "\($0): stopped (its defers ran, then what it created was deleted)" } ?? "interrupted"
            )
        }
        if let stopped { fields["stopped"] = .string(stopped) }
        if cleanup || stopped != nil {
            let mine = ledger.live.filter { $0.seq > before && !$0.keep }
            let report = await stack.session.cleanup(mine)
            fields["cleanup"] = .array(report.items.map { AgentJSON.value($0.json) })
        }
        fields["live"] = .array(
            ledger.live.filter { $0.seq > before }.map { entry in
                .object([
                    "kind": .string(entry.kind.rawValue), "name": .string(entry.name),
                    "id": entry.resourceID.map { .string($0) } ?? .null, "keep": .bool(entry.keep),
                ])
            })
        var answer = Answer.ok(.object(fields))
        answer.isError = isError
        if let text { answer.text = text + "\n" + answer.text }
        return answer
    }

    private func check(_ arguments: [String: JSONValue]) -> Answer {
        let source: SourceFile
        do {
            source = try program(arguments)
        } catch {
            return .error(error.message)
        }
        let diagnostics = (Interpreter(library: stack.library).check(source) + CheckCommand.limitsNotFirst(source))
            .sorted { $0.range.start < $1.range.start }
        let findings = diagnostics.map { AgentJSON.parse(ScriptRunner.json($0, in: source)) }
        let problems = diagnostics.filter { $0.severity == .error }.count
        return .ok(.object(["problems": .int(problems), "findings": .array(findings)]))
    }

    private func plan(_ arguments: [String: JSONValue]) async -> Answer {
        do {
            let source = try program(arguments)
            let report = try await Planner.plan(source, arguments: try strings(arguments["args"]), target: target)
            var answer = Answer.ok(AgentJSON.parse(report.json.trimmingCharacters(in: .whitespacesAndNewlines)))
            answer.text = report.text(colour: false)
            return answer
        } catch let mistake as AgentCalls.Mistake {
            return .error(mistake.message)
        } catch {
            return .error("\(error)", kind: .plan)
        }
    }

    // MARK: - The ledger

    private func runs(_ arguments: [String: JSONValue]) async -> Answer {
        let limit = arguments["limit"]?.intValue ?? 20
        do {
            let summaries = try await RunsCommand.summaries(store, .newest(limit: max(1, min(limit, 1000))))
            return .ok(.object(["runs": AgentJSON.encode(summaries), "thisSession": .string(runID)]))
        } catch {
            return .error("\(error)", kind: .ledger)
        }
    }

    private func runsClean(_ arguments: [String: JSONValue]) async -> Answer {
        do {
            let runs = try strings(arguments["runs"])
            if runs.contains(where: { runID.hasPrefix($0) }) {
                return .error("\(runID) is this session's run: what it made is deleted when the session ends")
            }
            let (report, skipped) = try await RunsCommand.clean(
                runs, orphans: arguments["orphans"] == .bool(true), target: target, store: store)
            var answer = Answer.ok(
                .object([
                    "cleaned": .array(report.items.map { AgentJSON.value($0.json) }),
                    "skipped": .array(skipped.map { .string($0) }), "remaining": .int(report.remaining.count),
                ]))
            answer.isError = !report.remaining.isEmpty || !skipped.isEmpty
            return answer
        } catch let failure as RunsCommand.Failure {
            return .error(failure.message)
        } catch let mistake as AgentCalls.Mistake {
            return .error(mistake.message)
        } catch {
            return .error("\(error)", kind: .ledger)
        }
    }

    // MARK: - The end

    /// Ends the session once: cancels the call in progress, runs the session's deferred statements,
    /// deletes what it created (but what was made with `keep: true`) and records the run's end.
    /// Returns the lines to log.
    func end(exitCode: Int32) async -> (lines: [String], complete: Bool) {
        guard !ended.exchange(true, ordering: .relaxed) else { return ([], true) }
        state.current.withLock { $0 }?.cancel()
        return await gate.run { [self] in
            var lines: [String] = []
            state.printed.withLock { $0.removeAll() }
            let (errors, _) = await session.runDeferred()
            lines += state.printed.withLock { $0 }
            for (error, _) in errors { lines.append("a deferred statement failed: \(error.message)") }
            let report = await stack.session.cleanup()
            lines += report.lines
            let complete = report.remaining.isEmpty
            if !complete { lines.append("still live; delete with: gpus runs clean \(runID)") }
            await stack.session.ledger.end(
                exitCode: complete ? exitCode : ScriptRunner.Status.cleanupIncomplete.rawValue)
            return (lines, complete)
        }
    }
}

/// Runs bodies one at a time, in the order they were given.
actor SerialGate {
    private var tail: Task<Void, Never>?

    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let previous = tail
        let task = Task {
            await previous?.value
            return await body()
        }
        tail = Task { _ = await task.value }
        return await task.value
    }
}
