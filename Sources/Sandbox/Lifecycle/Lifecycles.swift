import YottaAPI

/// The status of each kind of resource, derived from its events (section 3 of the reference).
enum Lifecycles {
    /// VMs: initializing → running; a spot preemption stops them; terminate is immediate.
    static func vm(_ events: [ResourceEvent]) -> StatusTimeline<VMStatus> {
        var timeline = StatusTimeline<VMStatus>()
        for event in events {
            switch event.kind {
            case .created:
                timeline.at(event.at, then: [(event.at, .initializing), (event.at + event.duration, .running)])
            case .preempted:
                if timeline.status(at: event.at) == .running { timeline.at(event.at, then: [(event.at, .stopped)]) }
            case .terminate: timeline.at(event.at, then: [(event.at, .terminated)])
            default: break
            }
        }
        return timeline
    }

    /// Pods: INITIALIZE → RUNNING ⇄ (PAUSING → PAUSED, resume → INITIALIZE → RUNNING);
    /// delete → TERMINATING → TERMINATED; a pod that cannot be placed → FAILED.
    static func pod(_ events: [ResourceEvent]) -> StatusTimeline<PodStatus> {
        var timeline = StatusTimeline<PodStatus>()
        for event in events {
            let end = event.at + event.duration
            switch event.kind {
            case .created: timeline.at(event.at, then: [(event.at, .initialize), (end, .running)])
            case .fail: timeline.at(event.at, then: [(event.at, .initialize), (end, .failed)])
            case .pause: timeline.at(event.at, then: [(event.at, .pausing), (end, .paused)])
            case .resume: timeline.at(event.at, then: [(event.at, .initialize), (end, .running)])
            case .delete: timeline.at(event.at, then: [(event.at, .terminating), (end, .terminated)])
            default: break
            }
        }
        return timeline
    }

    /// Volumes: creating → active; resize → resizing → active; delete → deleting → gone.
    static func volume(_ events: [ResourceEvent]) -> StatusTimeline<VolumeStatus> {
        var timeline = StatusTimeline<VolumeStatus>()
        for event in events {
            let end = event.at + event.duration
            switch event.kind {
            case .created: timeline.at(event.at, then: [(event.at, .creating), (end, .active)])
            case .resize: timeline.at(event.at, then: [(event.at, .resizing), (end, .active)])
            case .delete: timeline.at(event.at, then: [(event.at, .deleting)])
            default: break
            }
        }
        return timeline
    }
}
