import Foundation
import Language
import Runs
import Synchronization
import Terminal
import YottaAPI

/// Deletes by the cloud's rules, in programs, one-line commands and cleanup alike (docs/runs.md,
/// "Deletes and what they depend on"): an endpoint is stopped, and waited for, before it is
/// deleted; a volume still mounted and a credential still in use wait, within `dependencyWait`,
/// while what holds them is going away (a terminating pod holds its volumes and credential). When
/// a holder still runs, waiting would not help: the error's kind is `dependency`, and a deferred
/// delete refused so runs again once the other deferred statements have run — so the order of
/// `defer vol.delete()` and `defer pod.delete()` does not matter.
extension CloudSession {
    /// How long a delete waits for what depends on its resource.
    static let dependencyWait = Duration.seconds(120)

    /// Deletes a resource after what it depends on. Returns whether it was deleted now (false: it
    /// no longer billed).
    @discardableResult
    func delete(_ kind: ResourceKind, _ id: ResourceID, wait: Duration = dependencyWait) async throws -> Bool {
        switch kind {
        case .endpoint: return try await remove(.endpoint, id, stopTimeout: wait)
        case .vm, .pod: return try await remove(kind, id)
        case .volume, .credential:
            var waited = Duration.zero
            let line = ProgressLine(progress)
            defer { line.end() }
            while true {
                do {
                    return try await remove(kind, id)
                } catch {
                    let category = error.code?.category
                    guard category == .inUse || category == .invalidState else { throw error }
                    let holders = try await holders(of: kind, id, refusal: error)
                    let code: Value = error.code.map { .int(Int64($0.rawValue)) } ?? .null
                    if let staying = holders.staying {
                        throw RuntimeError(
                            .invalidOperation,
                            "\(kind.rawValue) \(id.rawValue) is still \(kind == .volume ? "mounted" : "used") by "
                                + "\(staying), which still runs: delete it first (a deferred delete runs again "
                                + "after the other deferred statements)",
                            at: .none, kind: .dependency, code: code)
                    }
                    guard waited < wait else {
                        throw RuntimeError(
                            .invalidOperation,
                            "\(kind.rawValue) \(id.rawValue) was still held after \(wait) (\(Self.describe(error)))",
                            at: .none, kind: .dependency, code: code)
                    }
                    line.show(
                        "\(kind.rawValue) \(id.rawValue) is \(kind == .volume ? "mounted" : "used") by "
                            + "\(holders.leaving) terminating pod(s)", elapsed: waited)
                    try await sleep(.seconds(1))
                    waited += .seconds(1)
                }
            }
        }
    }

    /// The progress of a wait that is not a `wait until`: a status line on a terminal, a line every
    /// 15 s off one (as `wait until` shows its own).
    final class ProgressLine: Sendable {
        let progress: CloudWaitHook.Progress
        let last = Mutex<ContinuousClock.Instant?>(nil)

        init(_ progress: CloudWaitHook.Progress) { self.progress = progress }

        func show(_ what: String, elapsed: Duration) {
            let text = "⧗ \(Printer.duration(elapsed)) · waiting: \(what)"
            switch progress {
            case .none: break
            case .statusLine: TerminalOutput.setStatus { Printer.visible(text) }
            case .periodic(let every):
                let due = last.withLock { last in
                    let now = ContinuousClock.now
                    guard elapsed >= every, last.map({ now - $0 >= every }) ?? true else { return false }
                    last = now
                    return true
                }
                if due {
                    StandardStream.error.write("gpus: still waiting (\(Printer.duration(elapsed)) elapsed): \(what)\n")
                }
            case .report(let report): report(Double(elapsed / .milliseconds(1)) / 1000, "waiting: \(what)")
            }
        }

        func end() {
            if case .statusLine = progress { TerminalOutput.setStatus(nil) }
        }
    }

    /// Who holds a volume or a credential the API refused to delete: the first holder that still
    /// runs (nil when everything holding it is going away, or the refusal is a passing state).
    func holders(
        of kind: ResourceKind, _ id: ResourceID, refusal: any Error
    ) async throws -> (staying: String?, leaving: Int) {
        let pods = try await client.listPods()
        let leavingPods = pods.filter { $0.status.known == .terminating }
        if kind == .credential, case .api(let api)? = refusal as? YottaError, let usage = api.credentialUsage {
            // The API names the pods and endpoints that use it.
            let ids = usage.podList.compactMap(Self.id(of:))
            for podID in ids {
                guard let pod = pods.first(where: { $0.id.rawValue == podID }) else { continue }
                if ![.terminating, .terminated, .failed].contains(pod.status.known) {
                    return ("Pod \(pod.name ?? podID) (\(pod.status.rawValue))", 0)
                }
            }
            if let endpoint = usage.elasticList.first {
                return ("Endpoint \(Self.id(of: endpoint) ?? "?")", 0)
            }
            return (nil, ids.count)
        }
        if kind == .volume {
            let volume = try await client.getVolume(id: id)
            // Creating or resizing: a passing state.
            if volume.status.known != .active { return (nil, 0) }
            if (volume.mountCount ?? 1) > 0, leavingPods.isEmpty {
                return ("\(volume.mountCount ?? 1) pod(s) or VM(s)", 0)
            }
        }
        return (nil, leavingPods.count)
    }

    static func id(of value: JSONValue) -> String? {
        switch value {
        case .int(let number): String(number)
        case .string(let text): text
        case .object(let fields): fields["id"].flatMap(id(of:))
        default: nil
        }
    }
}
