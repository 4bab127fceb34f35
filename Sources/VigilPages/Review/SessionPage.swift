import Foundation
import VigilCore
import VigilStore

/// `/sessions/{id}`: one session as a provider reviews it and files it — who, where and when;
/// the trend chart; the REMS monitoring fields and discharge readiness; vitals by phase; every
/// blood pressure; every alarm and who handled it; the staff's notes; the exports. Printed, the
/// same page is the one-to-two page chart document (`print.css`).
public enum SessionPage {
    public static func render(_ review: SessionReview, viewer: Viewer) -> String {
        let content = [
            head(review), chart(review), monitoring(review), figures(review), phaseTable(review),
            bloodPressureTable(review), alarmTable(review), notes(review), footer(review),
        ].joined(separator: "\n")
        return Layout.page(title: "Session \(review.session.id)", viewer: viewer, current: "/sessions",
                           bodyClass: "review session-page", styles: ["review.css"], scripts: ["review.js"], content: content)
    }

    static func head(_ review: SessionReview) -> String {
        let s = review.session, m = review.summary, text = review.text
        let id = HTML.escape(SessionListPage.pathSegment(s.id))
        var out = "<section class=\"session-head\">\n"
        out += "<p class=\"back no-print\"><a href=\"/sessions\">← All sessions</a></p>\n"
        out += "<div class=\"title-row\"><h1>Session <code>\(HTML.escape(s.id))</code></h1>\n<div class=\"actions no-print\">"
        for (format, label) in [("csv", "CSV"), ("json", "JSON"), ("fhir", "FHIR")] {
            out += "<a class=\"button download\" href=\"/api/sessions/\(id)/export?format=\(format)\" download>\(label)</a>"
        }
        out += "<button type=\"button\" class=\"print-button\">Print</button></div></div>\n"
        if review.isRunning {
            out += "<p class=\"running-note\">Still running: the figures below run to \(HTML.escape(HTML.time(m.endedAt))) UTC "
                + "and change until the session ends.</p>\n"
        }
        var facts: [(String, String)] = [
            ("Room", HTML.escape("\(s.site) / \(s.room)")),
            ("Patient reference", s.patientReference.map { "<code>\(HTML.escape($0))</code>" } ?? "none"),
            ("Started", "\(HTML.escape(HTML.time(m.startedAt))) UTC <span class=\"by\">by \(HTML.escape(s.startedBy))</span>"),
            ("Dose", m.doseAt.map { "\(HTML.escape(HTML.time($0))) UTC" } ?? "no dose marked"),
        ]
        for booster in review.doses.filter({ $0.kind == .booster }) {
            facts.append(("Booster", "\(HTML.escape(text.offset(booster.time))) (\(HTML.escape(HTML.time(booster.time))) UTC)"))
        }
        facts.append(review.isRunning ? ("Ended", "<span class=\"running\">running</span>")
                     : ("Ended", "\(HTML.escape(HTML.time(m.endedAt))) UTC <span class=\"by\">by \(HTML.escape(s.endedBy ?? "?"))</span>"))
        facts.append(("Monitored", HTML.escape(ReviewText.duration(m.monitoredMinutes * 60))))
        out += "<dl class=\"facts\">" + facts.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }.joined() + "</dl>\n"
        return out + "</section>"
    }

    static func chart(_ review: SessionReview) -> String {
        let swatch = { (cls: String, label: String) in "<li><span class=\"swatch \(cls)\"></span>\(label)</li>" }
        let legend = [
            swatch("spo2", "SpO2"), swatch("pulse", "Pulse"), swatch("bp", "BP, diastolic to systolic"),
            swatch("dose", "Dose"), swatch("high", "High alarm"), swatch("medium", "Medium alarm"),
            swatch("low", "Low alarm"), swatch("no-data", "No valid data"),
        ].joined()
        let phases = Phase.allCases.map { swatch("phase-\($0.rawValue)", $0.rawValue.capitalized) }.joined()
        return """
        <section class="chart-section">
        <h2>Trend</h2>
        <figure class="chart">
        <div class="chart-wrap">\(TrendChart.svg(review))</div>
        <figcaption><ul class="legend">\(legend)</ul><ul class="legend phases">\(phases)</ul></figcaption>
        </figure>
        </section>
        """
    }

    static func footer(_ review: SessionReview) -> String {
        "<footer class=\"record-footer\">Vigil session record \(HTML.escape(review.session.id)) · "
            + "room \(HTML.escape(review.session.room)) · times in UTC, offsets from the first dose</footer>"
    }
}
