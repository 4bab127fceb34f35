/// What the agent must say to a device to keep it talking, and (for a BP module) to make it
/// measure. Drivers are pure: they return the bytes to send and never touch the port.
public protocol DeviceDriver: Sendable {
    /// Bytes to send right after the port opens.
    mutating func opened(now: ContinuousClock.Instant) -> [[UInt8]]
    /// Called every ``tickInterval``.
    mutating func tick(now: ContinuousClock.Instant) -> DriverOutput
    mutating func received(_ message: DeviceMessage, now: ContinuousClock.Instant) -> DriverOutput
    /// A request for a measurement now ("measure now", or the BP schedule).
    mutating func measure(now: ContinuousClock.Instant) -> DriverOutput
    /// How often ``tick(now:)`` is called: as seldom as the protocol's timers allow, since each
    /// tick wakes the connection (its watchdog is checked at the same pace: a silent port is
    /// reopened 5–6 s after its last frame).
    var tickInterval: Duration { get }
}

extension DeviceDriver {
    /// Once a second: a keep-alive every 5 s, and the watchdog's 5 s of silence, need no more.
    public var tickInterval: Duration { .seconds(1) }
}

/// Bytes to send, and anything the driver itself has to report (a measurement that timed out).
public struct DriverOutput: Sendable, Equatable {
    public var send: [[UInt8]] = []
    public var messages: [DeviceMessage] = []

    public init(send: [[UInt8]] = [], messages: [DeviceMessage] = []) {
        self.send = send
        self.messages = messages
    }
}

extension DeviceProtocol {
    public func makeDriver() -> any DeviceDriver {
        switch self {
        case .contecV7: ContecV7Driver()
        case .suntech: SunTechDriver()
        default: ListeningDriver()
        }
    }
}

/// Devices that stream unprompted (Contec legacy, Masimo, Nonin).
public struct ListeningDriver: DeviceDriver {
    public init() {}
    public mutating func opened(now: ContinuousClock.Instant) -> [[UInt8]] { [] }
    public mutating func tick(now: ContinuousClock.Instant) -> DriverOutput { DriverOutput() }
    public mutating func received(_ message: DeviceMessage, now: ContinuousClock.Instant) -> DriverOutput { DriverOutput() }
    public mutating func measure(now: ContinuousClock.Instant) -> DriverOutput { DriverOutput() }
}

/// Contec V7: start realtime data (`A1`) on open, tell the device a host is connected (`AF`)
/// every 5 s, and re-send `A1` every 15 s because the CMS50D+ stops after 30 s.
public struct ContecV7Driver: DeviceDriver {
    var lastKeepAlive: ContinuousClock.Instant?
    var lastStart: ContinuousClock.Instant?
    public static let keepAliveEvery: Duration = .seconds(5)
    public static let restartEvery: Duration = .seconds(15)

    public init() {}

    public mutating func opened(now: ContinuousClock.Instant) -> [[UInt8]] {
        lastStart = now
        lastKeepAlive = now
        return [HostCommand.contecCommand(0xA1)]
    }

    public mutating func tick(now: ContinuousClock.Instant) -> DriverOutput {
        var out = DriverOutput()
        if let last = lastStart, now - last >= Self.restartEvery {
            lastStart = now
            out.send.append(HostCommand.contecCommand(0xA1))
        }
        if let last = lastKeepAlive, now - last >= Self.keepAliveEvery {
            lastKeepAlive = now
            out.send.append(HostCommand.contecCommand(0xAF))
        }
        return out
    }

    public mutating func received(_ message: DeviceMessage, now: ContinuousClock.Instant) -> DriverOutput { DriverOutput() }
    public mutating func measure(now: ContinuousClock.Instant) -> DriverOutput { DriverOutput() }
}
