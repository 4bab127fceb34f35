import Foundation

/// Real time, sped up: `speed` seconds of session time pass in each real second. The demo runs
/// a whole agent — devices, deadlines, alarms — on it, so a two-hour session shows in minutes
/// with every delay still in proportion.
public struct ScaledClock: VigilClock {
    public typealias Instant = ManualClock.Instant

    public let speed: Double
    public let wallStart: Date
    /// The real instant at which this clock was made (reading ``startingAt``).
    private let origin: ContinuousClock.Instant

    /// Session time at which the clock starts (a resumed demo carries on from where it stopped).
    public let startingAt: Swift.Duration

    public init(speed: Double, wallStart: Date = Date(), startingAt: Swift.Duration = .zero) {
        self.speed = speed
        self.wallStart = wallStart
        self.startingAt = startingAt
        origin = .now
    }

    public var now: Instant { Instant(offset: startingAt + (ContinuousClock.now - origin) * speed) }

    /// The real instant at which this clock read zero (earlier than ``origin`` when it started later).
    public var zero: ContinuousClock.Instant { origin - startingAt / speed }
    public var minimumResolution: Swift.Duration { .milliseconds(1) }
    public var wallNow: Date { wallStart.addingTimeInterval(now.offset.seconds) }
    public func realDuration(_ duration: Swift.Duration) -> Swift.Duration { duration / speed }

    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        let remaining = now.duration(to: deadline)
        if remaining > .zero { try await Task.sleep(for: remaining / speed) }
    }
}
