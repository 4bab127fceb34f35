import Foundation

/// The real clocks: `ContinuousClock` for durations, `Date()` for records.
public struct SystemClock: VigilClock {
    public typealias Instant = ContinuousClock.Instant
    private let base = ContinuousClock()

    public init() {}

    public var now: Instant { base.now }
    public var minimumResolution: Swift.Duration { base.minimumResolution }
    public var wallNow: Date { Date() }

    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        try await base.sleep(until: deadline, tolerance: tolerance)
    }
}
