import Foundation
import VigilCore

/// The JSON the room publishes. Every payload opens with `schema`, `site` and `room`, so a
/// station that stores it needs nothing else; none carries a patient's name (a session carries
/// at most the clinic's opaque patient reference).
public struct RoomPayloads: Sendable {
    /// Raised when a payload's meaning changes; receivers check it before reading further.
    public static let schemaVersion = 1
    public let topics: RoomTopics

    public init(topics: RoomTopics) { self.topics = topics }

    private func header() -> JSONLine {
        var j = JSONLine()
        j.add("schema", Self.schemaVersion)
        j.add("site", topics.site)
        j.add("room", topics.room)
        return j
    }

    /// The latest reading of one vital (retained, so a station that connects sees it at once).
    public func reading(_ r: Reading) -> String {
        var j = header()
        j.add("time", JSONLine.timestamp(r.time))
        j.add("vital", r.vital.rawValue)
        j.add("value", r.value)
        j.add("unit", r.vital.unit)
        j.add("device", r.device)
        j.add("quality", r.quality.rawValue)
        return j.description
    }

    /// A receiver drops a message whose event id it has seen: outbox messages are resent after
    /// an outage and may arrive twice.
    public static func eventID(_ event: AlarmEvent) -> String { "\(event.id)/\(event.seq)" }
    public static func eventID(summaryOf session: String) -> String { "summary/\(session)" }

    /// One alarm event, with every field the architecture names for alarm events.
    public func alarmEvent(_ event: AlarmEvent, session: String?) -> String {
        var j = header()
        j.add("event_id", Self.eventID(event))
        j.add("session", session)
        for (key, value) in event.jsonLine.fields { j.add(key, value) }
        return j.description
    }

    /// The alarms active now, loudest first (retained: a station that connects sees them all).
    public func activeAlarms(_ alarms: [Alarm], at time: Date) -> String {
        let items = alarms.sorted { ($0.priority, $1.raisedAt) > ($1.priority, $0.raisedAt) }.map { a in
            var j = JSONLine()
            j.add("id", a.id)
            j.add("kind", a.kind.rawValue)
            j.add("condition", a.condition)
            j.add("vital", a.vital?.rawValue)
            j.add("device", a.device)
            j.add("priority", a.priority.rawValue)
            j.add("value", a.value)
            j.add("limit", a.limit)
            j.add("raised_at", JSONLine.timestamp(a.raisedAt))
            j.add("acknowledged_by", a.acknowledgedBy?.rawValue)
            j.add("audio_paused", .bool(a.isAudioPaused))
            j.add("condition_present", .bool(a.isConditionPresent))
            j.add("escalated_at", a.escalatedAt.map(JSONLine.timestamp))
            return j.description
        }
        var j = header()
        j.add("time", JSONLine.timestamp(time))
        j.add("alarms", .raw("[" + items.joined(separator: ",") + "]"))
        return j.description
    }

    /// Where the room's session stands (retained).
    public func session(_ state: SessionState) -> String {
        var j = header()
        j.add("time", JSONLine.timestamp(state.time))
        j.add("session", state.id)
        j.add("state", state.status)
        j.add("phase", state.phase.rawValue)
        j.add("started_at", state.startedAt.map(JSONLine.timestamp))
        j.add("dose_at", state.doseAt.map(JSONLine.timestamp))
        j.add("since_dose_s", state.sinceDose)
        j.add("patient_reference", state.patientReference)
        return j.description
    }

    /// A finished session's summary, as `vigil report` computes it.
    public func summary(_ summary: SessionSummary, session id: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(JSONLine.timestamp(date))
        }
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        var j = header()
        j.add("event_id", Self.eventID(summaryOf: id))
        j.add("session", id)
        j.add("summary", .raw(String(decoding: try encoder.encode(summary), as: UTF8.self)))
        return j.description
    }

    /// The answer to a station's command, on `…/cmd/<verb>/result`.
    public func commandResult(request: String?, verb: String, error: String?, at time: Date) -> String {
        var j = header()
        j.add("time", JSONLine.timestamp(time))
        j.add("request", request)
        j.add("command", verb)
        j.add("ok", .bool(error == nil))
        j.add("error", error)
        return j.description
    }
}

/// The session as the room publishes it on `…/session`.
public struct SessionState: Sendable, Hashable {
    public var time: Date
    public var id: String?
    /// `idle` (no session), `running` or `ended`.
    public var status: String
    public var phase: Phase
    public var startedAt: Date?
    public var doseAt: Date?
    public var sinceDose: Double?
    public var patientReference: String?

    public init(time: Date, id: String?, status: String, phase: Phase, startedAt: Date?, doseAt: Date?,
                sinceDose: Double?, patientReference: String?) {
        self.time = time
        self.id = id
        self.status = status
        self.phase = phase
        self.startedAt = startedAt
        self.doseAt = doseAt
        self.sinceDose = sinceDose
        self.patientReference = patientReference
    }
}
