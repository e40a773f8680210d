import Foundation

/// A response's `{message, code, data}`, decoded once: `code` first, then `data` as `Payload` when
/// the code says success (a payload that does not decode is kept as the reason, so a success with a
/// bad payload still tells its code) or as free JSON for an error's details.
struct Envelope<Payload: Decodable>: Decodable {
    var message: String?
    var code: BusinessCode?
    var data: Payload?
    var errorData: JSONValue?
    var payloadFailure: String?

    enum Keys: String, CodingKey { case message, code, data }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        code = try container.decodeIfPresent(BusinessCode.self, forKey: .code)
        if code == .success {
            do {
                data = try container.decode(Payload.self, forKey: .data)
            } catch {
                payloadFailure = YottaClient.describe(error)
            }
        } else {
            errorData = try? container.decodeIfPresent(JSONValue.self, forKey: .data)
        }
    }
}

/// A response with its envelope, when its body is one.
struct Answer<Payload: Decodable> {
    let response: HTTPResponse
    let envelope: Envelope<Payload>?

    init(_ response: HTTPResponse) {
        self.response = response
        envelope = try? YottaClient.decoder.decode(Envelope<Payload>.self, from: response.body)
    }

    /// A 429, as an HTTP status or the envelope's code.
    var isThrottled: Bool { response.status == 429 || envelope?.code == .tooManyRequests }
}

extension YottaClient {
    static let decoder = JSONDecoder()
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Reads an answer: `data` as `Payload` when the envelope says success, an error otherwise.
    static func payload<Payload: Decodable>(_ answer: Answer<Payload>, call: CallContext) throws(YottaError) -> Payload
    {
        guard (200..<300).contains(answer.response.status), let envelope = answer.envelope, envelope.code == .success
        else {
            throw error(answer, call: call)
        }
        if let failure = envelope.payloadFailure { throw .decoding(failure, call: call) }
        guard let data = envelope.data else { throw .decoding("missing field 'data'", call: call) }
        return data
    }

    /// The error a non-success answer stands for: an API error when the body is an envelope, an
    /// HTTP error when it is not, a decoding error for a 2xx body that is not an envelope.
    static func error<Payload>(_ answer: Answer<Payload>, call: CallContext) -> YottaError {
        let response = answer.response
        if let envelope = answer.envelope, let code = envelope.code, code != .success {
            return .api(
                APIError(
                    httpStatus: response.status, code: code, message: envelope.message ?? "", call: call,
                    data: envelope.errorData.flatMap { $0 == .null ? nil : $0 }))
        }
        let text = String(decoding: response.body.prefix(512), as: UTF8.self)
        if (200..<300).contains(response.status) {
            return .decoding("not a {message, code, data} envelope: \(text)", call: call)
        }
        return .httpStatus(response.status, body: text, call: call)
    }

    /// A decoding error as one line naming the path to the bad field.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field '\(path(context)).\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "bad value at '\(path(context))': \(context.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }
}
