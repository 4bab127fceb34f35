import Foundation

/// What a medical provider reviews after a session, and what the Spravato REMS patient
/// monitoring form asks for. Computed from the session's stored readings and events when the
/// session ends; stored, printed by `vigil report`, and published to the clinic.
public struct SessionSummary: Sendable, Hashable, Codable {
    /// 2: `readyToLeaveAt` is judged on every discharge criterion (it was systolic and SpO2
    /// only), and `lastDoseAt` and `readiness` are added.
    public static let schemaVersion = 2

    /// Min, max and mean of one vital's valid readings.
    public struct Stats: Sendable, Hashable, Codable {
        public var min: Double
        public var max: Double
        public var mean: Double
        public var count: Int
    }

    /// One blood-pressure measurement.
    public struct BloodPressure: Sendable, Hashable, Codable {
        public var time: Date
        public var sinceDose: Double?
        public var systolic: Double
        public var diastolic: Double?
    }

    /// One alarm's life, for the table of every alarm and who handled it.
    public struct AlarmRecord: Sendable, Hashable, Codable {
        public var id: String
        public var condition: String
        public var priority: AlarmPriority
        public var raisedAt: Date
        public var acknowledgedAt: Date?
        public var acknowledgedBy: Role?
        public var clearedAt: Date?
        public var secondsToAcknowledge: Double? {
            acknowledgedAt.map { $0.timeIntervalSince(raisedAt) }
        }
    }

    /// A stretch with no valid SpO2 for longer than the no-data limit.
    public struct Gap: Sendable, Hashable, Codable {
        public var start: Date
        public var seconds: Double
    }

    public var schemaVersion = SessionSummary.schemaVersion
    public var startedAt: Date
    /// The first dose.
    public var doseAt: Date?
    public var endedAt: Date
    public var monitoredMinutes: Double
    public var phases: [String: [String: Stats]]
    public var baseline: [String: Double]
    public var highestSystolic: BloodPressure?
    public var minimumSpO2: Double?
    public var secondsSpO2Below90: Double
    public var longestSpO2Below90Seconds: Double
    public var alarmsByPriority: [String: Int]
    public var alarms: [AlarmRecord]
    public var dataGaps: [Gap]
    public var discharge: [String: Double]
    public var dischargeWithin20PercentOfBaseline: Bool?
    // REMS patient monitoring form
    public var bloodPressureBeforeDose: BloodPressure?
    public var bloodPressureAt40Minutes: BloodPressure?
    public var bloodPressureBeforeEnd: BloodPressure?
    /// The first moment every discharge criterion held (`readiness.readyAt`), if ever.
    public var readyToLeaveAt: Date?
    public var allBloodPressures: [BloodPressure]
    /// The last dose, a booster's if one was given; `nil` in a summary of schema 1.
    public var lastDoseAt: Date?
    /// Whether, when and why not the patient was ready to leave; `nil` in a summary of schema 1.
    public var readiness: Readiness?
}
