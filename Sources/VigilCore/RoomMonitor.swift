import Foundation

/// Anything the room's decisions produce, in the order it happened.
public enum RoomEvent: Sendable, Hashable {
    case session(SessionEvent)
    case alarm(AlarmEvent)
}

/// A command from the staff or the devices' edge, as the room understands it.
public enum RoomCommand: Sendable, Hashable {
    case startSession(by: Role, patientReference: String?)
    case markDose(by: Role)
    case markBooster(by: Role)
    case addNote(String, by: Role)
    /// Ends the session; `overridingAlarms` (a nurse's, audited) ends it over an unacknowledged high alarm.
    case endSession(by: Role, overridingAlarms: Bool = false)
    /// Acknowledge and pause name one alarm: one click never silences a whole room.
    case acknowledge(by: Role, alarm: String)
    case pauseAudio(by: Role, alarm: String)
    case deviceConnected(String)
    case deviceDisconnected(String, reason: String?)
    case measurementFailed(String, reason: String)
    /// The agent has told a BP module to measure; the result is on its way.
    case measurementStarted(String)
    /// The database refuses writes (disk full, read-only); readings are being held in memory.
    case storageFailed(reason: String)
    case storageRecovered
}

extension RoomCommand {
    /// The role a staff command was given with; `nil` for what the devices' edge reports.
    public var role: Role? {
        switch self {
        case .startSession(let r, _), .markDose(let r), .markBooster(let r), .addNote(_, let r), .endSession(let r, _),
             .acknowledge(let r, _), .pauseAudio(let r, _): r
        default: nil
        }
    }

    /// What the clinic's table calls this command; `nil` for what the devices' edge reports.
    public var action: StaffAction? {
        switch self {
        case .startSession, .markDose, .markBooster, .addNote: .runSession
        case .endSession(_, let overriding): overriding ? .respondToAlarm : .runSession
        case .acknowledge, .pauseAudio: .respondToAlarm
        default: nil
        }
    }
}

/// One room's session and alarm engine, kept in step: phase changes reach the engine before
/// anything that happens after them, and one ``nextDeadline()`` covers both. This is the pure
/// heart that `vigil replay` and the running agent share.
public struct RoomMonitor<C: VigilClock>: Sendable {
    public private(set) var session: Session<C>
    public private(set) var alarms: AlarmEngine<C>

    public init(clock: C, profile: AlarmProfile, alarmIDPrefix: String = "A") {
        session = Session(clock: clock, timeline: profile.timeline)
        alarms = AlarmEngine(clock: clock, profile: profile, idPrefix: alarmIDPrefix)
    }

    /// Carries on a resumed session's event sequence.
    public mutating func continueSequence(after seq: Int) { alarms.nextSeq = max(alarms.nextSeq, seq + 1) }

    /// Resumes a session recorded before a restart: the session's clock, the last dose (a
    /// booster's, if any) for the phases and the BP schedule, the baseline and last BP from its
    /// readings, and the alarms its log shows open, which stay open with their state.
    public mutating func resume(startedAt: Date, firstDoseAt: Date? = nil, lastDoseAt: Date?, patientReference: String?,
                                readings: [Reading], alarmEvents: [AlarmEvent]) throws -> [RoomEvent] {
        let events = try session.resume(startedAt: startedAt, doseAt: lastDoseAt, patientReference: patientReference)
        alarms.resume(startedAt: session.startedAt!, doseAt: session.doseAt, baselineUntil: firstDoseAt ?? lastDoseAt,
                      phase: session.phase,
                      readings: readings, alarmEvents: alarmEvents)
        return events.map(RoomEvent.session) + tick()
    }

    /// Puts back alarms a restart found open outside a session (between sessions, or carried out
    /// of one a nurse ended over them), with their state, as ``resume`` does for a session's.
    public mutating func restoreOpenAlarms(_ events: [AlarmEvent]) -> [RoomEvent] {
        alarms.restore(events)
        return tick()
    }

    public var clock: C { session.clock }

    /// A scripted acknowledge or pause may name its alarm by condition (`spo2_low`): this gives
    /// the command with the id of the active alarm of that condition (the oldest unacknowledged
    /// first). Anything else comes back as it was.
    public func resolvingAlarmName(_ command: RoomCommand) -> RoomCommand {
        func id(_ name: String) -> String {
            let alarms = self.alarms.activeAlarms
            if alarms.contains(where: { $0.id == name }) { return name }
            let matching = alarms.filter { $0.condition == name }
            return (matching.first { $0.acknowledgedBy == nil } ?? matching.first)?.id ?? name
        }
        switch command {
        case .acknowledge(let role, let name): return .acknowledge(by: role, alarm: id(name))
        case .pauseAudio(let role, let name): return .pauseAudio(by: role, alarm: id(name))
        default: return command
        }
    }

    public mutating func watch(device: String, continuous: Bool) {
        alarms.watch(device: device, continuous: continuous)
    }

    public mutating func receive(_ reading: Reading) -> [RoomEvent] {
        tick() + alarms.receive(reading).map(RoomEvent.alarm)
    }

    /// Takes one device message's readings together: a BP measurement without the monitor's
    /// MAP gets a derived one (see ``Reading/withDerivedMAP(_:)``), which the caller stores too.
    public mutating func receive(measurement readings: [Reading]) -> (readings: [Reading], events: [RoomEvent]) {
        let all = Reading.withDerivedMAP(readings)
        return (all.map { $0.markingLostSignal() }, all.flatMap { receive($0) })
    }

    /// Performs a command, after whatever had come due; a command the session refuses, or that
    /// the role may not give, throws and changes nothing, and the events of that tick are lost
    /// with it, so a caller that must tell everything ticks first (as `RoomAgent` does).
    public mutating func perform(_ command: RoomCommand) throws -> [RoomEvent] {
        if let role = command.role, let action = command.action, !role.may(action) {
            throw PermissionDenied(role: role, action: action)
        }
        var out = tick()
        switch command {
        case .startSession(let role, let reference):
            out += try session.start(by: role, patientReference: reference).map(RoomEvent.session)
            out += alarms.sessionStarted().map(RoomEvent.alarm)
        case .markDose(let role):
            if session.status == .running { try alarms.checkDoseAllowed() }
            let events = try session.markDose(by: role)
            out += events.prefix(1).map(RoomEvent.session)
            out += alarms.doseMarked().map(RoomEvent.alarm)
            out += follow(Array(events.dropFirst()))
        case .markBooster(let role):
            let events = try session.markBooster(by: role)
            out += events.prefix(1).map(RoomEvent.session)
            out += alarms.boosterMarked().map(RoomEvent.alarm)
            out += follow(Array(events.dropFirst()))
        case .addNote(let text, let role):
            out += try session.addNote(text, by: role).map(RoomEvent.session)
        case .endSession(let role, let overriding):
            if session.status == .running { try alarms.checkEndAllowed(overriding: overriding) }
            out += try session.end(by: role).map(RoomEvent.session)
            out += alarms.sessionEnded(by: role).map(RoomEvent.alarm)
        case .acknowledge(let role, let id):
            out += try alarms.acknowledge(by: role, alarm: id).map(RoomEvent.alarm)
        case .pauseAudio(let role, let id):
            out += try alarms.pauseAudio(by: role, alarm: id).map(RoomEvent.alarm)
        case .deviceConnected(let device):
            out += alarms.deviceConnected(device).map(RoomEvent.alarm)
        case .deviceDisconnected(let device, let reason):
            out += alarms.deviceDisconnected(device, reason: reason).map(RoomEvent.alarm)
        case .measurementFailed(let device, let reason):
            out += alarms.measurementFailed(device, reason: reason).map(RoomEvent.alarm)
        case .measurementStarted:
            alarms.measurementStarted()
        case .storageFailed(let reason):
            out += alarms.storageFailed(reason: reason).map(RoomEvent.alarm)
        case .storageRecovered:
            out += alarms.storageRecovered().map(RoomEvent.alarm)
        }
        return out
    }

    /// Phase changes first, then whatever alarms have come due.
    public mutating func tick() -> [RoomEvent] {
        follow(session.tick()) + alarms.tick().map(RoomEvent.alarm)
    }

    public func nextDeadline() -> C.Instant? {
        [session.nextDeadline(), alarms.nextDeadline()].compactMap { $0 }.min()
    }

    /// Passes each phase change on to the alarm engine right after it is recorded.
    private mutating func follow(_ events: [SessionEvent]) -> [RoomEvent] {
        events.flatMap { event -> [RoomEvent] in
            var out = [RoomEvent.session(event)]
            if event.kind == .phaseChanged { out += alarms.phaseChanged(to: event.phase).map(RoomEvent.alarm) }
            return out
        }
    }
}
