import CloudLibrary
import Console
import Foundation
import Language
import Sandbox
import Settings
import YottaAPI

/// Makes the cloud session a command talks to, from the resolved target.
enum CloudTarget {
    static func session(
        _ target: Target, trace: Bool = false,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> CloudSession {
        let webhooks = LazyHTTPClientTransport()
        let transport: any HTTPTransport
        let configuration: ClientConfiguration
        switch target.kind {
        case .api(let baseURL, let key):
            configuration = try ClientConfiguration(baseURL: baseURL, apiKey: key)
            transport = webhooks
        case .embeddedSandbox:
            configuration = try ClientConfiguration(baseURL: "http://localhost", apiKey: nil)
            transport = EmbeddedSandbox(
                settings: try EmbeddedSandbox.Settings(environment: environment), webhooks: webhooks)
        }
        let traced =
            trace
            ? TracingTransport(transport) { text in
                StatusLine.clear()
                FileHandle.standardError.write(Data((text + "\n").utf8))
            } : transport
        return CloudSession(
            client: YottaClient(configuration: configuration, transport: traced), target: target.summary,
            label: target.label)
    }
}
