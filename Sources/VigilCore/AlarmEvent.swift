import Foundation

/// Whether an alarm is about the patient or about the equipment.
public enum AlarmKind: String, Sendable, Hashable, Codable {
    case physiological, technical
}

/// A step in an alarm's life. `audio_resumed` is Vigil's addition to the shared list: the
/// moment a paused alarm sounds again, so that the log shows every time the room heard it.
public enum AlarmState: String, Sendable, Hashable, Codable {
    case raised, acknowledged
    case audioPaused = "audio_paused"
    case audioResumed = "audio_resumed"
    case escalated, cleared
}

/// One transition of one alarm, as it is printed, stored and published. `id` names the alarm
/// for its whole life; `seq` orders the events of one engine and lets a receiver drop duplicates.
public struct AlarmEvent: Sendable, Hashable, Codable {
    public var time: Date
    public var id: String
    public var seq: Int
    public var kind: AlarmKind
    /// The specific condition: `spo2_low`, `systolic_high`, `no_data`, `nibp_overdue`, …
    public var condition: String
    public var vital: Vital?
    public var device: String?
    public var priority: AlarmPriority
    public var state: AlarmState
    public var value: Double?
    public var limit: Double?
    public var phase: Phase
    /// Seconds since the dose, the clinic's own reference ("+40 min"); `nil` before the dose.
    public var sinceDose: Double?
    /// The role that acknowledged or paused it; `nil` for what the engine did by itself.
    public var by: Role?
    /// A short reason where the condition alone does not say it (a device's error text).
    public var detail: String?
    /// The furthest past the limit since the alarm was raised; `value` is the vital's current one.
    public var worstValue: Double?

    public init(time: Date, id: String, seq: Int, kind: AlarmKind, condition: String, vital: Vital?,
                device: String?, priority: AlarmPriority, state: AlarmState, value: Double?,
                limit: Double?, phase: Phase, sinceDose: Double?, by: Role?, detail: String?, worstValue: Double? = nil) {
        self.time = time
        self.id = id
        self.seq = seq
        self.kind = kind
        self.condition = condition
        self.vital = vital
        self.device = device
        self.priority = priority
        self.state = state
        self.value = value
        self.limit = limit
        self.phase = phase
        self.sinceDose = sinceDose
        self.by = by
        self.detail = detail
        self.worstValue = worstValue
    }

    enum CodingKeys: String, CodingKey {
        case time, id, seq, kind, condition, vital, device, priority, state, value, limit, phase
        case sinceDose = "since_dose_s", by, detail, worstValue = "worst_value"
    }
}
