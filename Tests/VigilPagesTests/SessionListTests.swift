import Foundation
import Testing
import VigilCore
import VigilStore
@testable import VigilPages

@Suite("The list of sessions and its date filter")
struct SessionListTests {
    /// 2026-12-01 00:00:00 UTC.
    static let december1 = 1_796_083_200.0

    /// Four sessions around two days, straight into the store as the agent writes their rows.
    static func fourSessions(in store: Store) throws {
        let day = 86_400.0, d1 = december1
        let rows: [(String, Double, Double?)] = [
            ("S-late-on-the-1st", d1 + day - 1, d1 + day + 7_200),
            ("S-midnight-2nd", d1 + day, d1 + day + 7_500),
            ("S-noon-3rd", d1 + 2 * day + 43_200, nil),
            ("S-4th", d1 + 3 * day, d1 + 3 * day + 3_600),
        ]
        for (id, start, end) in rows {
            try store.insert(SessionRecord(id: id, site: "north", room: "room-2", patientReference: "ref-\(id.count)",
                                           startedAt: start, startedBy: "doula", doseAt: start + 300,
                                           endedAt: end, endedBy: end == nil ? nil : "nurse"))
        }
    }

    @Test("The date filter keeps only the sessions started on those days, both days included, newest first")
    func filterKeepsThoseDays() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try Self.fourSessions(in: db.store)
        let filter = try SessionFilter(from: "2026-12-02", to: "2026-12-03")
        #expect(filter.apply(try db.store.sessions()).map(\.id) == ["S-noon-3rd", "S-midnight-2nd"])
        #expect(try SessionFilter(from: "2026-12-04", to: nil).apply(try db.store.sessions()).map(\.id) == ["S-4th"])
        #expect(try SessionFilter(from: nil, to: "2026-12-01").apply(try db.store.sessions()).map(\.id) == ["S-late-on-the-1st"])
        #expect(try SessionFilter(from: "", to: "").apply(try db.store.sessions()).count == 4)
    }

    @Test("A bad date is refused with a message naming the field and what is wrong", arguments: [
        ("2026-13-01", "is not a day of the calendar"), ("2026-02-30", "is not a day of the calendar"),
        ("01/12/2026", "write it as YYYY-MM-DD"), ("2026-1-5", "write it as YYYY-MM-DD"),
        ("yesterday", "write it as YYYY-MM-DD"), ("2026-12-01T00:00", "write it as YYYY-MM-DD"),
    ])
    func badDateRefused(text: String, reason: String) throws {
        let error = try #require(throws: SessionFilterError.self) { try SessionFilter(from: text, to: nil) }
        #expect(error.description.hasPrefix("from: \"\(text)\" "))
        #expect(error.description.contains(reason))
        let late = try #require(throws: SessionFilterError.self) { try SessionFilter(from: "2026-12-01", to: text) }
        #expect(late.field == "to")
    }

    @Test("A first day after the last is refused")
    func backwardsRangeRefused() throws {
        let error = try #require(throws: SessionFilterError.self) { try SessionFilter(from: "2026-12-05", to: "2026-12-01") }
        #expect(error.description == "from: \"2026-12-05\" is after \"to\" (2026-12-01); the first day must come first")
    }

    @Test("Each row gives the start, the room, the duration or running, the patient reference and the alarms, and opens the session")
    func rowsOfTheList() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try Self.fourSessions(in: db.store)
        let filter = try SessionFilter(from: "2026-12-02", to: "2026-12-03")
        let html = SessionListPage.render(try db.store.sessions(), filter: filter, viewer: provider,
                                          alarmCounts: ["S-midnight-2nd": [.high: 1, .medium: 2]])
        #expect(html.contains("<input type=\"date\" name=\"from\" value=\"2026-12-02\">"))
        #expect(html.contains("<input type=\"date\" name=\"to\" value=\"2026-12-03\">"))
        #expect(html.contains("<form class=\"date-filter\" method=\"get\" action=\"/sessions\">"))
        #expect(html.contains("2 sessions started from 2026-12-02 to 2026-12-03"))
        #expect(!html.contains("S-late-on-the-1st") && !html.contains("S-4th"))
        #expect(html.contains("<td data-label=\"Started\"><a href=\"/sessions/S-midnight-2nd\">2026-12-02 00:00:00</a></td>"
                              + "<td data-label=\"Room\">room-2</td><td data-label=\"Duration\">2 h 05 min</td>"))
        #expect(html.contains("<span class=\"count-high\">1 high</span> · <span class=\"count-medium\">2 medium</span>"))
        #expect(html.contains("<td data-label=\"Duration\"><span class=\"running\">running</span></td>"))
        let newest = try #require(html.range(of: "S-noon-3rd")), older = try #require(html.range(of: "S-midnight-2nd"))
        #expect(newest.lowerBound < older.lowerBound)
    }

    @Test("Alarm counts come from the summaries the store keeps; a session without one shows none known")
    func alarmCountsFromSummaries() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,72
            120,dose,doula
            900,spo2,84
            1100,ack,nurse:spo2_low
            1110,spo2,97
            1800,session.end,doula
            """, id: "S-desaturation")
        try db.store.insert(SessionRecord(id: "S-running", site: "north", room: "room-2", patientReference: nil,
                                          startedAt: Self.december1, startedBy: "doula"))
        let sessions = try db.store.sessions()
        let counts = SessionListPage.alarmCounts(for: sessions, from: db.store)
        #expect(counts["S-desaturation"]?[.high] == 1)
        #expect(counts["S-running"] == nil)
        let html = SessionListPage.render(sessions, filter: try SessionFilter(from: nil, to: nil), viewer: provider, alarmCounts: counts)
        #expect(html.contains("<span class=\"count-high\">1 high</span>"))
        #expect(html.contains("<td data-label=\"Patient\"><span class=\"dim\">none</span></td><td data-label=\"Alarms\"><span class=\"dim\">–</span></td>"))
    }

    @Test("No session on the chosen days says so")
    func emptyDays() throws {
        let html = SessionListPage.render([], filter: try SessionFilter(from: "2026-12-02", to: "2026-12-02"), viewer: provider)
        #expect(html.contains("0 sessions started on 2026-12-02"))
        #expect(html.contains("No session started on these days."))
        #expect(!html.contains("<table"))
    }
}
