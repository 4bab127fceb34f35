import Foundation

/// A session as the room's store recorded it, in the order it happened: each device message
/// with its own time and quality (and nothing where the room heard nothing), the staff's session
/// commands, acknowledgements and pauses, the devices coming and going, and the alarms the room
/// raised. ``RecordedReplay`` plays it through another profile; ``AlarmComparison`` sets the
/// two runs side by side.
///
/// It is plain data: `VigilStore` builds it from a database (`Store.recordedSession(_:)`), a
/// test may build it by hand.
public struct RecordedSession: Sendable, Hashable {
    public var id: String
    public var startedAt: Date
    /// The recorded end; `nil` for a session that has not ended (the replay stops at its last record).
    public var endedAt: Date?
    /// Each device the room heard in the session, and whether it streams (an oximeter: its
    /// silence raises `no_data`) or measures now and then (a BP module).
    public var devices: [String: Bool]
    /// What happened, in time order.
    public var moments: [Moment]
    /// Every alarm event the room recorded for the session, in the order it was written.
    public var alarms: [AlarmEvent]

    public init(id: String, startedAt: Date, endedAt: Date?, devices: [String: Bool], moments: [Moment], alarms: [AlarmEvent]) {
        self.id = id
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.devices = devices
        // In time order; at one instant by rank, and otherwise as given.
        self.moments = moments.enumerated()
            .sorted { ($0.element.time, $0.element.what.rank, $0.offset) < ($1.element.time, $1.element.what.rank, $1.offset) }
            .map(\.element)
        self.alarms = alarms
    }

    /// One recorded thing at its wall-clock time.
    public struct Moment: Sendable, Hashable {
        public var time: Date
        public var what: What

        public init(time: Date, _ what: What) {
            self.time = time
            self.what = what
        }
    }

    /// What a moment recorded.
    public enum What: Sendable, Hashable {
        /// One device message as the engine took it: a second's SpO2 and pulse, or one BP
        /// measurement (with its MAP, measured or derived).
        case readings([Reading])
        /// A session command (start, dose, booster, note, end), a device connecting or going
        /// away, or a failed BP measurement.
        case command(RoomCommand)
        /// A nurse acknowledged or paused the recorded alarm `alarm` (its id in the room's log);
        /// the replay acts on its own alarm of the same condition, if it has one.
        case staff(RoomCommand, alarm: String)
        /// The agent restarted and resumed the session: the room heard nothing while it was down.
        case resumed

        /// Which of two moments at the same time goes first: the session's start and the
        /// devices' state, then what the devices said, then what the staff did about it.
        var rank: Int {
            switch self {
            case .command(.startSession): 0
            case .command(.deviceConnected), .command(.deviceDisconnected), .resumed: 1
            case .readings: 2
            case .command(.endSession): 4
            default: 3
            }
        }
    }

    /// Where the replay stops: the recorded end, or the last thing recorded.
    public var lastTime: Date {
        endedAt ?? ([startedAt] + moments.map(\.time) + alarms.map(\.time)).max()!
    }

    /// When the dose was marked (a booster's time is not this), if it was.
    public var doseAt: Date? {
        moments.first { if case .command(.markDose) = $0.what { true } else { false } }?.time
    }

    /// How long the session ran, in seconds.
    public var duration: Double { lastTime.timeIntervalSince(startedAt) }
}

extension RecordedSession {
    /// The devices that sent readings, each continuous if it sent a continuous vital.
    public static func devices(in readings: [Reading]) -> [String: Bool] {
        var out: [String: Bool] = [:]
        for reading in readings { out[reading.device] = (out[reading.device] ?? false) || !reading.vital.isIntermittent }
        return out
    }

    /// Turns the store's rows into moments: readings of one device at one instant become one
    /// message; session events become the commands that made them (phase changes are left to
    /// the profile's timeline, which gives them from the dose); an `ack` or `pause` in the audit
    /// log names the alarm it acted on; a `nibp_failed` the room raised stands for the failed
    /// measurement behind it.
    ///
    /// - Parameters:
    ///   - audit: `(time, role, action, detail)` of the session's commands: `ack` and `pause`
    ///     with the alarm id as detail are used, the rest is already in `events`.
    ///   - deviceEvents: `(time, device, event, detail)`, `connected` or `disconnected`, over the
    ///     session's time, and the last one of each device before it (the state it began in).
    public static func moments(readings: [Reading], events: [SessionEvent],
                               audit: [(time: Date, role: String, action: String, detail: String?)],
                               deviceEvents: [(time: Date, device: String, event: String, detail: String?)],
                               alarms: [AlarmEvent], startedAt: Date) -> [Moment] {
        var out: [Moment] = []
        var message: [Reading] = []
        for reading in readings {
            if let first = message.first, first.time != reading.time || first.device != reading.device {
                out.append(Moment(time: first.time, .readings(message)))
                message = []
            }
            message.append(reading)
        }
        if let first = message.first { out.append(Moment(time: first.time, .readings(message))) }

        for event in events {
            let role = event.by ?? .doula
            let command: RoomCommand? = switch event.kind {
            case .started: .startSession(by: role, patientReference: nil)
            case .dose: .markDose(by: role)
            case .booster: .markBooster(by: role)
            case .note: .addNote(event.text ?? "", by: role)
            case .ended: .endSession(by: role)
            case .phaseChanged, .resumed: nil
            }
            if let command { out.append(Moment(time: event.time, .command(command))) }
            if event.kind == .resumed { out.append(Moment(time: event.time, .resumed)) }
        }
        for entry in audit where entry.action == "ack" || entry.action == "pause" {
            guard let id = entry.detail, let role = Role(rawValue: entry.role) else { continue }
            let command: RoomCommand = entry.action == "ack" ? .acknowledge(by: role, alarm: id) : .pauseAudio(by: role, alarm: id)
            out.append(Moment(time: entry.time, .staff(command, alarm: id)))
        }
        // The state each device was in when the session began, then each change during it.
        var before: [String: (time: Date, event: String, detail: String?)] = [:]
        for entry in deviceEvents {
            if entry.time < startedAt {
                before[entry.device] = (entry.time, entry.event, entry.detail)
                continue
            }
            switch entry.event {
            case "connected": out.append(Moment(time: entry.time, .command(.deviceConnected(entry.device))))
            case "disconnected":
                out.append(Moment(time: entry.time, .command(.deviceDisconnected(entry.device, reason: entry.detail))))
            default: break
            }
        }
        for (device, last) in before.sorted(by: { $0.key < $1.key }) where last.event == "disconnected" {
            out.append(Moment(time: startedAt, .command(.deviceDisconnected(device, reason: last.detail))))
        }
        for alarm in alarms where alarm.condition == TechnicalCondition.nibpFailed && alarm.state == .raised {
            let device = alarm.device ?? Scenario.bloodPressureMonitor
            out.append(Moment(time: alarm.time, .command(.measurementFailed(device, reason: alarm.detail ?? "measurement failed"))))
        }
        return out
    }
}
