import Foundation

/// Real time, sped up: `speed` seconds of session time pass in each real second. The demo runs
/// a whole agent — devices, deadlines, alarms — on it, so a two-hour session shows in minutes
/// with every delay still in proportion.
public struct ScaledClock: VigilClock {
    public typealias Instant = ManualClock.Instant

    public let speed: Double
    public let wallStart: Date
    /// The real instant at which this clock read zero.
    public let origin: ContinuousClock.Instant

    public init(speed: Double, wallStart: Date = Date()) {
        self.speed = speed
        self.wallStart = wallStart
        origin = .now
    }

    public var now: Instant { Instant(offset: (ContinuousClock.now - origin) * speed) }
    public var minimumResolution: Swift.Duration { .milliseconds(1) }
    public var wallNow: Date { wallStart.addingTimeInterval(now.offset.seconds) }

    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        let remaining = now.duration(to: deadline)
        if remaining > .zero { try await Task.sleep(for: remaining / speed) }
    }
}
