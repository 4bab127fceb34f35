import Foundation

/// The two clocks Vigil lives by: a monotonic one for every duration (condition delays, phase
/// boundaries, the BP schedule) and the wall clock for what is recorded. Decisions in
/// `VigilCore` take a `VigilClock` so that a test or a replay can run two hours in microseconds.
public protocol VigilClock: Clock, Sendable where Duration == Swift.Duration {
    /// Wall-clock time now; stamped on events and records, never used to measure a duration.
    var wallNow: Date { get }
    /// How long `duration` of this clock's time lasts in real time: a demo's clock runs faster,
    /// and a part that counts in real time (a device's port) must count in proportion.
    func realDuration(_ duration: Swift.Duration) -> Swift.Duration
}

extension VigilClock {
    public func realDuration(_ duration: Swift.Duration) -> Swift.Duration { duration }
}

extension VigilClock {
    /// The monotonic instant at which the wall clock read `wall`, for times recorded before a
    /// restart; a time in the future (the clock moved back) counts as now.
    public func instant(atWall wall: Date) -> Instant {
        let ago = max(0, wallNow.timeIntervalSince(wall))
        return now.advanced(by: .zero - .milliseconds(Int64(ago * 1000)))
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
