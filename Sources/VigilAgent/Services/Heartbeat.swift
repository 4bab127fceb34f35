import Synchronization

/// The alarm engine's pulse, in real (monotonic) time, readable without waiting for the agent:
/// the systemd notifier asks it every second, and must get an answer even when the agent is
/// stuck — that is exactly when it must stop feeding the watchdog.
public final class Heartbeat: Sendable {
    private let origin = ContinuousClock.now
    /// Nanoseconds from `origin` to the last beat; -1 before the first.
    private let last = Atomic<Int64>(-1)

    public init() {}

    /// The engine has just ticked.
    func beat() {
        let since = origin.duration(to: .now).components
        last.store(since.seconds * 1_000_000_000 + since.attoseconds / 1_000_000_000, ordering: .relaxed)
    }

    /// How long since the engine last ticked; `nil` if it never has.
    public var sinceLastBeat: Duration? {
        let at = last.load(ordering: .relaxed)
        guard at >= 0 else { return nil }
        return origin.duration(to: .now) - .nanoseconds(at)
    }

    /// How long since this process started counting (a grace period before the first beat).
    var sinceStart: Duration { origin.duration(to: .now) }
}
