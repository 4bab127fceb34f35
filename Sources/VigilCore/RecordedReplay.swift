import Foundation

/// Plays a ``RecordedSession`` through a profile on a `ManualClock` that starts at the session's
/// recorded start: each recorded moment at its own time, the engine's deadlines in between, and
/// nothing where nothing was recorded — a gap in the readings is silence, so `no_data` is raised
/// exactly as the room would have raised it. Nothing is held or repeated: the engine sees every
/// value the room's engine judged, with its quality (the record keeps each change and a steady
/// value once a second; the live engine also heard the steady value more often).
///
/// The staff's commands are the room's: a recorded acknowledgement or pause acts on the replay's
/// alarm of the same condition, and is skipped (with a ``Note``) when the profile raised none.
/// Where the profile's own alarms would have stopped a recorded command — a dose held for a
/// baseline alarm, an end over an unacknowledged high alarm — the replay does what a nurse
/// would (acknowledges it, or ends with the override), and says so in a note.
public struct RecordedReplay: Sendable {
    public let clock: ManualClock
    public private(set) var monitor: RoomMonitor<ManualClock>
    public let session: RecordedSession
    /// What the replay did that the recording does not show, in time order.
    public private(set) var notes: [Note] = []
    private var next = 0
    /// The recorded alarms' conditions, by their ids in the room's log.
    private let recordedConditions: [String: String]

    /// Something the replay had to do differently from the room, at its wall-clock time.
    public struct Note: Sendable, Hashable {
        public var time: Date
        public var text: String
    }

    /// - Parameter alarmIDPrefix: the replay's alarm ids (`R1`, `R2`, …), told apart from the room's.
    public init(_ session: RecordedSession, profile: AlarmProfile, alarmIDPrefix: String = "R") {
        self.session = session
        clock = ManualClock(wallStart: session.startedAt)
        monitor = RoomMonitor(clock: clock, profile: profile, alarmIDPrefix: alarmIDPrefix)
        for (device, continuous) in session.devices.sorted(by: { $0.key < $1.key }) {
            monitor.watch(device: device, continuous: continuous)
        }
        var conditions: [String: String] = [:]
        for alarm in session.alarms where conditions[alarm.id] == nil { conditions[alarm.id] = alarm.condition }
        recordedConditions = conditions
    }

    /// Replays the whole session, up to its recorded end.
    public mutating func run() -> [RoomEvent] {
        var out: [RoomEvent] = []
        while next < session.moments.count {
            let moment = session.moments[next]
            out += advance(to: instant(moment.time))
            out += play(moment)
            next += 1
        }
        out += advance(to: instant(session.lastTime))
        return out
    }

    /// The replay's clock at a recorded wall-clock time (to the millisecond).
    func instant(_ time: Date) -> ManualClock.Instant {
        let ms = max(0, (time.timeIntervalSince(session.startedAt) * 1000).rounded())
        return ManualClock.Instant(offset: .milliseconds(Int64(ms)))
    }

    /// Ticks at every deadline before `target`, then at `target`.
    private mutating func advance(to target: ManualClock.Instant) -> [RoomEvent] {
        var out: [RoomEvent] = []
        while let deadline = monitor.nextDeadline(), deadline < target, deadline > clock.now {
            clock.advance(to: deadline)
            out += monitor.tick()
        }
        clock.advance(to: target)
        return out + monitor.tick()
    }

    private mutating func play(_ moment: RecordedSession.Moment) -> [RoomEvent] {
        switch moment.what {
        case .readings(let readings):
            return monitor.receive(measurement: readings).events
        case .command(let command):
            return perform(command)
        case .staff(let command, let recordedID):
            return performStaff(command, recordedID: recordedID)
        case .resumed:
            note("the agent restarted and resumed the session: the room heard nothing while it was down, the replay's engine ran on")
            return []
        }
    }

    private mutating func perform(_ command: RoomCommand) -> [RoomEvent] {
        do {
            return try monitor.perform(command)
        } catch AlarmGuardError.holdTheDose(let ids) {
            var out: [RoomEvent] = []
            for id in ids { out += (try? monitor.perform(.acknowledge(by: .nurse, alarm: id))) ?? [] }
            note("the dose waited for \(describe(ids)) under this profile: the replay acknowledged \(ids.count == 1 ? "it" : "them") as a nurse and gave the recorded dose")
            return out + attempt(command)
        } catch AlarmGuardError.unacknowledgedHigh(let ids) {
            guard case .endSession = command else { return attempt(command) }
            note("the end waited for \(describe(ids)) under this profile: the replay ended the session with a nurse's override")
            return attempt(.endSession(by: .nurse, overridingAlarms: true))
        } catch {
            note("the recorded \(Self.name(of: command)) could not be replayed: \(error)")
            return []
        }
    }

    private mutating func attempt(_ command: RoomCommand) -> [RoomEvent] {
        do {
            return try monitor.perform(command)
        } catch {
            note("the recorded \(Self.name(of: command)) could not be replayed: \(error)")
            return []
        }
    }

    /// A recorded acknowledgement or pause acts on the replay's alarm of the recorded one's condition.
    private mutating func performStaff(_ command: RoomCommand, recordedID: String) -> [RoomEvent] {
        let verb = if case .acknowledge = command { "acknowledgement" } else { "pause" }
        guard let condition = recordedConditions[recordedID] else {
            note("the \(verb) of \(recordedID), an alarm not recorded in this session, is skipped")
            return []
        }
        let named: RoomCommand = switch command {
        case .acknowledge(let role, _): .acknowledge(by: role, alarm: condition)
        case .pauseAudio(let role, _): .pauseAudio(by: role, alarm: condition)
        default: command
        }
        let resolved = monitor.resolvingAlarmName(named)
        guard resolved != named else {
            note("the \(verb) of \(recordedID) (\(condition)) is skipped: this profile has no such alarm active")
            return []
        }
        return attempt(resolved)
    }

    private func describe(_ ids: [String]) -> String {
        ids.map { id in
            let condition = monitor.alarms.activeAlarms.first { $0.id == id }?.condition
            return condition.map { "\(id) (\($0))" } ?? id
        }.joined(separator: ", ")
    }

    private mutating func note(_ text: String) {
        notes.append(Note(time: clock.wallNow, text: text))
    }

    static func name(of command: RoomCommand) -> String {
        switch command {
        case .startSession: "start"
        case .markDose: "dose"
        case .markBooster: "booster"
        case .addNote: "note"
        case .endSession: "end"
        case .acknowledge: "acknowledgement"
        case .pauseAudio: "pause"
        case .deviceConnected(let d): "connection of \(d)"
        case .deviceDisconnected(let d, _): "loss of \(d)"
        case .measurementFailed: "failed BP measurement"
        case .measurementStarted: "BP measurement"
        case .storageFailed, .storageRecovered: "storage state"
        }
    }
}
