/// One page of a worker's logs (`data` of `GET /v2/serverless/{id}/workers/{workerId}/logs`).
public struct WorkerLogPage: Codable, Hashable, Sendable {
    public var logs: [WorkerLogLine]
    public var hasMore: Bool
    /// Epoch ms as text: pass back as `searchAfterTime`.
    public var nextSearchAfterTime: String?
    /// A number as text: pass back as `searchAfterOffset`.
    public var nextSearchAfterOffset: String?

    public init(
        logs: [WorkerLogLine], hasMore: Bool, nextSearchAfterTime: String? = nil,
        nextSearchAfterOffset: String? = nil
    ) {
        self.logs = logs
        self.hasMore = hasMore
        self.nextSearchAfterTime = nextSearchAfterTime
        self.nextSearchAfterOffset = nextSearchAfterOffset
    }

    enum CodingKeys: String, CodingKey {
        case logs, hasMore, nextSearchAfterTime, nextSearchAfterOffset
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        logs = try container.decodeIfPresent([WorkerLogLine].self, forKey: .logs) ?? []
        hasMore = try container.decodeIfPresent(Bool.self, forKey: .hasMore) ?? false
        nextSearchAfterTime = try container.decodeIfPresent(FlexibleString.self, forKey: .nextSearchAfterTime)?.text
        nextSearchAfterOffset = try container.decodeIfPresent(FlexibleString.self, forKey: .nextSearchAfterOffset)?
            .text
    }
}

/// One log line.
public struct WorkerLogLine: Codable, Hashable, Sendable {
    public var timestamp: Timestamp
    public var log: String
    public var offset: Int64

    public init(timestamp: Timestamp, log: String, offset: Int64) {
        self.timestamp = timestamp
        self.log = log
        self.offset = offset
    }
}

/// Which way a log query pages.
public enum LogDirection: String, WireEnum {
    case forward = "Forward"
    case backward = "Backward"
}

/// The query of a worker-log call. `startTime`/`endTime` are epoch ms or ISO 8601 text.
public struct WorkerLogQuery: Hashable, Sendable {
    public var pageSize: Int?
    public var keyword: String?
    public var startTime: String?
    public var endTime: String?
    public var searchAfterTime: String?
    public var searchAfterOffset: Int64?
    public var direction: LogDirection?

    public init(
        pageSize: Int? = nil, keyword: String? = nil, startTime: String? = nil, endTime: String? = nil,
        searchAfterTime: String? = nil, searchAfterOffset: Int64? = nil, direction: LogDirection? = nil
    ) {
        self.pageSize = pageSize
        self.keyword = keyword
        self.startTime = startTime
        self.endTime = endTime
        self.searchAfterTime = searchAfterTime
        self.searchAfterOffset = searchAfterOffset
        self.direction = direction
    }

    /// The query for the page after `page`, or nil when there is none.
    public func following(_ page: WorkerLogPage) -> WorkerLogQuery? {
        guard page.hasMore, let time = page.nextSearchAfterTime else { return nil }
        var next = self
        next.searchAfterTime = time
        next.searchAfterOffset = page.nextSearchAfterOffset.flatMap { Int64($0) }
        return next
    }
}
