import Foundation
import Synchronization

/// A clock that moves only when told to: the simulated clock of `vigil replay` and the test
/// clock of every decision test. Its wall clock follows its monotonic clock from `wallStart`,
/// plus an offset a test can change to simulate someone setting the wall clock.
public final class ManualClock: VigilClock {
    /// A point on the manual clock: the time since the clock was made.
    public struct Instant: InstantProtocol, Sendable, Hashable, Comparable {
        public var offset: Swift.Duration

        public init(offset: Swift.Duration) { self.offset = offset }
        public func advanced(by duration: Swift.Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Swift.Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct State {
        var now = Instant(offset: .zero)
        var wallOffset: Swift.Duration = .zero
        var sleepers: [(id: Int, deadline: Instant, continuation: CheckedContinuation<Void, Never>)] = []
        var nextSleeper = 0
    }

    private let state = Mutex(State())
    /// Wall-clock time at the clock's zero.
    public let wallStart: Date

    public init(wallStart: Date = Date(timeIntervalSince1970: 1_767_258_000)) {
        self.wallStart = wallStart
    }

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Swift.Duration { .nanoseconds(1) }

    public var wallNow: Date {
        state.withLock { wallStart.addingTimeInterval(($0.now.offset + $0.wallOffset).seconds) }
    }

    /// Moves time forward; sleepers whose deadline has come wake up.
    public func advance(by duration: Swift.Duration) {
        advance(to: now.advanced(by: duration))
    }

    /// Moves time forward to `instant` (never backwards).
    public func advance(to instant: Instant) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if instant > state.now { state.now = instant }
            let due = state.sleepers.filter { $0.deadline <= state.now }
            state.sleepers.removeAll { $0.deadline <= state.now }
            return due.map(\.continuation)
        }
        woken.forEach { $0.resume() }
    }

    /// Jumps the wall clock (as NTP or a person would) without moving monotonic time.
    public func jumpWallClock(by duration: Swift.Duration) {
        state.withLock { $0.wallOffset += duration }
    }

    /// Returns once the clock is advanced to `deadline`, or throws `CancellationError` at once
    /// when the task is cancelled, as `Task.sleep` does.
    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        let id = state.withLock { s in
            defer { s.nextSleeper += 1 }
            return s.nextSleeper
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers.append((id, deadline, continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { s in s.sleepers.firstIndex { $0.id == id }.map { s.sleepers.remove(at: $0) } }
            cancelled?.continuation.resume()
        }
        try Task.checkCancellation()
    }
}
