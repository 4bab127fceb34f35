import Foundation
import GRDB
import VigilCore

/// A session row: who started and ended it, when the dose was given. Times are wall-clock
/// seconds since 1970, so a restarted agent can work out how long ago the dose was.
public struct SessionRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "session"
    public var id: String
    public var site: String
    public var room: String
    /// An opaque reference the clinic maps to its records; never a name.
    public var patientReference: String?
    public var route: String?
    public var startedAt: Double
    public var startedBy: String
    public var doseAt: Double?
    public var endedAt: Double?
    public var endedBy: String?

    public var isFinished: Bool { endedAt != nil }

    public init(id: String, site: String, room: String, patientReference: String?, route: String? = nil,
                startedAt: Double, startedBy: String, doseAt: Double? = nil, endedAt: Double? = nil, endedBy: String? = nil) {
        self.id = id
        self.site = site
        self.room = room
        self.patientReference = patientReference
        self.route = route
        self.startedAt = startedAt
        self.startedBy = startedBy
        self.doseAt = doseAt
        self.endedAt = endedAt
        self.endedBy = endedBy
    }
}

struct SessionEventRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "sessionEvent"
    var id: Int64?
    var sessionId: String
    var time: Double
    var kind: String
    var phase: String
    var sinceDose: Double?
    var role: String?
    var text: String?
}

struct ReadingRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "reading"
    var id: Int64?
    var sessionId: String?
    var time: Double
    var vital: String
    var value: Double?
    var device: String
    var quality: String

    init(_ r: Reading, session: String?) {
        sessionId = session
        time = r.time.timeIntervalSince1970
        vital = r.vital.rawValue
        value = r.value
        device = r.device
        quality = r.quality.rawValue
    }

    var reading: Reading? {
        guard let v = Vital(rawValue: vital), let q = ReadingQuality(rawValue: quality) else { return nil }
        return Reading(time: Date(timeIntervalSince1970: time), vital: v, value: value, device: device, quality: q)
    }
}

struct AlarmEventRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "alarmEvent"
    var id: Int64?
    var sessionId: String?
    var time: Double
    var alarmId: String
    var seq: Int
    var kind: String
    var condition: String
    var vital: String?
    var device: String?
    var priority: String
    var state: String
    var value: Double?
    var limit: Double?
    var phase: String
    var sinceDose: Double?
    var role: String?
    var detail: String?
    var worstValue: Double?

    init(_ e: AlarmEvent, session: String?) {
        sessionId = session
        time = e.time.timeIntervalSince1970
        alarmId = e.id
        seq = e.seq
        kind = e.kind.rawValue
        condition = e.condition
        vital = e.vital?.rawValue
        device = e.device
        priority = e.priority.rawValue
        state = e.state.rawValue
        value = e.value
        limit = e.limit
        phase = e.phase.rawValue
        sinceDose = e.sinceDose
        role = e.by?.rawValue
        detail = e.detail
        worstValue = e.worstValue
    }

    var event: AlarmEvent? {
        guard let k = AlarmKind(rawValue: kind), let p = AlarmPriority(rawValue: priority),
              let s = AlarmState(rawValue: state), let ph = Phase(rawValue: phase) else { return nil }
        return AlarmEvent(time: Date(timeIntervalSince1970: time), id: alarmId, seq: seq, kind: k, condition: condition,
                          vital: vital.flatMap(Vital.init), device: device, priority: p, state: s, value: value,
                          limit: limit, phase: ph, sinceDose: sinceDose, by: role.flatMap(Role.init), detail: detail,
                          worstValue: worstValue)
    }
}

/// Every command, with who gave it, in which role, and from where.
public struct AuditRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "audit"
    public var id: Int64?
    public var time: Double
    public var sessionId: String?
    public var role: String
    public var action: String
    public var detail: String?
    /// `cli`, `web`, `mqtt`, `demo`, …
    public var source: String

    public init(time: Date, sessionId: String?, role: Role, action: String, detail: String?, source: String) {
        self.init(time: time, sessionId: sessionId, who: role.rawValue, action: action, detail: detail, source: source)
    }

    /// `who`: a role's name, or `anonymous` for a request refused before anyone logged in.
    public init(time: Date, sessionId: String?, who: String, action: String, detail: String?, source: String) {
        self.time = time.timeIntervalSince1970
        self.sessionId = sessionId
        self.role = who
        self.action = action
        self.detail = detail
        self.source = source
    }
}

struct SummaryRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "summary"
    var sessionId: String
    var createdAt: Double
    var json: String
}

struct DeviceEventRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "deviceEvent"
    var id: Int64?
    var time: Double
    var device: String
    var event: String
    var detail: String?
}
