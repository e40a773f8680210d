import CloudLibrary
import Foundation
import Language
import Sandbox
import YottaAPI

/// Which cloud a session talks to: the real API when `YOTTA_API_KEY` is set, else the embedded
/// sandbox (started on the first request).
public enum CloudTarget {
    public static func session(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> CloudSession {
        let webhooks = LazyHTTPClientTransport()
        if let key = environment["YOTTA_API_KEY"], !key.isEmpty {
            let base =
                environment["YOTTA_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? ClientConfiguration.productionBaseURL
            let configuration = try ClientConfiguration(baseURL: base, apiKey: APIKey(key))
            return CloudSession(client: YottaClient(configuration: configuration, transport: webhooks), target: base)
        }
        let sandbox = EmbeddedSandbox(
            settings: try EmbeddedSandbox.Settings(environment: environment), webhooks: webhooks)
        let configuration = try ClientConfiguration(baseURL: "http://localhost", apiKey: nil)
        return CloudSession(
            client: YottaClient(configuration: configuration, transport: sandbox), target: "sandbox (embedded)")
    }
}
