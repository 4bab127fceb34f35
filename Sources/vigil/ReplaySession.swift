import Foundation
import VigilCore
import VigilStore

/// `vigil replay --session ID`: one recorded session through a profile, its alarms side by side
/// with those the room raised.
enum SessionReplay {
    struct Unknown: Error, CustomStringConvertible {
        var id: String
        var description: String { "no session \(id) in this database (vigil sessions lists them)" }
    }

    /// Replays a recorded session; the replay's events, and the comparison with the room's.
    static func replay(_ recorded: RecordedSession, profile: AlarmProfile)
        -> (events: [RoomEvent], comparison: AlarmComparison, notes: [RecordedReplay.Note]) {
        var replay = RecordedReplay(recorded, profile: profile)
        let events = replay.run()
        let alarms = events.compactMap { if case .alarm(let a) = $0 { a } else { nil } }
        let comparison = AlarmComparison(recorded: recorded.alarms, replayed: alarms, start: recorded.startedAt,
                                         end: recorded.lastTime)
        return (events, comparison, replay.notes)
    }

    static func print(_ id: String, from store: Store, profile: AlarmProfile, named name: String,
                      json: Bool, withSession: Bool) throws {
        guard let recorded = try store.recordedSession(id) else { throw Unknown(id: id) }
        let (events, comparison, notes) = replay(recorded, profile: profile)
        if json {
            for event in events {
                switch event {
                case .alarm(let alarm): Swift.print(alarm.jsonLine.description)
                case .session(let s): if withSession { Swift.print(s.jsonLine.description) }
                }
            }
            return
        }
        Swift.print(text(recorded, comparison, notes: notes, profile: name), terminator: "")
    }

    /// The side-by-side table: one row per alarm, the room's run on the left, the replay's on the right.
    static func text(_ recorded: RecordedSession, _ comparison: AlarmComparison, notes: [RecordedReplay.Note],
                     profile: String) -> String {
        let start = recorded.doseAt ?? recorded.startedAt
        var out = "session \(recorded.id), started \(SessionReport.time(recorded.startedAt)), \(Int(recorded.duration / 60)) min"
        out += recorded.endedAt == nil ? " (not ended)\n" : "\n"
        out += "recorded: the alarms the room raised; replayed: the same session through \(profile)\n"
        out += recorded.doseAt == nil ? "times from the session's start (+min:s, no dose was marked)"
            : "times from the dose (+min:s; -min:s before it)"
        out += "; a priority a→b rose while unacknowledged\n\n"
        let header = ["condition", "about", "priority", "raised", "cleared", "priority", "raised", "cleared", "outcome"]
        var table: [[String]] = []
        for row in comparison.rows {
            let first = row.recorded ?? row.replayed!
            table.append([first.condition, first.subject] + cells(row.recorded, start) + cells(row.replayed, start)
                         + [outcome(row)])
        }
        let widths = header.indices.map { i in ([header] + table).map { $0[i].count }.max()! }
        func line(_ cells: [String]) -> String {
            let left = (0..<2).map { cells[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            let recordedPart = (2..<5).map { cells[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            let replayedPart = (5..<8).map { cells[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            return [left, recordedPart, replayedPart, cells[8]].joined(separator: " │ ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let indent = widths[0] + 2 + widths[1] + 3
        let recordedWidth = widths[2] + widths[3] + widths[4] + 4
        out += String(repeating: " ", count: indent) + "recorded (the room)".padding(toLength: recordedWidth, withPad: " ", startingAt: 0)
            + "   replayed (\(profile))\n"
        out += line(header) + "\n"
        for cells in table { out += line(cells) + "\n" }
        if table.isEmpty { out += "(no alarm in either run)\n" }
        out += "\n\(comparison.recorded.count) alarm\(comparison.recorded.count == 1 ? "" : "s") recorded, "
            + "\(comparison.replayed.count) replayed: \(comparison.count(.matched)) matched, "
            + "\(comparison.count(.onlyRecorded)) only recorded, \(comparison.count(.onlyReplayed)) only replayed\n"
        if !notes.isEmpty {
            out += "the replay:\n"
            for note in notes { out += "  \(offset(note.time, from: start)) \(note.text)\n" }
        }
        return out
    }

    private static func cells(_ span: AlarmSpan?, _ start: Date) -> [String] {
        guard let span else { return ["-", "", ""] }
        let priority = span.priority == span.raisedPriority ? span.priority.rawValue
            : "\(span.raisedPriority.rawValue)→\(span.priority.rawValue)"
        return [priority, span.raisedAt.map { offset($0, from: start) } ?? "before",
                span.clearedAt.map { offset($0, from: start) } ?? "open"]
    }

    private static func outcome(_ row: AlarmComparison.Row) -> String {
        guard row.outcome == .matched, let shift = row.shift, abs(shift) >= 1 else { return row.outcome.rawValue }
        let seconds = Int(abs(shift).rounded())
        return "matched, replay \(seconds) s \(shift < 0 ? "earlier" : "later")"
    }

    /// `+mm:ss` after `start` (the dose), `-mm:ss` before it; minutes go past 60.
    static func offset(_ time: Date, from start: Date) -> String {
        let s = Int(time.timeIntervalSince(start).rounded())
        return s < 0 ? "-\(-s / 60):\(String(format: "%02d", -s % 60))" : "+\(s / 60):\(String(format: "%02d", s % 60))"
    }
}
