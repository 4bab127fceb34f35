import Foundation
import Testing
import VigilCore
import VigilStore
@testable import VigilPages

@Suite("A realistic two-hour session, as a provider opens it")
struct SamplePageTests {
    /// Two hours of a dosing room: SpO2 and pulse that wander as real ones do, a desaturation in
    /// the peak, the +40 min BP rise and its repeat, a probe-off spell in recovery, notes.
    static var scenario: String {
        let first = ["0,session.start,doula", "0,spo2,98", "0,pulse_rate,74", "60,systolic,128", "60,diastolic,82",
                     "240,note,Consent checked; eyeshades and music on", "300,dose,doula"]
        var seed: UInt64 = 42
        func wobble(_ spread: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(2 * spread + 1)) - spread
        }
        var timed: [(Int, String)] = first.map { line in
            let parts = line.split(separator: ",", maxSplits: 1)
            return (Int(parts[0])!, String(parts[1]))
        }
        for t in stride(from: 5, to: 7600, by: 5) where !(1800..<1830).contains(t) && !(4500..<4590).contains(t) {
            let spo2 = t > 300 && t < 3300 ? 97 + wobble(1) : 98 + min(wobble(1), 1)
            let pulse = 74 + (t > 900 && t < 3600 ? 10 : 0) + wobble(3)
            timed += [(t, "spo2,\(min(spo2, 100))"), (t, "pulse_rate,\(pulse)")]
        }
        timed += [(1800, "spo2,89"), (1806, "spo2,86"), (1812, "spo2,84"), (1818, "spo2,88"), (1824, "spo2,92"),
                  (1840, "ack,nurse:spo2_low"), (4500, "probe_off,oximeter"), (4590, "probe_on,oximeter"),
                  (2000, "note,Dissociated; responds to voice (MOAA/S 4)"),
                  (2620, "ack,nurse:systolic_high"), (7560, "note,Ready to leave with companion")]
        for (t, s, d) in [(600, 134, 85), (900, 139, 88), (1500, 151, 94), (2100, 163, 98), (2550, 186, 104), (2610, 182, 102),
                          (3000, 168, 99), (3900, 150, 92), (4800, 141, 88), (5700, 136, 86), (6600, 133, 84), (7500, 131, 83)] {
            timed += [(t, "systolic,\(s)"), (t, "diastolic,\(d)")]
        }
        // A stable sort: lines of one second keep their order (the session starts before its readings).
        let ordered = timed.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
        return (ordered.map { "\($0.0),\($0.1)" } + ["7600,session.end,doula"]).joined(separator: "\n")
    }

    @Test("Every section is on the page, the desaturation, the BP rise and the probe-off gap are marked, and it stays small")
    func realisticSession() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record(Self.scenario, id: "S-20260101-0900", patientReference: "K-7731")
        let review = try db.review("S-20260101-0900")
        let html = SessionPage.render(review, viewer: provider)

        for heading in ["Trend", "REMS patient monitoring", "SpO2 and blood pressure against the baseline",
                        "Vitals by phase: min–max (mean)", "Blood pressure readings (13)", "Notes (3)"] {
            #expect(html.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
        #expect(html.contains("<h2>Alarms ("))
        #expect(html.contains("<dt>Lowest SpO2</dt><dd>84 %</dd>"))
        #expect(html.contains("<g class=\"chart-alarm high\"") || html.contains("<g class=\"chart-alarm medium\""))
        #expect(review.alarms.contains { $0.record.condition == "systolic_high" && $0.record.acknowledgedBy == .nurse })
        #expect(html.contains("<title>No valid SpO2 for 1 min 31 s from +69:59</title>"))
        #expect(html.utf8.count < 200_000)

        if let path = ProcessInfo.processInfo.environment["VIGIL_REVIEW_SAMPLE"] {
            try Self.standalone(html).write(toFile: path, atomically: true, encoding: .utf8)
            try SessionListTests.fourSessions(in: db.store)
            let sessions = try db.store.sessions()
            let list = SessionListPage.render(sessions, filter: try SessionFilter(from: "2026-01-01", to: nil), viewer: provider,
                                              alarmCounts: SessionListPage.alarmCounts(for: sessions, from: db.store))
            try Self.standalone(list).write(toFile: path.replacingOccurrences(of: ".html", with: "-list.html"), atomically: true, encoding: .utf8)
        }
    }

    /// The page with its stylesheets inlined, to open from a file (`/assets/` is the server's).
    static func standalone(_ html: String) -> String {
        var out = html
        for (name, media) in [("vigil.css", ""), ("print.css", " media=\"print\""), ("review.css", "")] {
            let link = "<link rel=\"stylesheet\" href=\"/assets/\(name)\"\(media)>"
            let css = Assets.named(name).map { String(decoding: $0.data, as: UTF8.self) } ?? ""
            out = out.replacingOccurrences(of: link, with: media.isEmpty ? "<style>\n\(css)</style>" : "<style media=\"print\">\n\(css)</style>")
        }
        return out
    }
}
