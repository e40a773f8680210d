import Foundation
import Testing
import YottaAPI

@Suite struct ConfigurationTests {
    @Test(arguments: [
        "http://api.yottalabs.ai", "http://10.0.0.1:8787", "ftp://api.yottalabs.ai", "api.yottalabs.ai", "https://",
        "https://api.yottalabs.ai?x=1", "https://user:pw@api.yottalabs.ai",
    ])
    func unusableBaseURLsAreRefused(_ url: String) {
        #expect(throws: YottaError.self) { try ClientConfiguration(baseURL: url, apiKey: nil) }
    }

    @Test(arguments: [
        ("https://api.yottalabs.ai/", "https://api.yottalabs.ai"),
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
        ("http://localhost:8787/", "http://localhost:8787"),
        ("http://[::1]:8787", "http://[::1]:8787"),
        ("https://api.dev.yottalabs.ai:8443", "https://api.dev.yottalabs.ai:8443"),
    ])
    func usableBaseURLs(_ url: String, _ expected: String) throws {
        #expect(try ClientConfiguration(baseURL: url, apiKey: nil).baseURL == expected)
    }

    @Test func plainHTTPRefusalSaysWhy() {
        let error = #expect(throws: YottaError.self) {
            try ClientConfiguration(baseURL: "http://api.yottalabs.ai", apiKey: nil)
        }
        #expect(error?.description.contains("unencrypted") == true)
    }

    @Test func theKeyNeverShowsInText() async throws {
        let secret = "yk_live_SECRET_0123456789abcdef"
        let key = APIKey(secret)
        var dumped = ""
        dump(key, to: &dumped)
        for text in ["\(key)", String(describing: key), String(reflecting: key), dumped] {
            #expect(!text.contains("SECRET"), "\(text)")
        }
        #expect(key.masked == "••••cdef")
        let configuration = try ClientConfiguration(apiKey: key)
        var configurationDump = ""
        dump(configuration, to: &configurationDump)
        #expect(!configurationDump.contains("SECRET"))

        let transport = ScriptedTransport([
            .respond(.envelope(status: 401, code: 40101, message: "bad key", data: "null"))
        ])
        let error = await #expect(throws: YottaError.self) {
            _ = try await makeClient(transport, key: secret).listPods()
        }
        #expect(error.map { !"\($0)".contains("SECRET") } == true)
        #expect(transport.requests.first?.header("x-api-key") == secret)
        #expect(transport.requests.first.map { !$0.description.contains("SECRET") } == true)
    }

    @Test func noKeyNoHeader() async throws {
        let transport = ScriptedTransport([.respond(.envelope(data: "[]"))])
        let client = YottaClient(configuration: try ClientConfiguration(apiKey: nil), transport: transport)
        _ = try await client.listPods()
        #expect(transport.requests.first?.header("X-Api-Key") == nil)
    }
}
