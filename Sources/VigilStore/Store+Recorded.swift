import Foundation
import GRDB
import VigilCore

extension Store {
    /// A session as this store recorded it, for ``RecordedReplay``: its readings (grouped into
    /// the messages the engine took), session events, the nurses' acknowledgements and pauses
    /// from the audit log, the devices connecting and going away over its time (and the state
    /// each was in as it began), and its alarm events. `nil` for an unknown id. One read
    /// transaction, so a running agent's writes never split it.
    public func recordedSession(_ id: String) throws -> RecordedSession? {
        try writer.read { db -> RecordedSession? in
            guard let session = try SessionRecord.fetchOne(db, key: id) else { return nil }
            let readings = try ReadingRecord.filter(Column("sessionId") == id).order(Column("time"), Column("id"))
                .fetchAll(db).compactMap(\.reading)
            let events = try SessionEventRecord.filter(Column("sessionId") == id).order(Column("id")).fetchAll(db)
                .compactMap { r -> SessionEvent? in
                    guard let kind = SessionEvent.Kind(rawValue: r.kind), let phase = Phase(rawValue: r.phase) else { return nil }
                    return SessionEvent(time: Date(timeIntervalSince1970: r.time), kind: kind, phase: phase,
                                        sinceDose: r.sinceDose, by: r.role.flatMap(Role.init), text: r.text)
                }
            let alarms = try AlarmEventRecord.filter(Column("sessionId") == id).order(Column("id")).fetchAll(db).compactMap(\.event)
            let audit = try AuditRecord.filter(Column("sessionId") == id).order(Column("id")).fetchAll(db)
                .map { (time: Date(timeIntervalSince1970: $0.time), role: $0.role, action: $0.action, detail: $0.detail) }
            let start = session.startedAt
            let end = session.endedAt ?? ([start] + readings.map(\.time.timeIntervalSince1970) + events.map(\.time.timeIntervalSince1970)
                + alarms.map(\.time.timeIntervalSince1970)).max()!
            // The device table has no session: its rows over the session's time, and before it
            // the last of each device, which says whether it began the session connected.
            let during = try DeviceEventRecord.filter(Column("time") >= start && Column("time") <= end)
                .order(Column("time"), Column("id")).fetchAll(db)
            let before = try DeviceEventRecord.fetchAll(db, sql: """
                SELECT * FROM deviceEvent WHERE id IN (SELECT MAX(id) FROM deviceEvent WHERE time < ? GROUP BY device)
                """, arguments: [start])
            let devices = (before + during).map {
                (time: Date(timeIntervalSince1970: $0.time), device: $0.device, event: $0.event, detail: $0.detail)
            }
            let startedAt = Date(timeIntervalSince1970: start)
            let moments = RecordedSession.moments(readings: readings, events: events, audit: audit, deviceEvents: devices,
                                                  alarms: alarms, startedAt: startedAt)
            return RecordedSession(id: id, startedAt: startedAt, endedAt: session.endedAt.map(Date.init(timeIntervalSince1970:)),
                                   devices: RecordedSession.devices(in: readings), moments: moments, alarms: alarms)
        }
    }

    /// The finished sessions that started at or after `date`, oldest first.
    public func finishedSessions(since date: Date) throws -> [SessionRecord] {
        try writer.read { db in
            try SessionRecord.filter(Column("startedAt") >= date.timeIntervalSince1970 && Column("endedAt") != nil)
                .order(Column("startedAt")).fetchAll(db)
        }
    }
}
