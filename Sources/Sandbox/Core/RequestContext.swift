import Foundation
import YottaAPI

/// What a controller needs for one request: the service, the request, its path parameters and the time.
struct RequestContext: Sendable {
    let service: SandboxService
    let request: SandboxRequest
    let parameters: [String: String]
    /// The time the request is handled at; every status in the response is derived for this instant.
    let now: Int64

    var store: SandboxStore { service.store }
    var timings: Timings { service.timings }
    var faults: FaultPlan { service.options.faults }

    /// The `{name}` path parameter as an id (10001 when it is not one).
    func pathID(_ name: String = "id") throws -> Int64 {
        guard let text = parameters[name], let id = Int64(text), id > 0 else {
            throw APIFailure.invalid(name, "must be a positive integer id (got '\(parameters[name] ?? "")')")
        }
        return id
    }

    /// The body decoded as a request type and checked with the same rules the client applies.
    func body<Body: ValidatedRequest & Decodable>(_: Body.Type, as operation: APIOperation) throws -> Body {
        guard !request.body.isEmpty else { throw APIFailure.invalid("body", "a JSON body is required") }
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: request.body)
        } catch let error as DecodingError {
            throw Self.failure(for: error)
        } catch {
            throw APIFailure.invalid("body", "not valid JSON")
        }
        do {
            try decoded.validate(as: operation)
        } catch {
            throw APIFailure.invalid(error)
        }
        return decoded
    }

    /// A decoding error as 10001 naming the field.
    static func failure(for error: DecodingError) -> APIFailure {
        func path(_ context: DecodingError.Context, _ extra: CodingKey? = nil) -> String {
            let keys = context.codingPath + (extra.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "body" : text)
        }
        switch error {
        case .keyNotFound(let key, let context): return .invalid(path(context, key), "is required")
        case .valueNotFound(_, let context): return .invalid(path(context), "is required")
        case .typeMismatch(let type, let context): return .invalid(path(context), "must be \(describe(type))")
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? .invalid("body", "not valid JSON") : .invalid(path(context), context.debugDescription)
        @unknown default: return .invalid("body", "unreadable")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: "an integer"
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Double.Type: "a number"
        default: "of another type"
        }
    }

    /// A query integer within bounds, or its default.
    func queryInt(_ name: String, default value: Int, _ bounds: ClosedRange<Int>) throws -> Int {
        guard let text = request.queryValue(name) else { return value }
        guard let number = Int(text), bounds.contains(number) else {
            throw APIFailure.invalid(
                name, "must be an integer from \(bounds.lowerBound) to \(bounds.upperBound) (got '\(text)')")
        }
        return number
    }

    /// A page of `items` in the `{items, page, size, total, pages}` shape.
    func page<Item: Codable & Sendable>(
        _ items: [Item], pageName: String = "page", sizeName: String = "size"
    ) throws
        -> Page<Item>
    {
        let page = try queryInt(pageName, default: 1, 1...Int.max)
        let size = try queryInt(sizeName, default: 10, 1...1000)
        let pages = (items.count + size - 1) / size
        let start = min(
            (page - 1).multipliedReportingOverflow(by: size).overflow ? items.count : (page - 1) * size, items.count)
        return Page(
            items: Array(items[start..<min(start + size, items.count)]), page: page, size: size, total: items.count,
            pages: pages)
    }
}
