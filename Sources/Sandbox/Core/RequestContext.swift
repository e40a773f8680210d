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
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let field = Self.unfitNumber(in: request.body, as: Body.self)
            {
                throw APIFailure.invalid(field.path, "must be an integer from -2^63 to 2^63-1 (got \(field.value))")
            }
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

    /// The number that made decoding fail, when the body is valid JSON: Foundation reports a number
    /// that does not fit an integer field (1.5, 2^63) as "not valid JSON" with no path. Each number
    /// that is not an exact Int64 is set to 0 in turn; the one whose change lets decoding get past
    /// that error is the field to name.
    static func unfitNumber<Body: Decodable>(in body: Data, as _: Body.Type) -> (path: String, value: String)? {
        guard let tree = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return nil
        }
        var candidates: [[Any]] = []
        func collect(_ value: Any, _ path: [Any]) {
            guard candidates.count < 64 else { return }
            if let object = value as? [String: Any] {
                for key in object.keys.sorted() { collect(object[key] as Any, path + [key]) }
            } else if let array = value as? [Any] {
                for (index, item) in array.enumerated() { collect(item, path + [index]) }
            } else if let number = value as? NSNumber,
                NSNumber(value: number.int64Value) != number || number.stringValue.contains(".")
            {
                candidates.append(path)
            }
        }
        collect(tree, [])
        func replacing(_ value: Any, at path: ArraySlice<Any>) -> Any {
            guard let head = path.first else { return 0 }
            if var object = value as? [String: Any], let key = head as? String {
                object[key] = replacing(object[key] as Any, at: path.dropFirst())
                return object
            }
            if var array = value as? [Any], let index = head as? Int {
                array[index] = replacing(array[index], at: path.dropFirst())
                return array
            }
            return value
        }
        func lookup(_ value: Any, _ path: ArraySlice<Any>) -> Any? {
            guard let head = path.first else { return value }
            if let object = value as? [String: Any], let key = head as? String {
                return object[key].flatMap { lookup($0, path.dropFirst()) }
            }
            if let array = value as? [Any], let index = head as? Int { return lookup(array[index], path.dropFirst()) }
            return nil
        }
        for path in candidates {
            let changed = replacing(tree, at: path[...])
            guard let data = try? JSONSerialization.data(withJSONObject: changed, options: [.fragmentsAllowed]) else {
                continue
            }
            do {
                _ = try JSONDecoder().decode(Body.self, from: data)
            } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
                continue
            } catch {}
            let text = path.map { ($0 as? Int).map { "[\($0)]" } ?? ".\($0)" }.joined()
            let value = (lookup(tree, path[...]) as? NSNumber)?.stringValue ?? "?"
            return (text.hasPrefix(".") ? String(text.dropFirst()) : text, value)
        }
        return nil
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

    /// The page a list asks for: its number, its size and how many items come before it (clamped, so
    /// a page past the end is empty rather than an overflow).
    func pageWindow(pageName: String = "page", sizeName: String = "size") throws -> (page: Int, size: Int, offset: Int)
    {
        let page = try queryInt(pageName, default: 1, 1...Int.max)
        let size = try queryInt(sizeName, default: 10, 1...Bounds.pageSize)
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: size)
        return (page, size, overflow ? Int.max / 2 : offset)
    }

    /// A page of stored resources already selected in SQL, presented.
    func page<Item: Codable & Sendable>(
        _ selected: (items: [StoredResource], total: Int), window: (page: Int, size: Int, offset: Int),
        present: (StoredResource) throws -> Item
    ) throws -> Page<Item> {
        Page(
            items: try selected.items.map(present), page: window.page, size: window.size, total: selected.total,
            pages: (selected.total + window.size - 1) / window.size)
    }

    /// A page of `items` in the `{items, page, size, total, pages}` shape.
    func page<Item: Codable & Sendable>(
        _ items: [Item], pageName: String = "page", sizeName: String = "size"
    ) throws
        -> Page<Item>
    {
        let page = try queryInt(pageName, default: 1, 1...Int.max)
        let size = try queryInt(sizeName, default: 10, 1...Bounds.pageSize)
        let pages = (items.count + size - 1) / size
        let start = min(
            (page - 1).multipliedReportingOverflow(by: size).overflow ? items.count : (page - 1) * size, items.count)
        return Page(
            items: Array(items[start..<min(start + size, items.count)]), page: page, size: size, total: items.count,
            pages: pages)
    }
}
