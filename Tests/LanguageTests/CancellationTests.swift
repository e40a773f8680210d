import Foundation
import Testing

@testable import Language

/// Cancellation handlers are forgotten everywhere they were given: an async call in a `parallel
/// for` iteration registers with the iteration's token and with its parents.
@Suite struct CancellationTests {
    @Test func aHandlerIsForgottenInTheTokenAndEveryParent() {
        let root = CancellationToken()
        let iteration = CancellationToken(parent: CancellationToken(parent: root))
        for _ in 0..<1000 { iteration.remove(iteration.onCancel {}) }
        #expect(iteration.waitingHandlers == 0 && root.waitingHandlers == 0)
    }

    @Test func aParentsCancelStillReachesAnIterationsCall() {
        let root = CancellationToken()
        let iteration = CancellationToken(parent: root)
        let called = Counter()
        let registration = iteration.onCancel { called.increment() }
        root.cancel()
        #expect(called.value == 1 && iteration.isCancelled)
        iteration.remove(registration)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
