import Foundation
import VigilCore

/// The REMS form's fields, discharge readiness and the figures a provider checks against the
/// baseline, worded as `vigil report` words them.
extension SessionPage {
    static func monitoring(_ review: SessionReview) -> String {
        let m = review.summary, text = review.text
        var rows: [(String, String)] = [
            ("BP before the dose", HTML.escape(text.bloodPressure(m.bloodPressureBeforeDose))),
            ("BP at about +40 min", HTML.escape(text.bloodPressure(m.bloodPressureAt40Minutes))),
            ("BP before the end", HTML.escape(text.bloodPressure(m.bloodPressureBeforeEnd))),
            ("Total monitored time", "\(Int(m.monitoredMinutes.rounded())) min"),
        ]
        if let last = m.lastDoseAt, last != m.doseAt { rows.append(("Last dose (booster)", HTML.escape(text.offset(last)))) }
        rows.append(("Ready to leave", readiness(m, text)))
        let list = rows.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }.joined(separator: "\n")
        return "<section class=\"rems\">\n<h2>REMS patient monitoring</h2>\n<dl class=\"fields\">\n\(list)\n</dl>\n</section>"
    }

    /// Ready and from when, or not ready with each reason and when every criterion first held;
    /// the basis when a vital had no baseline. A summary of schema 1 says what it judged.
    static func readiness(_ m: SessionSummary, _ text: ReviewText) -> String {
        guard let r = m.readiness else {
            return m.readyToLeaveAt.map { "<span class=\"ready yes\">from \(HTML.escape(text.offset($0)))</span> "
                + "(BP within 20 % of baseline, SpO2 above 92 %)" } ?? "not shown by the readings"
        }
        let against = r.fixedLimits.isEmpty ? "within 20 % of baseline" : "within the limits"
        let criteria = "at least \(HTML.number(r.minutesAfterLastDose)) min after the last dose, BP and pulse \(against), "
            + "SpO2 93 % or more, no alarm active"
        var out: String
        if r.ready, let at = r.readyAt {
            out = "<span class=\"ready yes\">Yes, from \(HTML.escape(text.offset(at)))</span> "
                + "<span class=\"criteria\">(\(HTML.escape(criteria)))</span>"
        } else {
            out = "<span class=\"ready no\">No, at the end of the session:</span><ul class=\"reasons\">"
                + r.reasons.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
            out += "<p class=\"would\">" + HTML.escape(r.readyAt.map { "Would have been ready at \(text.offset($0)), when every criterion first held." }
                ?? "Not ready at any moment of the session.") + "</p>"
        }
        if let basis = r.basis { out += "<p class=\"basis\">\(HTML.escape(basis))</p>" }
        return out
    }

    /// Lowest SpO2 and time below 90 %, the highest BP against the baseline, discharge against
    /// the baseline, and the gaps in the SpO2 data.
    static func figures(_ review: SessionReview) -> String {
        let m = review.summary, text = review.text
        let base = m.baseline
        let baselineBP = base["systolic"].map { "\(HTML.number($0))/\(base["diastolic"].map { HTML.number($0) } ?? "–") mmHg" } ?? "not taken"
        let pulse = base["pulse_rate"].map { ", pulse \(HTML.number($0)) /min" } ?? ""
        var rows: [(String, String)] = [
            ("Lowest SpO2", m.minimumSpO2.map { "\(HTML.number($0)) %" } ?? "–"),
            ("SpO2 below 90 %", "\(ReviewText.duration(m.secondsSpO2Below90)) in all, longest episode \(ReviewText.duration(m.longestSpO2Below90Seconds))"),
            ("Baseline", baselineBP + pulse),
            ("Highest systolic after the dose", text.bloodPressure(m.highestSystolic) + rise(m)),
        ]
        let discharge: String
        if m.discharge.isEmpty {
            discharge = "no discharge readings"
        } else {
            let values = ["systolic", "diastolic", "pulse_rate"].compactMap { key in
                m.discharge[key].map { "\(key == "pulse_rate" ? "pulse" : key) \(HTML.number($0))" }
            }.joined(separator: ", ")
            discharge = values + (m.dischargeWithin20PercentOfBaseline == true ? " (within 20 % of baseline)" : " (NOT within 20 % of baseline)")
        }
        rows.append(("Discharge vs baseline", discharge))
        let gaps = m.dataGaps.isEmpty ? "none"
            : m.dataGaps.map { "\(text.offset($0.start)) for \(ReviewText.duration($0.seconds))" }.joined(separator: "; ")
        rows.append(("Gaps in SpO2 data (over 10 s)", gaps))
        let list = rows.map { "<div><dt>\($0.0)</dt><dd>\(HTML.escape($0.1))</dd></div>" }.joined(separator: "\n")
        return "<section class=\"figures\">\n<h2>SpO2 and blood pressure against the baseline</h2>\n<dl class=\"fields\">\n\(list)\n</dl>\n</section>"
    }

    /// `, 31 % above the baseline` for the highest systolic, when there is a baseline.
    static func rise(_ m: SessionSummary) -> String {
        guard let high = m.highestSystolic?.systolic, let base = m.baseline["systolic"], base > 0 else { return "" }
        let percent = Int(((high - base) / base * 100).rounded())
        return percent >= 0 ? ", \(percent) % above the baseline" : ", \(-percent) % below the baseline"
    }
}
