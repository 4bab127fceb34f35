import VigilCore

/// Drives one SunTech Advantage measurement: start → 'O' → poll the cuff pressure every
/// 200 ms → 'K' (done) → ask for the result → the result frame. A measurement that does not
/// finish within ``timeout`` is reported as failed, so a dead module is never silent.
public struct SunTechDriver: DeviceDriver {
    enum Step: Sendable, Equatable { case idle, starting, measuring, fetching }

    var step: Step = .idle
    var startedAt: ContinuousClock.Instant?
    var lastPoll: ContinuousClock.Instant?
    var starts = 0
    public static let pollEvery: Duration = .milliseconds(200)
    /// A start the module does not acknowledge within this long is sent again (twice at most).
    public static let acknowledgeWithin: Duration = .seconds(2)
    public static let timeout: Duration = .seconds(150)

    public init() {}

    public var isMeasuring: Bool { step != .idle }

    /// Ten times a second: the cuff pressure is polled every 200 ms once a measurement starts,
    /// and a start may come at any moment (the interval is read before each sleep).
    public var tickInterval: Duration { .milliseconds(100) }

    public mutating func opened(now: ContinuousClock.Instant) -> [[UInt8]] {
        step = .idle
        return []
    }

    public mutating func measure(now: ContinuousClock.Instant) -> DriverOutput {
        guard step == .idle else { return DriverOutput() }
        step = .starting
        startedAt = now
        lastPoll = now
        starts = 1
        return DriverOutput(send: [HostCommand.sunTechStartAdult])
    }

    public mutating func tick(now: ContinuousClock.Instant) -> DriverOutput {
        guard step != .idle, let started = startedAt else { return DriverOutput() }
        if now - started > Self.timeout {
            step = .idle
            return DriverOutput(send: [HostCommand.sunTechAbortMeasurement],
                                messages: [.measurementFailed(code: 0, reason: "no result from the module within \(Int(Self.timeout.seconds)) s")])
        }
        if step == .starting, let last = lastPoll, now - last >= Self.acknowledgeWithin {
            guard starts < 3 else {
                step = .idle
                return DriverOutput(messages: [.measurementFailed(code: 0, reason: "the module did not acknowledge the start")])
            }
            starts += 1
            lastPoll = now
            return DriverOutput(send: [HostCommand.sunTechStartAdult])
        }
        guard step == .measuring, let last = lastPoll, now - last >= Self.pollEvery else { return DriverOutput() }
        lastPoll = now
        return DriverOutput(send: [HostCommand.sunTechGetCuffPressure])
    }

    public mutating func received(_ message: DeviceMessage, now: ContinuousClock.Instant) -> DriverOutput {
        switch (step, message) {
        case (.starting, .acknowledged(.received)):
            step = .measuring
            lastPoll = now
        case (.starting, .acknowledged(let ack)) where ack == .busy || ack == .error || ack == .sleeping:
            step = .idle
            return DriverOutput(messages: [.measurementFailed(code: 0, reason: "module answered \(ack) to start")])
        case (.measuring, .acknowledged(.done)), (.starting, .acknowledged(.done)):
            step = .fetching
            return DriverOutput(send: [HostCommand.sunTechGetResult])
        case (_, .values), (_, .measurementFailed):
            step = .idle
        default:
            break
        }
        return DriverOutput()
    }
}
