import Foundation
import VigilCore
import VigilStore

/// `vigil replay --sessions --since 30d`: every finished session of that time through each
/// profile, and the alarms of each run by condition and priority per session-hour, the room's
/// recorded ones first. This is the table a medical director reads before changing limits.
enum SessionsReplay {
    /// One run's alarm counts over all the sessions.
    struct Column {
        var title: String
        var tally: [AlarmSpan.Tally: Int] = [:]
        var perSession: [Int] = []
        var total: Int { tally.values.reduce(0, +) }
    }

    static func print(from store: Store, since date: Date, sinceText: String,
                      profiles: [(name: String, profile: AlarmProfile)], json: Bool) throws {
        let records = try store.finishedSessions(since: date)
        var columns = [Column(title: "recorded (the room)")] + profiles.map { Column(title: $0.name) }
        var hours = 0.0
        var ids: [(id: String, minutes: Int)] = []
        for record in records {
            guard let recorded = try store.recordedSession(record.id) else { continue }
            hours += recorded.duration / 3600
            ids.append((record.id, Int(recorded.duration / 60)))
            add(AlarmSpan.spans(recorded.alarms), to: &columns[0])
            for (i, entry) in profiles.enumerated() {
                let (_, comparison, _) = SessionReplay.replay(recorded, profile: entry.profile)
                add(comparison.replayed, to: &columns[i + 1])
            }
        }
        if json {
            for column in columns {
                for key in column.tally.keys.sorted() {
                    var j = JSONLine()
                    j.add("run", column.title)
                    j.add("condition", key.condition)
                    j.add("priority", key.priority.rawValue)
                    j.add("alarms", column.tally[key])
                    j.add("session_hours", (hours * 1000).rounded() / 1000)
                    j.add("per_session_hour", hours > 0 ? ((Double(column.tally[key]!) / hours) * 100).rounded() / 100 : nil)
                    Swift.print(j.description)
                }
            }
            return
        }
        Swift.print(markdown(columns, hours: hours, sessions: ids, since: sinceText, from: date), terminator: "")
    }

    private static func add(_ spans: [AlarmSpan], to column: inout Column) {
        column.tally.merge(AlarmSpan.tally(spans), uniquingKeysWith: +)
        column.perSession.append(spans.count)
    }

    static func markdown(_ columns: [Column], hours: Double, sessions: [(id: String, minutes: Int)], since: String,
                         from date: Date) -> String {
        var out = "\(sessions.count) finished session\(sessions.count == 1 ? "" : "s") since "
            + "\(SessionReport.time(date)) (\(since)), \(String(format: "%.1f", hours)) session-hours\n\n"
        guard !sessions.isEmpty else { return out }
        out += "Alarms by condition and the highest priority each reached, per session-hour:\n\n"
        func rate(_ n: Int) -> String { hours > 0 ? String(format: "%.2f", Double(n) / hours) : "-" }
        out += "| condition | priority | " + columns.map { "\(escape($0.title)) | per session-hour" }.joined(separator: " | ") + " |\n"
        out += "| --- | --- | " + columns.map { _ in "---: | ---:" }.joined(separator: " | ") + " |\n"
        let keys = Set(columns.flatMap(\.tally.keys)).sorted()
        for key in keys {
            out += "| \(key.condition) | \(key.priority.rawValue) | "
                + columns.map { let n = $0.tally[key] ?? 0; return "\(n) | \(rate(n))" }.joined(separator: " | ") + " |\n"
        }
        out += "| **all** | | " + columns.map { "**\($0.total)** | **\(rate($0.total))**" }.joined(separator: " | ") + " |\n"
        out += "\nAlarms per session:\n\n"
        out += "| session | min | " + columns.map { escape($0.title) }.joined(separator: " | ") + " |\n"
        out += "| --- | ---: | " + columns.map { _ in "---:" }.joined(separator: " | ") + " |\n"
        for (i, session) in sessions.enumerated() {
            out += "| \(session.id) | \(session.minutes) | " + columns.map { String($0.perSession[i]) }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    private static func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
