import YottaAPI

/// A resource's status now and when it next changes, kept in its row so that lists filter, count and
/// page in SQL instead of deriving every resource's status from its events on every request.
///
/// The events stay the source of truth: a row's status is recomputed from them whenever an event is
/// recorded, and again once `nextChange` has passed (`StoreWriter.refreshDue`), before any list.
struct CurrentStatus: Sendable, Equatable {
    /// The status word (the kind's wire value), or `gone` once a deleted resource has left the lists.
    var status: String
    /// When the derived status may change without a new event (a boot finishing, a scheduled
    /// preemption, a delete completing); nil when only a new event can change it.
    var nextChange: Int64?

    static let gone = "gone"
    /// Credentials have no lifecycle: live until deleted.
    static let live = "live"

    static func of(_ stored: StoredResource, now: Int64) -> CurrentStatus {
        if let goneAt = stored.goneAt, goneAt <= now { return CurrentStatus(status: gone, nextChange: nil) }
        let status: String
        let scheduled: Int64?
        switch stored.kind {
        case .vm:
            let timeline = Lifecycles.vm(stored.events(upTo: now))
            status = (timeline.status(at: now) ?? .initializing).rawValue
            scheduled = timeline.nextChange(after: now)
        case .pod:
            let timeline = Lifecycles.pod(stored.events(upTo: now))
            status = (timeline.status(at: now) ?? .initialize).rawValue
            scheduled = timeline.nextChange(after: now)
        case .volume:
            let timeline = Lifecycles.volume(stored.events(upTo: now))
            status = (timeline.status(at: now) ?? .creating).rawValue
            scheduled = timeline.nextChange(after: now)
        case .endpoint:
            let timeline = EndpointController.timeline(stored, now: now)
            status = timeline.status(at: now).rawValue
            scheduled = timeline.statuses.nextChange(after: now)
        case .credential:
            status = live
            scheduled = nil
        }
        let pendingEvent = stored.events.lazy.map(\.at).filter { $0 > now }.min()
        let candidates = [scheduled, pendingEvent, stored.goneAt.flatMap { $0 > now ? $0 : nil }].compactMap { $0 }
        return CurrentStatus(status: status, nextChange: candidates.min())
    }
}

extension StatusTimeline {
    /// The first scheduled change after `time`.
    func nextChange(after time: Int64) -> Int64? { changes.first { $0.at > time }?.at }
}
