import CloudLibrary
import Foundation
import Language
import Runs
import Sandbox
import Synchronization
import YottaAPI

/// One clock for the program and the sandbox: a wait's sleep moves the sandbox's time too, so
/// lifecycles and waits run at realistic durations in no time, deterministically.
final class SharedClock: LanguageClock, SandboxClock {
    private let elapsed = Mutex<Duration>(.zero)
    /// Starts at the next full hour of the real time: the provider's `createdAt` is compared with
    /// the ledger's times (a lost answer is resolved only to a resource created after its intent),
    /// and metrics' steps stay aligned as they were on a fixed origin.
    let origin: Int64 = {
        let hour: Int64 = 3_600_000
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return (now / hour + 1) * hour
    }()

    func now() -> Duration { elapsed.withLock { $0 } }
    func nowMillis() -> Int64 { origin + Int64(now() / .milliseconds(1)) }
    func wallMillis() -> Int64 { nowMillis() }
    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        elapsed.withLock { $0 += duration }
    }
}

final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ text: String) {
        lines.withLock { $0 += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }
}

/// A program run against an in-process sandbox at realistic speed on the shared clock.
struct CloudHarness {
    let clock = SharedClock()
    let service: SandboxService
    let session: CloudSession
    let ledger: any LedgerStore
    let output = Lines()

    init(
        faults: String = "", transport: ((SandboxService) -> any HTTPTransport)? = nil,
        ledgerStore: (any LedgerStore)? = nil
    ) throws {
        let store = try SandboxStore(path: ":memory:")
        service = SandboxService(
            store: store, clock: clock, options: SandboxOptions(speed: 1, faults: try FaultPlan(spec: faults), seed: 1))
        let configuration = try ClientConfiguration(baseURL: "http://localhost", apiKey: nil, retry: .none)
        let client = YottaClient(
            configuration: configuration, transport: transport?(service) ?? EmbeddedTransport(service: service))
        ledger = try ledgerStore ?? SQLiteLedger(path: ":memory:")
        session = CloudSession(
            client: client, target: "test sandbox",
            ledger: RunLedger(store: ledger, recipe: "test.gpus", arguments: [], target: "test"))
        let clock = clock
        session.sleep = { try await clock.sleep(for: $0) }
    }

    func run(
        _ text: String, name: String = "test.gpus", token: CancellationToken = CancellationToken()
    ) async -> Interpreter.Outcome {
        let library = Library.core()
        session.register(into: library)
        let output = output
        let interpreter = Interpreter(
            library: library,
            options: Interpreter.Options(
                clock: clock, output: { output.append($0) }, report: { output.append("defer error: \($0.message)") },
                waitHook: CloudWaitHook(session: session)))
        return await interpreter.run(SourceFile(name: name, text: text), token: token)
    }

    static func example(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("examples/\(name)"), encoding: .utf8)
    }

    /// Every resource of a kind in the sandbox, by status.
    func statuses(_ path: String, _ query: [(String, String)] = []) async -> [String] {
        let response = await service.handle(SandboxRequest(method: "GET", path: path, query: query))
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: response.body) else { return [] }
        let items: [JSONValue]
        switch json["data"] {
        case .array(let array)?: items = array
        case .object(let page)?: if case .array(let array)? = page["items"] { items = array } else { items = [] }
        default: items = []
        }
        return items.compactMap { if case .string(let status)? = $0["status"] { status } else { nil } }
    }
}

func failure(_ outcome: Interpreter.Outcome) -> RuntimeError? {
    if case .failed(let error) = outcome { return error }
    return nil
}
