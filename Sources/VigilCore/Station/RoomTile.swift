import Foundation

/// What the station shows of one room: its link, latest vitals, session, active alarms and the
/// station's own alarm about the room (offline, or silent).
public struct RoomTile: Sendable, Hashable {
    public let room: RoomKey
    public var status: Status = .unknown
    /// When the station last heard from the room (any message).
    public var lastHeard: Date?
    public var vitals: [String: Vital] = [:]
    public var session: Session?
    /// The room's active alarms, loudest first, as the room lists them.
    public var alarms: [Alarm] = []
    /// Alarms the room escalated to the clinic (unanswered too long), by id.
    public var escalated: Set<String> = []
    /// The station's own alarm about this room, if any.
    public var stationAlarm: StationAlarm?

    public init(room: RoomKey) { self.room = room }

    /// The room's retained status.
    public enum Status: String, Sendable, Hashable {
        case unknown, online, offline
    }

    /// The latest reading of one vital.
    public struct Vital: Sendable, Hashable {
        public var vital: String
        public var value: Double
        public var time: Date
        public var quality: String

        public init(vital: String, value: Double, time: Date, quality: String) {
            self.vital = vital
            self.value = value
            self.time = time
            self.quality = quality
        }
    }

    /// Where the room's session stands.
    public struct Session: Sendable, Hashable {
        public var id: String?
        /// `idle`, `running` or `ended`.
        public var state: String
        public var phase: String
        public var time: Date
        public var startedAt: Date?
        public var doseAt: Date?
        public var sinceDose: Double?

        public init(id: String?, state: String, phase: String, time: Date, startedAt: Date?, doseAt: Date?, sinceDose: Double?) {
            self.id = id
            self.state = state
            self.phase = phase
            self.time = time
            self.startedAt = startedAt
            self.doseAt = doseAt
            self.sinceDose = sinceDose
        }

        public var isRunning: Bool { state == "running" }
    }

    /// One of the room's active alarms.
    public struct Alarm: Sendable, Hashable {
        public var id: String
        public var kind: String
        public var condition: String
        /// The vital it is about, if any (its number is shown in the alarm's colour).
        public var vital: String?
        public var priority: AlarmPriority
        public var value: Double?
        public var limit: Double?
        public var raisedAt: Date
        public var acknowledgedBy: String?
        public var audioPaused: Bool
        /// When the room escalated it, as its retained active list says.
        public var escalatedAt: Date?

        public init(id: String, kind: String, condition: String, vital: String? = nil, priority: AlarmPriority, value: Double?,
                    limit: Double?, raisedAt: Date, acknowledgedBy: String?, audioPaused: Bool, escalatedAt: Date? = nil) {
            self.escalatedAt = escalatedAt
            self.id = id
            self.kind = kind
            self.condition = condition
            self.vital = vital
            self.priority = priority
            self.value = value
            self.limit = limit
            self.raisedAt = raisedAt
            self.acknowledgedBy = acknowledgedBy
            self.audioPaused = audioPaused
        }

        /// Sounding in the room, so at the station too: nobody has answered it.
        public var isSounding: Bool { acknowledgedBy == nil && !audioPaused }
    }

    /// The highest alarm standing, answered or not: what the tile's colour says (an acknowledged
    /// desaturation still under way is not a room that is fine).
    public var highest: AlarmPriority? {
        ([stationAlarm?.priority].compactMap { $0 } + alarms.map(\.priority)).max()
    }

    /// The loudest alarm that still sounds here — the room's or the station's own — if any.
    public var loudestSounding: AlarmPriority? {
        let room = alarms.filter(\.isSounding).map(\.priority).max()
        let own = stationAlarm.flatMap { $0.acknowledgedBy == nil ? $0.priority : nil }
        return [room, own].compactMap { $0 }.max()
    }
}

/// The station's own technical alarm about a room: it went offline, or silent. A station that
/// cannot see a room must say so as loudly as the room would have.
public struct StationAlarm: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// The room's retained status turned `offline` (its will, or a stop).
        case offline = "room_offline"
        /// The room is online but has said nothing for too long.
        case silent = "room_silent"
    }

    public var reason: Reason
    /// High while the room has a session running; low when it has none (a room closed for the
    /// night is not a patient unwatched).
    public var priority: AlarmPriority
    public var raisedAt: Date
    /// Who silenced it at the station.
    public var acknowledgedBy: Role?

    public init(reason: Reason, priority: AlarmPriority, raisedAt: Date, acknowledgedBy: Role? = nil) {
        self.reason = reason
        self.priority = priority
        self.raisedAt = raisedAt
        self.acknowledgedBy = acknowledgedBy
    }
}
