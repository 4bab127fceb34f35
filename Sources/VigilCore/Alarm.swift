import Foundation

/// An alarm that is active now, as the nurse's screen and the chime see it.
public struct Alarm: Sendable, Hashable {
    public var id: String
    public var kind: AlarmKind
    public var condition: String
    public var vital: Vital?
    public var device: String?
    public var priority: AlarmPriority
    public var value: Double?
    public var limit: Double?
    public var raisedAt: Date
    public var acknowledgedBy: Role?
    public var isAudioPaused: Bool
    /// A latched high alarm whose condition has passed stays until someone acknowledges it.
    public var isConditionPresent: Bool
    /// The furthest past the limit the vital has been since the alarm was raised (`value` is
    /// the current one): the lowest SpO2 of a desaturation, the highest systolic of a crisis.
    public var worstValue: Double?
    /// When it last escalated (a tier's priority rise, unanswered too long, sent to the clinic):
    /// the station marks it ESCALATED from the room's retained active list, so the mark
    /// survives the station's own restart.
    public var escalatedAt: Date?

    public init(id: String, kind: AlarmKind, condition: String, vital: Vital?, device: String?, priority: AlarmPriority,
                value: Double?, limit: Double?, raisedAt: Date, acknowledgedBy: Role? = nil, isAudioPaused: Bool = false,
                isConditionPresent: Bool = true, worstValue: Double? = nil) {
        self.id = id
        self.kind = kind
        self.condition = condition
        self.vital = vital
        self.device = device
        self.priority = priority
        self.value = value
        self.limit = limit
        self.raisedAt = raisedAt
        self.acknowledgedBy = acknowledgedBy
        self.isAudioPaused = isAudioPaused
        self.isConditionPresent = isConditionPresent
        self.worstValue = worstValue ?? value
    }

    /// Keeps `value` as the worst if it is further past the limit than the worst so far
    /// (lower for a limit below which the vital alarms, higher for one above).
    mutating func noteWorst(_ value: Double, below: Bool) {
        guard let worst = worstValue else { worstValue = value; return }
        worstValue = below ? min(worst, value) : max(worst, value)
    }

    /// Whether the staff chime should sound for it now.
    public var isSounding: Bool { acknowledgedBy == nil && !isAudioPaused }
}

/// Names of the technical conditions the engine raises.
public enum TechnicalCondition {
    public static let noData = "no_data"
    public static let sensorOff = "sensor_off"
    public static let deviceDisconnected = "device_disconnected"
    public static let implausibleValue = "implausible_value"
    public static let nibpDue = "nibp_due"
    public static let nibpOverdue = "nibp_overdue"
    public static let nibpRepeat = "nibp_repeat"
    public static let nibpFailed = "nibp_failed"
    public static let nibpBeforeDoseMissing = "nibp_before_dose_missing"
    public static let storageFailed = "storage_failed"
    /// The oximeter has reported a poor signal (and no good one) for `technical.check_probe_after`.
    public static let checkProbe = "check_probe"
}
