import Foundation

/// The `{message, code}` of an envelope, read without its data.
struct EnvelopeHead: Decodable {
    var message: String?
    var code: BusinessCode?
}

/// A whole envelope with its `data` read as `Payload`.
struct Envelope<Payload: Decodable>: Decodable {
    var message: String?
    var code: BusinessCode?
    var data: Payload
}

extension YottaClient {
    static let decoder = JSONDecoder()
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Reads a response: `data` as `Payload` when the envelope says success, an error otherwise.
    static func decodeData<Payload: Decodable>(
        _: Payload.Type, from response: HTTPResponse, call: CallContext
    )
        throws(YottaError) -> Payload
    {
        guard (200..<300).contains(response.status),
            let head = try? decoder.decode(EnvelopeHead.self, from: response.body),
            head.code == .success
        else {
            throw errorFromResponse(response, call: call)
        }
        do {
            return try decoder.decode(Envelope<Payload>.self, from: response.body).data
        } catch {
            throw .decoding(describe(error), call: call)
        }
    }

    /// The error a non-success response stands for: an API error when the body is an envelope, an
    /// HTTP error when it is not, a decoding error for a 2xx body that is not an envelope.
    static func errorFromResponse(_ response: HTTPResponse, call: CallContext) -> YottaError {
        if let envelope = try? decoder.decode(Envelope<JSONValue?>.self, from: response.body),
            let code = envelope.code, code != .success
        {
            return .api(
                APIError(
                    httpStatus: response.status, code: code, message: envelope.message ?? "", call: call,
                    data: envelope.data.flatMap { $0 == .null ? nil : $0 }))
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
