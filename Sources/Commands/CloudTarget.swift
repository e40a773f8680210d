import CloudLibrary
import Console
import Foundation
import Language
import Runs
import Sandbox
import Settings
import Terminal
import YottaAPI

/// Makes the cloud session a command talks to, from the resolved target.
enum CloudTarget {
    /// A session that is a run in the ledger: `recipe` is the program's path, `-e` or `<repl>`.
    /// `recorded: false` makes a session that records deletions only (`gpus runs clean`);
    /// `transport` wraps what it sends through (a plan's `ReadOnlyTransport`).
    static func session(
        _ target: Target, trace: Bool = false, recipe: String, arguments: [String] = [], recorded: Bool = true,
        ledger store: any LedgerStore, environment: [String: String] = ProcessInfo.processInfo.environment,
        transport wrap: (any HTTPTransport) -> any HTTPTransport = { $0 }
    ) throws -> CloudSession {
        let webhooks = LazyHTTPClientTransport()
        let transport: any HTTPTransport
        let configuration: ClientConfiguration
        let key: String
        switch target.kind {
        case .api(let baseURL, let apiKey):
            configuration = try ClientConfiguration(baseURL: baseURL, apiKey: apiKey)
            transport = webhooks
            key = Self.key(baseURL: baseURL)
        case .embeddedSandbox:
            configuration = try ClientConfiguration(baseURL: "http://localhost", apiKey: nil)
            let settings = try EmbeddedSandbox.Settings(environment: environment)
            transport = EmbeddedSandbox(settings: settings, webhooks: webhooks)
            key = Self.key(sandboxState: settings.statePath)
        }
        let ledger = RunLedger(store: store, recipe: recipe, arguments: arguments, target: key, records: recorded)
        let traced =
            trace
            ? TracingTransport(wrap(transport)) { text in TerminalOutput.write(text + "\n", to: .error) }
            : wrap(transport)
        return CloudSession(
            client: YottaClient(configuration: configuration, transport: traced), target: target.summary,
            label: target.label, ledger: ledger)
    }

    /// The ledger's name for an API: its base URL without a trailing slash, the host in lower case.
    static func key(baseURL: String) -> String {
        var text = baseURL
        while text.hasSuffix("/") { text.removeLast() }
        guard var components = URLComponents(string: text) else { return text }
        components.host = components.host?.lowercased()
        components.scheme = components.scheme?.lowercased()
        return components.string ?? text
    }

    /// The ledger's name for the embedded sandbox: its state file.
    static func key(sandboxState path: String) -> String {
        path == ":memory:" ? "sandbox:memory:\(getpid())" : "sandbox:" + URL(fileURLWithPath: path).standardized.path
    }
}
