import Foundation
import Testing
import VigilCore
import VigilStore
@testable import VigilPages

@Suite("The session page a provider reviews and prints")
struct SessionPageTests {
    /// A two-hour session: baseline BP, the dose, a desaturation the nurse acknowledges, the
    /// +40 min rise, notes, and a discharge BP back near the baseline.
    static let session = """
        0,session.start,doula
        0,spo2,98
        0,pulse_rate,70
        120,systolic,130
        120,diastolic,80
        300,note,Eyeshades on; music started
        300,dose,doula
        1500,spo2,87
        1530,ack,nurse:spo2_low
        1540,spo2,97
        2700,systolic,158
        2700,diastolic,94
        2800,note,Dissociated but calm (CADSS recorded on paper)
        7560,systolic,135
        7560,diastolic,84
        7700,session.end,doula
        """

    @Test("The notes, and which nurse acknowledged the desaturation and when, are on the page")
    func notesAndAcknowledgement() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record(Self.session)
        let html = SessionPage.render(try db.review(), viewer: provider)

        #expect(html.contains("Eyeshades on; music started"))
        #expect(html.contains("Dissociated but calm (CADSS recorded on paper)"))
        #expect(html.contains("<td>+41:40 <span class=\"clock\">09:46:40</span></td><td>doula</td>"))
        let rows = html.components(separatedBy: "<tr class=\"alarm-row ").dropFirst().map { $0.components(separatedBy: "</tr>")[0] }
        let row = try #require(rows.first { $0.contains("SpO2 low") })
        #expect(row.hasPrefix("medium"))
        #expect(row.contains("nurse, +20:30 <span class=\"clock\">09:25:30</span>"))
        #expect(row.contains("after 15 s"))
        #expect(row.contains("SpO2 87 (limit 90)"))
    }

    @Test("The REMS fields and the discharge readiness the summary computed are shown")
    func remsFieldsAndReadiness() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record(Self.session)
        let html = SessionPage.render(try db.review(), viewer: provider)

        #expect(html.contains("<dt>BP before the dose</dt><dd>130/80 mmHg at 3:00 before the dose</dd>"))
        #expect(html.contains("<dt>BP at about +40 min</dt><dd>158/94 mmHg at +40:00</dd>"))
        #expect(html.contains("<dt>BP before the end</dt><dd>135/84 mmHg at +121:00</dd>"))
        #expect(html.contains("<dt>Total monitored time</dt><dd>128 min</dd>"))
        #expect(html.contains("<span class=\"ready yes\">Yes, from +121:00</span>"))
        #expect(html.contains("Blood pressure readings (3)"))
        #expect(html.contains("158/94 <span class=\"tag\">highest</span>"))
    }

    @Test("A session not ready to leave gives each reason")
    func notReadyReasons() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,70
            120,systolic,130
            120,diastolic,80
            300,dose,doula
            3000,session.end,doula
            """)
        let review = try db.review()
        let reasons = try #require(review.summary.readiness?.reasons)
        #expect(!reasons.isEmpty)
        let html = SessionPage.render(review, viewer: provider)
        #expect(html.contains("<span class=\"ready no\">No, at the end of the session:</span>"))
        for reason in reasons { #expect(html.contains("<li>\(HTML.escape(reason))</li>")) }
    }

    @Test("A patient reference and a note with markup are printed as text, never as markup")
    func markupIsEscaped() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record("""
            0,session.start,doula
            0,spo2,98
            60,note,<script>alert('note')</script>
            120,dose,doula
            600,session.end,doula
            """, patientReference: "<img src=x onerror=alert(1)>")
        let html = SessionPage.render(try db.review(), viewer: provider)
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;"))

        let list = SessionListPage.render(try db.store.sessions(), filter: try SessionFilter(from: nil, to: nil), viewer: provider)
        #expect(!list.contains("<img src=x"))
        #expect(list.contains("<code>&lt;img src=x onerror=alert(1)&gt;</code>"))
    }

    @Test("The exports are linked, and Print is a button wired by review.js, with no inline script")
    func downloadsAndPrint() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record(Self.session, id: "S-2026-01-01-0900")
        let html = SessionPage.render(try db.review("S-2026-01-01-0900"), viewer: provider)
        for format in ["csv", "json", "fhir"] {
            #expect(html.contains("href=\"/api/sessions/S-2026-01-01-0900/export?format=\(format)\""))
        }
        #expect(html.contains("<button type=\"button\" class=\"print-button\">Print</button>"))
        #expect(html.contains("<script src=\"/assets/review.js\"></script>"))
        #expect(html.contains("<link rel=\"stylesheet\" href=\"/assets/review.css\">"))
        #expect(!html.contains("onclick"))
        #expect(!html.contains("javascript:"))
        #expect(html.components(separatedBy: "<script").count == html.components(separatedBy: "<script src=").count)
        let script = try #require(Assets.named("review.js"))
        #expect(String(decoding: script.data, as: UTF8.self).contains("window.print()"))
    }

    @Test("A session still running says so, and its alarms that have not cleared are still active")
    func runningSession() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,72
            120,dose,doula
            900,spo2,84
            1000,spo2,84
            """, wallStart: Date().addingTimeInterval(-1100))
        let review = try db.review()
        #expect(review.isRunning)
        let html = SessionPage.render(review, viewer: provider)
        #expect(html.contains("<dt>Ended</dt><dd><span class=\"running\">running</span></dd>"))
        #expect(html.contains("Still running"))
        #expect(html.contains("<span class=\"active\">still active</span>"))
    }

    @Test("A session that is not in the database is refused as no such session")
    func noSuchSession() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        #expect(throws: StoreError.self) { try db.review("S-missing") }
        do {
            _ = try db.review("S-missing")
        } catch let error as StoreError {
            guard case .noSuchSession(let id) = error else { Issue.record("\(error)"); return }
            #expect(id == "S-missing")
        }
    }
}
