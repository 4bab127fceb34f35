import Foundation
import Logging
import VigilAudio
import VigilCore
import VigilDevices
import VigilMQTT
import VigilStore

/// What the agent hands to whoever watches it: room events, the readings behind them, and the
/// summary of each session that ends.
public enum AgentOutput: Sendable, Hashable {
    case room(RoomEvent)
    case reading(Reading)
    case summary(session: String, SessionSummary)
}

/// Which room this agent is.
public struct RoomIdentity: Sendable, Hashable {
    public var site: String
    public var room: String
    public init(site: String, room: String) { self.site = site; self.room = room }
}

/// One room, live: device events become readings, readings and staff commands go through the
/// `RoomMonitor`, deadlines are ticked, the BP module is told to measure on schedule, and —
/// with a store — everything is recorded, alarm events before anyone else hears of them.
/// Every decision stays in `VigilCore`; this actor only moves things between the edges and it.
public actor RoomAgent<C: VigilClock> {
    var monitor: RoomMonitor<C>
    let profile: AlarmProfile
    public nonisolated let identity: RoomIdentity
    let store: Store?
    let readingWriter: ReadingWriter?
    let output: @Sendable (AgentOutput) -> Void
    let log: Logger
    /// The session being recorded, once one has started (or been resumed).
    public internal(set) var sessionID: String?
    var storageFailing = false
    /// A session whose end was just recorded; summarised once the events ending it are stored.
    var endedSession: String?
    /// The clinic's broker, once ``publish(to:)`` is called.
    var publisher: RoomPublisher?
    /// The staff chime, once ``sound(alarmsOn:)`` is called.
    var chime: Chime?
    /// Wall-clock start and dose of the current session, for the published session state.
    var sessionTimes: (started: Date?, dose: Date?) = (nil, nil)
    /// The record keeps every change of value or quality, and a steady reading once a second.
    private var recorded: ReadingThrottle<C.Instant>
    private var bloodPressure: DeviceConnection?
    private var lastAutomaticMeasurement: C.Instant?
    /// The agent is shutting down: ports it closes itself are not a device lost.
    private var isStopping = false
    /// When the run loop last ticked the engine: the health check's sign that alarms still flow.
    var lastTick: C.Instant?
    /// The run loop's sleep, and when it ends: cancelled when something brings the engine's
    /// next deadline nearer (``wakeIfSooner()``).
    private var sleep: (task: Task<Void, Never>, until: C.Instant)?
    /// The same in real time, for systemd's watchdog, readable while the agent is busy.
    public nonisolated let heartbeat = Heartbeat()
    /// Records the database refused, waiting in order (``write(_:)``), and when they were last tried.
    var pendingWrites: [() throws -> Void] = []
    var lastWriteRetry: C.Instant?

    /// Oximeters send up to 75 frames a second; the room keeps a steady reading once a second
    /// per vital, and every change of value or quality at once (the engine hears every reading
    /// it is given: the same values, and steady repeats more often).
    public static var readingInterval: Duration { .seconds(1) }
    /// An automatic BP measurement starts this long before it is due (a cuff takes 30–60 s).
    public static var measurementLead: Duration { .seconds(30) }
    /// A measurement that failed is tried again after this long.
    public static var retryAfter: Duration { .seconds(60) }

    public init(clock: C, profile: AlarmProfile, identity: RoomIdentity = RoomIdentity(site: "demo", room: "room-1"),
                store: Store? = nil, output: @escaping @Sendable (AgentOutput) -> Void,
                log: Logger = .vigil("agent")) {
        let boot = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        monitor = RoomMonitor(clock: clock, profile: profile, alarmIDPrefix: "\(boot)-A")
        recorded = ReadingThrottle(interval: Self.readingInterval)
        self.profile = profile
        self.identity = identity
        self.store = store
        self.output = output
        self.log = log
        readingWriter = store.map { ReadingWriter(store: $0) }
        if let readingWriter {
            let room = self
            readingWriter.onStatus { status in Task { await room.storage(status) } }
        }
    }

    /// Registers a device whose silence must raise an alarm, and the BP module to drive.
    public func attach(_ connection: DeviceConnection) {
        monitor.watch(device: connection.name, continuous: connection.kind.isContinuous)
        if connection.kind == .suntech { bloodPressure = connection }
    }

    /// Sounds the staff chime for the room's alarms from now on.
    public func sound(alarmsOn chime: Chime) {
        self.chime = chime
        chime.sound(for: monitor.alarms.activeAlarms)
    }

    /// Registers a device that is not a serial connection (one on the broker).
    public func watch(device: String, continuous: Bool) {
        monitor.watch(device: device, continuous: continuous)
    }

    public var clock: C { monitor.clock }
    public var activeAlarms: [Alarm] { monitor.alarms.activeAlarms }
    public var phase: Phase { monitor.session.phase }
    public var sinceDose: Double? { monitor.session.sinceDose?.seconds }

    public func handle(_ event: DeviceEvent) {
        switch event {
        case .connected(let device):
            recordDevice(device, "connected", nil)
            emit(try? monitor.perform(.deviceConnected(device)))
        case .disconnected(let device, let reason):
            recordDevice(device, "disconnected", reason)
            guard !isStopping else { return }
            emit(try? monitor.perform(.deviceDisconnected(device, reason: reason)))
        case .message(let device, .values(let values, _)):
            let now = monitor.clock.wallNow
            receive(values.map { Reading(time: now, vital: $0.vital, value: $0.value, device: device, quality: $0.quality) })
        case .message(let device, .measurementFailed(_, let reason)):
            emit(try? monitor.perform(.measurementFailed(device, reason: reason)))
        case .message(let device, .info(let text)):
            log.info("device  \(device): \(text)")
        case .message:
            break
        }
    }

    /// A staff command, audited with its role and source; refused commands throw and change nothing.
    public func perform(_ command: RoomCommand, source: String = "cli") throws {
        emit(monitor.tick())  // what came due is told even if the command is refused
        emit(try monitor.perform(command))
        audit(command, source: source)
    }

    /// Says the room is being shut down on purpose: its devices going away from now on (the
    /// demo's simulators stopping, the ports closing) are logged, not raised as alarms.
    public func stopping() { isStopping = true }

    /// A scripted acknowledge or pause names its alarm by condition; this finds its id.
    public func resolvingAlarmName(_ command: RoomCommand) -> RoomCommand { monitor.resolvingAlarmName(command) }

    /// Writes buffered readings now (the run loop does this every 250 ms, and on shutdown).
    public func flushReadings() {
        readingWriter?.flush()
    }

    /// How often the session state is published again, in real time, as the room's pulse.
    static var stationPulse: Duration { .seconds(10) }

    /// A nurse's "measure now".
    public func measureBloodPressureNow() async {
        guard let connection = bloodPressure else { return }
        await startMeasurement(connection)
    }

    /// The run loop wakes at least this often (in the room's clock), for the health check's
    /// tick, the watchdog's heartbeat, the station's pulse and a retry of refused writes.
    static var longestSleep: Duration { .seconds(1) }

    /// Ticks the room until cancelled: at the engine's next deadline (a condition delay ending,
    /// a phase starting: late only by the scheduler's wake-up, which is Vigil's own part of the
    /// alarm delay, for every deadline a reading or command sets; one set otherwise, as by a
    /// storage failure, within ``longestSleep``) or ``longestSleep`` after the last tick;
    /// automatic BP measurements; and the reading writer.
    public func run() async {
        let writer = readingWriter.map { w in Task { await w.run() } }
        var lastPulse = ContinuousClock.now
        while !Task.isCancelled {
            emit(monitor.tick())
            lastTick = monitor.clock.now
            heartbeat.beat()
            retryPendingWritesIfDue()
            await measureIfDue()
            // The station hears the room every few seconds even with no device streaming: a
            // room it does not hear from for 30 s is a station alarm.
            if ContinuousClock.now - lastPulse >= Self.stationPulse {
                lastPulse = ContinuousClock.now
                publishSessionState()
            }
            await sleepUntilDue()
        }
        // The writer's last flush, awaited: the readings of the last moments are on disk
        // before the room goes on shutting down.
        writer?.cancel()
        await writer?.value
        readingWriter?.flush()
    }

    /// Sleeps on the room's clock (a demo's sped-up clock sleeps its own seconds) until the
    /// engine's next deadline, the next automatic BP measurement, or ``longestSleep``.
    private func sleepUntilDue() async {
        let clock = monitor.clock, now = clock.now
        var wake = now.advanced(by: Self.longestSleep)
        // A deadline the tick just passed is never slept to at once again: no spinning on it.
        if let deadline = monitor.nextDeadline(), deadline < wake { wake = max(deadline, now.advanced(by: .milliseconds(10))) }
        if bloodPressure != nil, let due = monitor.alarms.nextBloodPressureMeasurement(lead: Self.measurementLead),
           due > now, due < wake {
            wake = due
        }
        let sleeper = Task<Void, Never> { [wake] in _ = try? await clock.sleep(until: wake, tolerance: nil) }
        sleep = (sleeper, wake)
        await withTaskCancellationHandler { await sleeper.value } onCancel: { sleeper.cancel() }
        sleep = nil
    }

    /// After anything that may have set an earlier deadline (a reading starting a condition
    /// delay, a command): the run loop wakes for it instead of sleeping past it.
    func wakeIfSooner() {
        guard let sleep, let deadline = monitor.nextDeadline(), deadline < sleep.until else { return }
        sleep.task.cancel()
    }

    private func startMeasurement(_ connection: DeviceConnection) async {
        lastAutomaticMeasurement = monitor.clock.now
        emit(try? monitor.perform(.measurementStarted(connection.name)))
        await connection.measureNow()
    }

    private func measureIfDue() async {
        guard let connection = bloodPressure,
              let due = monitor.alarms.nextBloodPressureMeasurement(lead: Self.measurementLead) else { return }
        let now = monitor.clock.now
        // A module whose port is not open yet (the room starting) or any more (unplugged: its
        // own alarm) is asked once it is back, not failed at once.
        guard due <= now, await connection.isOpen, await !connection.isMeasuring else { return }
        if let last = lastAutomaticMeasurement, last.duration(to: now) < Self.retryAfter { return }
        await startMeasurement(connection)
    }

    /// One device message: a zero SpO2 or pulse becomes a lost signal and a BP without the
    /// monitor's MAP gets a derived one (both decided in the core). The engine judges every
    /// reading, so a crossing alarms on the frame that crossed; the record, the pages and the
    /// broker get every change of value or quality, and a steady reading once a second.
    private func receive(_ message: [Reading]) {
        let now = monitor.clock.now
        let (readings, events) = monitor.receive(measurement: message)
        for reading in readings
        where recorded.admits(device: reading.device, vital: reading.vital, value: reading.value, quality: reading.quality, at: now) {
            readingWriter?.append(reading, session: sessionID)
            output(.reading(reading))
            publish(reading)
        }
        emit(events)
    }

    func emit(_ events: [RoomEvent]?) {
        for event in events ?? [] {
            record(event)
            output(.room(event))
        }
        publish(events ?? [])
        if events?.contains(where: { if case .alarm = $0 { true } else { false } }) == true {
            chime?.sound(for: monitor.alarms.activeAlarms)
        }
        wakeIfSooner()
        // A summary is made from the records: not while some still wait for the disk.
        if let id = endedSession, pendingWrites.isEmpty {
            endedSession = nil
            sessionID = nil
            do { try summarize(session: id) } catch { storage(.failed("\(error)")) }
            publisher?.outboxChanged()
        }
    }
}
