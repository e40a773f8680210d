import Foundation
import TestSupport
import YottaAPI

extension ServedSandbox {
    /// A client of this server (key `k`), without retries: what a test sends is what it gets.
    func client(transport: AsyncHTTPClientTransport) throws -> YottaClient {
        let configuration = try ClientConfiguration(baseURL: url, apiKey: APIKey("k"), retry: .none)
        return YottaClient(configuration: configuration, transport: transport)
    }
}
