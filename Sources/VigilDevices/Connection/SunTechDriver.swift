import VigilCore

/// Drives one SunTech Advantage measurement: start → 'O' → poll the cuff pressure every
/// 200 ms → 'K' (done) → ask for the result → the result frame. A measurement that does not
/// finish within ``timeout`` is reported as failed, so a dead module is never silent.
public struct SunTechDriver: DeviceDriver {
    enum Step: Sendable, Equatable { case idle, starting, measuring, fetching }

    var step: Step = .idle
    var startedAt: ContinuousClock.Instant?
    var lastPoll: ContinuousClock.Instant?
    public static let pollEvery: Duration = .milliseconds(200)
    public static let timeout: Duration = .seconds(150)

    public init() {}

    public var isMeasuring: Bool { step != .idle }

    public mutating func opened(now: ContinuousClock.Instant) -> [[UInt8]] {
        step = .idle
        return []
    }

    public mutating func measure(now: ContinuousClock.Instant) -> DriverOutput {
        guard step == .idle else { return DriverOutput() }
        step = .starting
        startedAt = now
        lastPoll = now
        return DriverOutput(send: [HostCommand.sunTechStartAdult])
    }

    public mutating func tick(now: ContinuousClock.Instant) -> DriverOutput {
        guard step != .idle, let started = startedAt else { return DriverOutput() }
        if now - started > Self.timeout {
            step = .idle
            return DriverOutput(send: [HostCommand.sunTechAbortMeasurement],
                                messages: [.measurementFailed(code: 0, reason: "no result from the module within \(Int(Self.timeout.seconds)) s")])
        }
        guard step == .measuring || step == .starting, let last = lastPoll, now - last >= Self.pollEvery else {
            return DriverOutput()
        }
        lastPoll = now
        return DriverOutput(send: [HostCommand.sunTechGetCuffPressure])
    }

    public mutating func received(_ message: DeviceMessage, now: ContinuousClock.Instant) -> DriverOutput {
        switch (step, message) {
        case (.starting, .acknowledged(.received)):
            step = .measuring
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
