/// The items of a paginated list, fetched page by page as they are consumed, to the last page.
public struct PageSequence<Item: Codable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = Item
    public typealias Fetch = @Sendable (Int) async throws(YottaError) -> Page<Item>

    let fetch: Fetch

    public init(fetch: @escaping Fetch) { self.fetch = fetch }

    public func makeAsyncIterator() -> Iterator { Iterator(fetch: fetch) }

    /// Every item of every page.
    public func collect() async throws(YottaError) -> [Item] {
        var iterator = makeAsyncIterator()
        var items: [Item] = []
        while let item = try await iterator.nextItem() { items.append(item) }
        return items
    }

    public struct Iterator: AsyncIteratorProtocol {
        let fetch: Fetch
        var buffer: [Item] = []
        var index = 0
        var nextPage: Int? = 1
        var seen = 0

        public mutating func next() async throws -> Item? { try await nextItem() }

        mutating func nextItem() async throws(YottaError) -> Item? {
            while index == buffer.count {
                guard let page = nextPage else { return nil }
                let result = try await fetch(page)
                buffer = result.items
                index = 0
                seen += result.items.count
                // Stop on the last page, on an empty page, or once `total` items arrived, so a server
                // that miscounts its pages cannot make the sequence loop forever.
                nextPage = result.hasNext && seen < result.total ? page + 1 : nil
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}

/// The lines of a worker's logs, following the `searchAfter` cursor page by page.
public struct WorkerLogSequence: AsyncSequence, Sendable {
    public typealias Element = WorkerLogLine
    public typealias Fetch = @Sendable (WorkerLogQuery) async throws(YottaError) -> WorkerLogPage

    let fetch: Fetch
    let query: WorkerLogQuery

    public init(query: WorkerLogQuery, fetch: @escaping Fetch) {
        self.query = query
        self.fetch = fetch
    }

    public func makeAsyncIterator() -> Iterator { Iterator(fetch: fetch, query: query) }

    public func collect() async throws(YottaError) -> [WorkerLogLine] {
        var iterator = makeAsyncIterator()
        var lines: [WorkerLogLine] = []
        while let line = try await iterator.nextLine() { lines.append(line) }
        return lines
    }

    public struct Iterator: AsyncIteratorProtocol {
        let fetch: Fetch
        var query: WorkerLogQuery?
        var buffer: [WorkerLogLine] = []
        var index = 0

        public mutating func next() async throws -> WorkerLogLine? { try await nextLine() }

        mutating func nextLine() async throws(YottaError) -> WorkerLogLine? {
            while index == buffer.count {
                guard let current = query else { return nil }
                let page = try await fetch(current)
                buffer = page.logs
                index = 0
                let following = current.following(page)
                // A cursor that does not move would return the same page forever.
                let moved =
                    following?.searchAfterTime != current.searchAfterTime
                    || following?.searchAfterOffset != current.searchAfterOffset
                query = page.logs.isEmpty || !moved ? nil : following
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}
