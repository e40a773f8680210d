/// A resource's statuses over time: a list of (from-time, status) changes derived from its events.
///
/// An event at time t cancels the changes scheduled after t (a delete during boot never becomes
/// RUNNING) and schedules its own.
struct StatusTimeline<Status: Equatable & Sendable>: Sendable {
    private(set) var changes: [(at: Int64, status: Status)] = []

    /// Drops the changes after `time` and appends new ones.
    mutating func at(_ time: Int64, then steps: [(Int64, Status)]) {
        changes.removeAll { $0.at > time }
        for step in steps { changes.append((at: step.0, status: step.1)) }
    }

    func status(at time: Int64) -> Status? {
        changes.last { $0.at <= time }?.status
    }

    /// When the current status began.
    func since(at time: Int64) -> Int64? {
        guard let current = status(at: time) else { return nil }
        var start = changes.last { $0.at <= time }?.at
        for change in changes.reversed() where change.at <= time {
            if change.status == current { start = change.at } else { break }
        }
        return start
    }

    /// The intervals up to `now` in which a status satisfying `predicate` held.
    func intervals(upTo now: Int64, where predicate: (Status) -> Bool) -> [Range<Int64>] {
        var result: [Range<Int64>] = []
        for (index, change) in changes.enumerated() where change.at <= now && predicate(change.status) {
            let end = min(index + 1 < changes.count ? changes[index + 1].at : now, now)
            if end > change.at {
                if let last = result.last, last.upperBound == change.at {
                    result[result.count - 1] = last.lowerBound..<end
                } else {
                    result.append(change.at..<end)
                }
            }
        }
        return result
    }

    /// Total milliseconds in statuses satisfying `predicate`, up to `now`.
    func duration(upTo now: Int64, where predicate: (Status) -> Bool) -> Int64 {
        intervals(upTo: now, where: predicate).reduce(0) { $0 + ($1.upperBound - $1.lowerBound) }
    }
}
