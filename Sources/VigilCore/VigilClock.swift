import Foundation

/// The two clocks Vigil lives by: a monotonic one for every duration (condition delays, phase
/// boundaries, the BP schedule) and the wall clock for what is recorded. Decisions in
/// `VigilCore` take a `VigilClock` so that a test or a replay can run two hours in microseconds.
public protocol VigilClock: Clock, Sendable where Duration == Swift.Duration {
    /// Wall-clock time now; stamped on events and records, never used to measure a duration.
    var wallNow: Date { get }
}

extension VigilClock {
    /// The wall-clock time at a monotonic instant, assuming the wall clock does not jump between.
    public func wallTime(at instant: Instant) -> Date {
        wallNow.addingTimeInterval(now.duration(to: instant).seconds)
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
