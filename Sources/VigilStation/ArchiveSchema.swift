import Foundation
import VigilCore

/// The archive's schema, the same on SQLite and PostgreSQL: one table of every message kept,
/// keyed by room and event id, with the few columns a session list needs taken out of the
/// payload. Migrations are applied in order, each once (GRDB's migrator on SQLite, the same
/// statements under a version table on PostgreSQL).
enum ArchiveSchema {
    /// Each migration: its name and its statements, in a dialect both engines read.
    static let migrations: [(name: String, statements: [String])] = [
        ("v1: room events", [
            """
            CREATE TABLE room_event (
                site TEXT NOT NULL,
                room TEXT NOT NULL,
                event_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                session TEXT,
                time_ms BIGINT NOT NULL,
                state TEXT,
                priority TEXT,
                payload TEXT NOT NULL,
                received_ms BIGINT NOT NULL,
                PRIMARY KEY (site, room, event_id)
            )
            """,
            "CREATE INDEX room_event_session ON room_event (site, room, session, time_ms)",
        ]),
    ]

    /// Every column of one row, in the order ``columns`` names them.
    static func values(_ e: ArchivedEvent, receivedAt: Date) -> [String?] {
        let object = (try? JSONSerialization.jsonObject(with: Data(e.payload.utf8))) as? [String: Any]
        return [e.room.site, e.room.room, e.eventID, e.kind.rawValue, e.session, String(milliseconds(e.time)),
                e.kind == .alarm ? object?["state"] as? String : nil, e.kind == .alarm ? object?["priority"] as? String : nil,
                e.payload, String(milliseconds(receivedAt))]
    }

    static let columns = "site, room, event_id, kind, session, time_ms, state, priority, payload, received_ms"

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    /// One row as a session list reads it.
    typealias SessionRow = (room: RoomKey, session: String, kind: String, timeMs: Int64, state: String?, priority: String?, payload: String)

    /// Sessions from their rows: what each session's events and summary say.
    static func sessions(_ rows: [SessionRow], since: Date?) -> [ArchivedSession] {
        var out: [String: ArchivedSession] = [:]
        var counted: [String: [AlarmPriority: Int]] = [:]  // the summary's own count, once it came
        for row in rows {
            let key = "\(row.room)/\(row.session)"
            var s = out[key] ?? ArchivedSession(room: row.room, session: row.session, startedAt: date(row.timeMs), endedAt: nil,
                                                raised: [:], summary: nil)
            s.startedAt = min(s.startedAt, date(row.timeMs))
            if row.kind == ArchivedEvent.Kind.summary.rawValue {
                s.summary = row.payload
                let summary = ((try? JSONSerialization.jsonObject(with: Data(row.payload.utf8))) as? [String: Any])?["summary"] as? [String: Any]
                s.endedAt = (summary?["ended_at"] as? String).flatMap(JSONLine.date(from:)) ?? date(row.timeMs)
                if let started = (summary?["started_at"] as? String).flatMap(JSONLine.date(from:)) { s.startedAt = started }
                if let byPriority = summary?["alarms_by_priority"] as? [String: Int] {
                    counted[key] = Dictionary(uniqueKeysWithValues: byPriority.compactMap { k, v in AlarmPriority(rawValue: k).map { ($0, v) } })
                }
            } else if row.state == AlarmState.raised.rawValue, let p = row.priority.flatMap(AlarmPriority.init) {
                s.raised[p, default: 0] += 1
            }
            out[key] = s
        }
        for (key, raised) in counted { out[key]?.raised = raised }
        return out.values.filter { since == nil || $0.startedAt >= since! }
            .sorted { ($0.startedAt, $0.room) > ($1.startedAt, $1.room) }
    }
}
