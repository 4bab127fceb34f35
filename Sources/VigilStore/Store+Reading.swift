import Foundation
import GRDB
import VigilCore

extension Store {
    /// Sessions, newest first.
    public func sessions() throws -> [SessionRecord] {
        try writer.read { try SessionRecord.order(Column("startedAt").desc).fetchAll($0) }
    }

    public func session(_ id: String) throws -> SessionRecord? {
        try writer.read { try SessionRecord.fetchOne($0, key: id) }
    }

    /// The session that was running when the agent stopped, if any.
    public func unfinishedSession() throws -> SessionRecord? {
        try writer.read { try SessionRecord.filter(Column("endedAt") == nil).order(Column("startedAt").desc).fetchOne($0) }
    }

    public func readings(session id: String) throws -> [Reading] {
        try writer.read { db in
            try ReadingRecord.filter(Column("sessionId") == id).order(Column("time"), Column("id")).fetchAll(db).compactMap(\.reading)
        }
    }

    public func alarmEvents(session id: String) throws -> [AlarmEvent] {
        try writer.read { db in
            try AlarmEventRecord.filter(Column("sessionId") == id).order(Column("id")).fetchAll(db).compactMap(\.event)
        }
    }

    /// Alarm events written since `date`, outside the session `excluded`, in the order they were
    /// written: where a restart finds alarms still open between sessions (a crisis tier, or a
    /// latched alarm a nurse ended its session over), whose events span a session and the idle room.
    public func alarmEvents(since date: Date, excludingSession excluded: String?) throws -> [AlarmEvent] {
        try writer.read { db in
            var request = AlarmEventRecord.filter(Column("time") >= date.timeIntervalSince1970)
            if let excluded { request = request.filter(Column("sessionId") == nil || Column("sessionId") != excluded) }
            return try request.order(Column("id")).fetchAll(db).compactMap(\.event)
        }
    }

    public func sessionEvents(session id: String) throws -> [SessionEvent] {
        try writer.read { db in
            try SessionEventRecord.filter(Column("sessionId") == id).order(Column("id")).fetchAll(db).compactMap { r in
                guard let kind = SessionEvent.Kind(rawValue: r.kind), let phase = Phase(rawValue: r.phase) else { return nil }
                return SessionEvent(time: Date(timeIntervalSince1970: r.time), kind: kind, phase: phase,
                                    sinceDose: r.sinceDose, by: r.role.flatMap(Role.init), text: r.text)
            }
        }
    }

    public func auditLog(session id: String? = nil) throws -> [AuditRecord] {
        try writer.read { db in
            var request = AuditRecord.order(Column("id"))
            if let id { request = request.filter(Column("sessionId") == id) }
            return try request.fetchAll(db)
        }
    }

    public func summary(session id: String) throws -> SessionSummary? {
        guard let record = try writer.read({ try SummaryRecord.fetchOne($0, key: id) }) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(SessionSummary.self, from: Data(record.json.utf8))
    }

    /// The newest time anything was recorded for a session.
    public func lastRecordTime(session id: String) throws -> Date? {
        try writer.read { db in
            let t = try Double.fetchOne(db, sql: """
                SELECT MAX(t) FROM (SELECT MAX(time) AS t FROM reading WHERE sessionId = ?1
                UNION ALL SELECT MAX(time) FROM sessionEvent WHERE sessionId = ?1
                UNION ALL SELECT MAX(time) FROM alarmEvent WHERE sessionId = ?1)
                """, arguments: [id])
            return t.map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// Deletes finished sessions that ended before `date`, with everything recorded for them.
    /// Never touches an unfinished session. Returns what was (or, dry, would be) deleted.
    public func prune(endedBefore date: Date, dryRun: Bool) throws -> [SessionRecord] {
        try writer.write { db in
            let old = try SessionRecord.filter(Column("endedAt") != nil && Column("endedAt") < date.timeIntervalSince1970).fetchAll(db)
            if !dryRun { for session in old { _ = try session.delete(db) } }
            return old
        }
    }
}
