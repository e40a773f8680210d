/// One page of a paginated list: `{items, page, size, total, pages}` (VMs, volumes, tasks).
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var page: Int
    public var size: Int
    public var total: Int
    public var pages: Int

    public init(items: [Item], page: Int, size: Int, total: Int, pages: Int) {
        self.items = items
        self.page = page
        self.size = size
        self.total = total
        self.pages = pages
    }

    /// Whether a later page exists.
    public var hasNext: Bool { page < pages && !items.isEmpty }
}

extension Page: Equatable where Item: Equatable {}
