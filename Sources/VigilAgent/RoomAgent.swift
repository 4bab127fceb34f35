import Foundation
import VigilCore
import VigilDevices

/// What the agent hands to whoever watches it: room events, and the readings behind them.
public enum AgentOutput: Sendable, Hashable {
    case room(RoomEvent)
    case reading(Reading)
}

/// One room, live: device events become readings, readings and staff commands go through the
/// `RoomMonitor`, deadlines are ticked, and the BP module is told to measure on schedule. Every
/// decision stays in `VigilCore`; this actor only moves things between the edges and it.
public actor RoomAgent<C: VigilClock> {
    private var monitor: RoomMonitor<C>
    private let output: @Sendable (AgentOutput) -> Void
    private var forwarded: [String: (at: C.Instant, quality: ReadingQuality)] = [:]
    private var bloodPressure: DeviceConnection?
    private var lastAutomaticMeasurement: C.Instant?

    /// Oximeters send up to 75 frames a second; the room keeps one reading a second per vital,
    /// and every change of quality at once.
    public static var readingInterval: Duration { .seconds(1) }
    /// An automatic BP measurement starts this long before it is due (a cuff takes 30–60 s).
    public static var measurementLead: Duration { .seconds(30) }
    /// A measurement that failed is tried again after this long.
    public static var retryAfter: Duration { .seconds(60) }

    public init(clock: C, profile: AlarmProfile, alarmIDPrefix: String = "A",
                output: @escaping @Sendable (AgentOutput) -> Void) {
        monitor = RoomMonitor(clock: clock, profile: profile, alarmIDPrefix: alarmIDPrefix)
        self.output = output
    }

    /// Registers a device whose silence must raise an alarm, and the BP module to drive.
    public func attach(_ connection: DeviceConnection) {
        monitor.watch(device: connection.name, continuous: connection.kind.isContinuous)
        if connection.kind == .suntech { bloodPressure = connection }
    }

    public var activeAlarms: [Alarm] { monitor.alarms.activeAlarms }
    public var phase: Phase { monitor.session.phase }

    public func handle(_ event: DeviceEvent) {
        switch event {
        case .connected(let device):
            emit(try? monitor.perform(.deviceConnected(device)))
        case .disconnected(let device, let reason):
            emit(try? monitor.perform(.deviceDisconnected(device, reason: reason)))
        case .message(let device, .values(let values, _)):
            for value in values { receive(Reading(time: monitor.clock.wallNow, vital: value.vital, value: value.value,
                                                  device: device, quality: value.quality)) }
        case .message(let device, .measurementFailed(_, let reason)):
            emit(try? monitor.perform(.measurementFailed(device, reason: reason)))
        case .message:
            break
        }
    }

    /// A staff command; refused commands throw and change nothing.
    public func perform(_ command: RoomCommand) throws {
        emit(try monitor.perform(command))
    }

    /// A nurse's "measure now".
    public func measureBloodPressureNow() async {
        guard let connection = bloodPressure else { return }
        await startMeasurement(connection)
    }

    private func startMeasurement(_ connection: DeviceConnection) async {
        lastAutomaticMeasurement = monitor.clock.now
        emit(try? monitor.perform(.measurementStarted(connection.name)))
        await connection.measureNow()
    }

    /// Ticks the room until cancelled: deadlines (at most 100 ms late, which is Vigil's own
    /// part of the alarm delay) and automatic BP measurements.
    public func run() async {
        while !Task.isCancelled {
            emit(monitor.tick())
            await measureIfDue()
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func measureIfDue() async {
        guard let connection = bloodPressure,
              let due = monitor.alarms.nextBloodPressureMeasurement(lead: Self.measurementLead) else { return }
        let now = monitor.clock.now
        guard due <= now, await !connection.isMeasuring else { return }
        if let last = lastAutomaticMeasurement, last.duration(to: now) < Self.retryAfter { return }
        await startMeasurement(connection)
    }

    private func receive(_ reading: Reading) {
        let key = "\(reading.device)/\(reading.vital.rawValue)"
        let now = monitor.clock.now
        if let last = forwarded[key], last.quality == reading.quality, last.at.duration(to: now) < Self.readingInterval,
           !reading.vital.isIntermittent {
            return
        }
        forwarded[key] = (now, reading.quality)
        output(.reading(reading))
        emit(monitor.receive(reading))
    }

    private func emit(_ events: [RoomEvent]?) {
        for event in events ?? [] { output(.room(event)) }
    }
}
