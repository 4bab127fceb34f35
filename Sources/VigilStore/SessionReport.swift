import Foundation
import VigilCore

/// `vigil report`: the summary as a provider reads it at a desk — the REMS form's fields first,
/// then vitals by phase, desaturation, the highest BP, data gaps, every alarm and who handled it.
public enum SessionReport {
    public static func text(_ id: String, from store: Store) throws -> String {
        let (session, summary) = try summary(id, from: store)
        return render(session, summary)
    }

    /// The session and its summary as the review shows it: the stored one, or — for a session
    /// still running, or one summarised by an older Vigil — computed afresh from its records.
    public static func summary(_ id: String, from store: Store) throws -> (SessionRecord, SessionSummary) {
        guard let session = try store.session(id) else { throw StoreError.noSuchSession(id) }
        // A summary stored by an older Vigil judged readiness on systolic and SpO2 alone: the
        // readings are still here, so the provider reads it computed afresh.
        let stored = try store.summary(session: id).flatMap { $0.schemaVersion >= SessionSummary.schemaVersion ? $0 : nil }
        let summary = try stored ?? SessionSummary.compute(
            readings: try store.readings(session: id), alarms: try store.alarmEvents(session: id),
            events: try store.sessionEvents(session: id), startedAt: Date(timeIntervalSince1970: session.startedAt),
            doseAt: session.doseAt.map(Date.init(timeIntervalSince1970:)),
            // A session still running is summed up to its last record: the room's clock, which in
            // a demo runs faster than this machine's.
            endedAt: try session.endedAt.map(Date.init(timeIntervalSince1970:)) ?? store.lastRecordTime(session: id) ?? Date(),
            timeline: PhaseTimeline())
        return (session, summary)
    }

    /// A summary as a station received it from the room, without the room's records: the same
    /// report, less who started and ended the session (the summary does not carry it).
    public static func text(of summary: SessionSummary, session id: String, site: String, room: String) -> String {
        let record = SessionRecord(id: id, site: site, room: room, patientReference: nil, route: nil,
                                   startedAt: summary.startedAt.timeIntervalSince1970, startedBy: "",
                                   doseAt: summary.doseAt?.timeIntervalSince1970, endedAt: summary.endedAt.timeIntervalSince1970,
                                   endedBy: "")
        return render(record, summary)
    }

    public static func time(_ d: Date) -> String { JSONLine.timestamp(d).replacingOccurrences(of: "T", with: " ") }

    static func offset(_ d: Date, _ dose: Date?) -> String {
        guard let dose else { return time(d) }
        let s = Int(d.timeIntervalSince(dose).rounded())
        return s < 0 ? "\(-s / 60):\(String(format: "%02d", -s % 60)) before the dose"
            : "+\(s / 60):\(String(format: "%02d", s % 60))"
    }

    static func bp(_ p: SessionSummary.BloodPressure?, _ dose: Date?) -> String {
        guard let p else { return "not taken" }
        let dia = p.diastolic.map { "/\(JSONLine.number($0))" } ?? ""
        return "\(JSONLine.number(p.systolic))\(dia) mmHg at \(offset(p.time, dose))"
    }

    /// The REMS "ready to leave" lines: yes and from when, or no with each reason; the basis when
    /// there was no baseline.
    static func readiness(_ m: SessionSummary) -> [String] {
        let label = "  Ready to leave         "
        let indent = String(repeating: " ", count: label.count)
        guard let r = m.readiness else {
            // A summary of schema 1, which judged systolic and SpO2 only.
            let at = m.readyToLeaveAt.map { "\(offset($0, m.doseAt)) (BP within 20 % of baseline, SpO2 above 92 %)" }
            return [label + (at ?? "not shown by the readings")]
        }
        let against = r.fixedLimits.isEmpty ? "within 20 % of baseline" : "within the limits"
        let criteria = "at least \(JSONLine.number(r.minutesAfterLastDose)) min after the last dose, "
            + "BP and pulse \(against), SpO2 93 % or more, no alarm active"
        var out: [String]
        if r.ready, let at = r.readyAt {
            out = [label + "yes, from \(offset(at, m.doseAt)) (\(criteria))"]
        } else {
            out = [label + "no, at the end of the session:"] + r.reasons.map { indent + "- " + $0 }
            out.append(indent + (r.readyAt.map { "would have been ready at \(offset($0, m.doseAt)), when every criterion first held" }
                                 ?? "not ready at any moment of the session"))
        }
        if let basis = r.basis { out.append(indent + basis) }
        return out
    }

    static func render(_ s: SessionRecord, _ m: SessionSummary) -> String {
        let dose = m.doseAt
        var out: [String] = []
        out.append("Session \(s.id) — site \(s.site), room \(s.room), patient reference \(s.patientReference ?? "none")")
        func by(_ who: String?) -> String { who == "" ? "" : " by \(who ?? "?")" }
        out.append("Started \(time(m.startedAt))\(by(s.startedBy))"
                   + (dose.map { "; dose at \(time($0))" } ?? "; no dose marked")
                   + (s.endedAt != nil ? "; ended \(time(m.endedAt))\(by(s.endedBy))" : "; still running"))
        out.append("")
        out.append("REMS patient monitoring")
        out.append("  BP before the dose     \(bp(m.bloodPressureBeforeDose, dose))")
        out.append("  BP at about +40 min    \(bp(m.bloodPressureAt40Minutes, dose))")
        out.append("  BP before the end      \(bp(m.bloodPressureBeforeEnd, dose))")
        out.append("  Total monitored time   \(Int(m.monitoredMinutes.rounded())) min")
        if let last = m.lastDoseAt, last != dose { out.append("  Last dose (booster)    \(offset(last, dose))") }
        out += readiness(m)
        out.append("")
        out.append("Vitals by phase (min / max / mean, valid readings)")
        let vitals: [Vital] = [.spo2, .pulseRate, .systolic, .diastolic]
        out.append("  " + "phase".padding(toLength: 11, withPad: " ", startingAt: 0)
                   + vitals.map { $0.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0) }.joined())
        for phase in Phase.allCases {
            guard let stats = m.phases[phase.rawValue] else { continue }
            let cells = vitals.map { v -> String in
                let cell = stats[v.rawValue].map { "\(JSONLine.number($0.min)) / \(JSONLine.number($0.max)) / \(JSONLine.number(($0.mean * 10).rounded() / 10))" } ?? "–"
                return cell.padding(toLength: 20, withPad: " ", startingAt: 0)
            }
            out.append("  " + phase.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + cells.joined())
        }
        out.append("")
        out.append("SpO2: lowest \(m.minimumSpO2.map { "\(JSONLine.number($0)) %" } ?? "–"), "
                   + "\(Int(m.secondsSpO2Below90)) s below 90 % (longest episode \(Int(m.longestSpO2Below90Seconds)) s)")
        out.append("Highest systolic after the dose: \(bp(m.highestSystolic, dose)); baseline "
                   + (m.baseline["systolic"].map { "\(JSONLine.number($0))/\(m.baseline["diastolic"].map(JSONLine.number) ?? "–")" } ?? "not taken")
                   + (m.baseline["pulse_rate"].map { ", pulse \(Int($0.rounded()))/min" } ?? ""))
        out.append("Discharge vs baseline: " + (m.discharge.isEmpty ? "no discharge readings"
            : m.discharge.sorted { $0.key < $1.key }.map { "\($0.key) \(JSONLine.number($0.value))" }.joined(separator: ", ")
              + (m.dischargeWithin20PercentOfBaseline == true ? " (within 20 % of baseline)" : " (NOT within 20 % of baseline)")))
        out.append("Data gaps (no valid SpO2 for over 10 s): " + (m.dataGaps.isEmpty ? "none"
            : m.dataGaps.map { "\(offset($0.start, dose)) for \(Int($0.seconds)) s" }.joined(separator: "; ")))
        out.append("")
        let counts = ["high", "medium", "low"].map { "\($0) \(m.alarmsByPriority[$0] ?? 0)" }.joined(separator: ", ")
        out.append("Alarms (\(m.alarms.count)): \(counts)")
        for a in m.alarms {
            let ack = a.acknowledgedAt.map { "acknowledged by \(a.acknowledgedBy?.rawValue ?? "?") after \(Int($0.timeIntervalSince(a.raisedAt))) s" } ?? "not acknowledged"
            let cleared = a.clearedAt.map { "cleared \(offset($0, dose))" } ?? "still active"
            out.append("  \(a.id)  \(a.priority.rawValue.uppercased()) \(a.condition) at \(offset(a.raisedAt, dose)); \(ack); \(cleared)")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
