import Foundation
import Testing
import YottaAPI

/// Every business code, and the non-envelope failures, reach the caller as the right typed error.
@Suite struct ErrorMappingTests {
    static let codes: [(code: Int, category: BusinessCode.Category)] = [
        (10001, .invalidRequest), (10002, .system), (10007, .notFound), (11000, .notFound), (11001, .invalidState),
        (11002, .forbidden), (12000, .notFound), (12001, .invalidState), (13000, .notFound), (14000, .notFound),
        (20001, .system), (24000, .unavailable), (24001, .notFound), (24002, .invalidState), (24011, .notFound),
        (25002, .inUse), (429, .rateLimited), (40001, .invalidRequest), (40101, .unauthorized), (40402, .notFound),
        (50001, .system),
    ]

    @Test(arguments: codes.map(\.code))
    func businessCodeBecomesAnAPIError(_ code: Int) async throws {
        // 10002 and 429 are transient: with one attempt they surface unchanged.
        let transport = ScriptedTransport([.respond(.envelope(code: code, message: "refused \(code)", data: "null"))])
        let error = await #expect(throws: YottaError.self) {
            _ = try await makeClient(transport, attempts: 1).getPod(id: 42)
        }
        guard case .api(let apiError)? = error else {
            Issue.record("expected .api, got \(String(describing: error))")
            return
        }
        #expect(apiError.code.rawValue == code)
        #expect(apiError.message == "refused \(code)")
        #expect(apiError.httpStatus == 200)
        #expect(apiError.operation == .getPod)
        #expect(apiError.resourceID == "42")
        #expect(apiError.code.category == Self.codes.first { $0.code == code }?.category)
        #expect(error?.code?.rawValue == code)
        #expect(apiError.description.contains("pods.get 42"))
    }

    @Test func everyKnownCodeIsCovered() {
        let tested = Set(Self.codes.map(\.code) + [10000])
        #expect(Set(BusinessCode.known.keys.map(\.rawValue)) == tested)
    }

    @Test func unknownCodeIsKept() async throws {
        let transport = ScriptedTransport([.respond(.envelope(code: 31337, message: "new", data: "null"))])
        await #expect(
            throws: YottaError.api(
                APIError(
                    httpStatus: 200, code: 31337, message: "new", call: CallContext(operation: .getVM, resourceID: "1"))
            )
        ) {
            _ = try await makeClient(transport).getVM(id: 1)
        }
        #expect(BusinessCode(rawValue: 31337).category == .unknown)
    }

    @Test func validationFailureWithHTTP400() async throws {
        let transport = ScriptedTransport([
            .respond(.envelope(status: 400, code: 10001, message: "gpuCount must be a power of 2", data: "null"))
        ])
        let error = await #expect(throws: YottaError.self) { _ = try await makeClient(transport).getVM(id: 3) }
        guard case .api(let apiError)? = error else { return #expect(Bool(false)) }
        #expect(apiError.httpStatus == 400 && apiError.code == .invalidParameters)
    }

    @Test func unauthorizedWithEnvelope() async throws {
        let transport = ScriptedTransport([
            .respond(.envelope(status: 401, code: 40101, message: "unauthorized", data: "null"))
        ])
        let error = await #expect(throws: YottaError.self) { _ = try await makeClient(transport).listVMTypes() }
        #expect(error?.code == .authenticationMissing)
    }

    @Test func serverErrorWithoutEnvelope() async throws {
        let transport = ScriptedTransport([.respond(HTTPResponse(status: 500, body: Data("<html>oops</html>".utf8)))])
        let error = await #expect(throws: YottaError.self) { _ = try await makeClient(transport).listVMTypes() }
        #expect(error == .httpStatus(500, body: "<html>oops</html>", call: CallContext(operation: .listVMTypes)))
    }

    @Test func successStatusWithoutEnvelope() async throws {
        let transport = ScriptedTransport([.respond(HTTPResponse(status: 200, body: Data("[1,2]".utf8)))])
        let error = await #expect(throws: YottaError.self) { _ = try await makeClient(transport).listVMTypes() }
        guard case .decoding(let message, let call)? = error else { return #expect(Bool(false)) }
        #expect(message.contains("envelope"))
        #expect(call.operation == .listVMTypes)
    }

    @Test func envelopeWithTheWrongDataShape() async throws {
        let transport = ScriptedTransport([.respond(.envelope(data: #"{"id":1,"name":"x"}"#))])
        let error = await #expect(throws: YottaError.self) { _ = try await makeClient(transport).getVM(id: 1) }
        guard case .decoding(let message, _)? = error else { return #expect(Bool(false)) }
        #expect(message.contains("status"))
    }

    @Test func transportFailureNamesTheCall() async throws {
        let transport = ScriptedTransport([.fail(.timedOut)], fallback: .fail(.timedOut))
        let error = await #expect(throws: YottaError.self) {
            _ = try await makeClient(transport, attempts: 1).getEndpoint(id: "e1")
        }
        #expect(error == .transport(.timedOut, call: CallContext(operation: .getEndpoint, resourceID: "e1")))
        #expect(error?.description == "endpoints.get e1: timed out waiting for a response")
    }
}
