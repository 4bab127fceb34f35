import Foundation
import VigilCore

/// The session page's tables: vitals by phase, every blood pressure, every alarm, the notes.
extension SessionPage {
    /// A time as the tables print it: from the dose, with the UTC clock time under it.
    static func when(_ date: Date, _ text: ReviewText) -> String {
        let clock = String(HTML.time(date).suffix(8))
        guard text.dose != nil else { return HTML.escape(clock) }
        return "\(HTML.escape(text.offset(date))) <span class=\"clock\">\(HTML.escape(clock))</span>"
    }

    static func table(_ className: String, caption: String, head: [String], rows: [String], empty: String) -> String {
        var out = "<section class=\"\(className)\">\n<h2>\(HTML.escape(caption))</h2>\n"
        guard !rows.isEmpty else { return out + "<p class=\"empty\">\(HTML.escape(empty))</p>\n</section>" }
        out += "<div class=\"table-wrap\"><table>\n<thead><tr>"
            + head.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        out += rows.joined(separator: "\n")
        return out + "\n</tbody></table></div>\n</section>"
    }

    /// Min–max (mean) of each vital in each phase, valid readings only.
    static func phaseTable(_ review: SessionReview) -> String {
        let vitals: [Vital] = [.spo2, .pulseRate, .systolic, .diastolic]
        let rows = Phase.allCases.compactMap { phase -> String? in
            guard let stats = review.summary.phases[phase.rawValue] else { return nil }
            let cells = vitals.map { vital -> String in
                guard let s = stats[vital.rawValue] else { return "<td>–</td>" }
                let mean = HTML.number(s.mean, places: 1)
                return "<td data-label=\"\(ReviewText.name(vital))\">\(HTML.number(s.min))–\(HTML.number(s.max)) <span class=\"mean\">(\(mean))</span></td>"
            }
            return "<tr><th scope=\"row\" class=\"phase-cell \(phase.rawValue)\">\(phase.rawValue.capitalized)</th>" + cells.joined() + "</tr>"
        }
        return table("by-phase", caption: "Vitals by phase: min–max (mean)",
                     head: ["Phase"] + vitals.map { "\(ReviewText.name($0)) \(ReviewText.unit($0))" }, rows: rows,
                     empty: "No valid readings were recorded.")
    }

    /// Every blood pressure with its time, phase and the systolic against the baseline.
    static func bloodPressureTable(_ review: SessionReview) -> String {
        let m = review.summary, text = review.text
        let base = m.baseline["systolic"]
        let rows = m.allBloodPressures.map { p -> String in
            let phase = review.phases.last { $0.start <= p.time }?.phase ?? .baseline
            let diastolic = p.diastolic.map { HTML.number($0) } ?? "–"
            let change = base.map { b -> String in
                let percent = Int(((p.systolic - b) / b * 100).rounded())
                return percent == 0 ? "±0 %" : percent > 0 ? "+\(percent) %" : "−\(-percent) %"
            } ?? "–"
            let highest = p == m.highestSystolic ? " <span class=\"tag\">highest</span>" : ""
            return "<tr><td>\(when(p.time, text))</td><td>\(phase.rawValue.capitalized)</td>"
                + "<td class=\"num\">\(HTML.number(p.systolic))/\(diastolic)\(highest)</td><td class=\"num\">\(change)</td></tr>"
        }
        return table("bp-readings", caption: "Blood pressure readings (\(m.allBloodPressures.count))",
                     head: ["Time", "Phase", "mmHg", "Systolic vs baseline"], rows: rows,
                     empty: "No blood pressure was taken.")
    }

    /// Every alarm: priority, what, raised, who acknowledged and when, cleared.
    static func alarmTable(_ review: SessionReview) -> String {
        let text = review.text
        let rows = review.alarms.map { line -> String in
            let a = line.record
            var what = HTML.escape(ReviewText.condition(a.condition))
            if let vital = line.vital, let worst = line.worst {
                what += " <span class=\"value\">\(HTML.escape(ReviewText.name(vital))) \(HTML.number(worst, places: worst == worst.rounded() ? 0 : 1))"
                    + (line.limit.map { " (limit \(HTML.number($0)))" } ?? "") + "</span>"
            }
            if let detail = line.detail { what += "<br><span class=\"detail\">\(HTML.escape(detail))</span>" }
            if let escalated = line.escalatedAt { what += "<br><span class=\"detail\">escalated to the clinic \(HTML.escape(text.offset(escalated)))</span>" }
            if !line.pausedBy.isEmpty {
                what += "<br><span class=\"detail\">sound paused by \(HTML.escape(line.pausedBy.map(\.rawValue).joined(separator: ", ")))</span>"
            }
            let ack: String
            if let at = a.acknowledgedAt {
                ack = "\(HTML.escape(a.acknowledgedBy?.rawValue ?? "?")), \(when(at, text)) "
                    + "<span class=\"after\">after \(HTML.escape(ReviewText.duration(a.secondsToAcknowledge ?? 0)))</span>"
            } else {
                ack = "<span class=\"unacknowledged\">not acknowledged</span>"
            }
            let cleared = a.clearedAt.map { when($0, text) } ?? (review.isRunning ? "<span class=\"active\">still active</span>" : "not cleared")
            let p = a.priority.rawValue
            return "<tr class=\"alarm-row \(p)\" id=\"alarm-\(HTML.escape(a.id))\"><td><span class=\"priority \(p)\">\(p.capitalized)</span></td>"
                + "<td>\(what)</td><td>\(when(a.raisedAt, text))</td><td>\(ack)</td><td>\(cleared)</td></tr>"
        }
        let counts = ["high", "medium", "low"].map { "\(review.summary.alarmsByPriority[$0] ?? 0) \($0)" }.joined(separator: ", ")
        return table("alarm-table", caption: "Alarms (\(review.alarms.count): \(counts))",
                     head: ["Priority", "Alarm", "Raised", "Acknowledged", "Cleared"], rows: rows,
                     empty: "No alarm was raised.")
    }

    /// The staff's notes, with when and who.
    static func notes(_ review: SessionReview) -> String {
        let rows = review.notes.map { note in
            "<tr><td>\(when(note.time, review.text))</td><td>\(HTML.escape(note.by?.rawValue ?? "–"))</td>"
                + "<td class=\"note-text\">\(HTML.escape(note.text ?? ""))</td></tr>"
        }
        return table("notes", caption: "Notes (\(rows.count))", head: ["Time", "By", "Note"], rows: rows,
                     empty: "No notes were written.")
    }
}
