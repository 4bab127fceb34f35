import Foundation
import VigilCore
import VigilStore

/// `/sessions`: the room's sessions, newest first, with a date filter. Each row gives the start,
/// the room, how long it lasted (or that it is still running), the patient's opaque reference and
/// the alarms by priority, and opens the session's page.
public enum SessionListPage {
    /// `sessions` as the store lists them (`filter` is applied here); `alarmCounts` by session id
    /// (`alarmCounts(for:from:)`), left out when not wanted; `problem` a filter the server refused,
    /// shown above the list.
    public static func render(_ sessions: [SessionRecord], filter: SessionFilter, viewer: Viewer,
                              alarmCounts: [String: [AlarmPriority: Int]] = [:], problem: String? = nil) -> String {
        let shown = filter.apply(sessions)
        var body = "<section class=\"review-list\">\n<h1>Sessions</h1>\n"
        body += form(filter)
        if let problem { body += "<p class=\"error-box\" role=\"alert\">\(HTML.escape(problem))</p>\n" }
        body += "<p class=\"count\">\(HTML.escape(caption(shown.count, filter)))</p>\n"
        if shown.isEmpty {
            body += "<p class=\"empty\">No session started on these days.</p>\n"
        } else {
            body += "<div class=\"table-wrap\"><table class=\"sessions\">\n<thead><tr><th scope=\"col\">Started (UTC)</th>"
                + "<th scope=\"col\">Room</th><th scope=\"col\">Duration</th><th scope=\"col\">Patient reference</th>"
                + "<th scope=\"col\">Alarms</th></tr></thead>\n<tbody>\n"
            for session in shown { body += row(session, counts: alarmCounts[session.id]) }
            body += "</tbody></table></div>\n"
        }
        body += "</section>"
        return Layout.page(title: "Sessions", viewer: viewer, current: "/sessions", bodyClass: "review",
                           styles: ["review.css"], content: body)
    }

    /// The alarms of each session by priority, from the summaries the store keeps (a running
    /// session has none yet and is left out): one small read per session.
    public static func alarmCounts(for sessions: [SessionRecord], from store: Store) -> [String: [AlarmPriority: Int]] {
        var out: [String: [AlarmPriority: Int]] = [:]
        for session in sessions {
            guard let summary = try? store.summary(session: session.id) else { continue }
            var counts: [AlarmPriority: Int] = [:]
            for (key, n) in summary.alarmsByPriority { if let p = AlarmPriority(rawValue: key) { counts[p] = n } }
            out[session.id] = counts
        }
        return out
    }

    /// The page's link to a session (escape it for an attribute).
    static func link(_ id: String) -> String { "/sessions/" + pathSegment(id) }

    /// A session id as one segment of a path: percent-encoded, so that no id can reach another route.
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#;"))) ?? id
    }

    static func form(_ filter: SessionFilter) -> String {
        let from = filter.from.map(SessionFilter.format) ?? "", to = filter.to.map(SessionFilter.format) ?? ""
        return """
        <form class="date-filter" method="get" action="/sessions">
        <label>From <input type="date" name="from" value="\(HTML.escape(from))"></label>
        <label>To <input type="date" name="to" value="\(HTML.escape(to))"></label>
        <button type="submit">Show</button>
        \(filter.isOpen ? "" : "<a class=\"clear\" href=\"/sessions\">All days</a>")
        </form>

        """
    }

    static func caption(_ count: Int, _ filter: SessionFilter) -> String {
        let sessions = count == 1 ? "1 session" : "\(count) sessions"
        switch (filter.from.map(SessionFilter.format), filter.to.map(SessionFilter.format)) {
        case (nil, nil): return "\(sessions), newest first"
        case (let a?, nil): return "\(sessions) started on \(a) or later"
        case (nil, let b?): return "\(sessions) started on \(b) or earlier"
        case (let a?, let b?): return a == b ? "\(sessions) started on \(a)" : "\(sessions) started from \(a) to \(b)"
        }
    }

    static func row(_ s: SessionRecord, counts: [AlarmPriority: Int]?) -> String {
        let started = Date(timeIntervalSince1970: s.startedAt)
        let duration = s.endedAt.map { ReviewText.duration($0 - s.startedAt) }
        let href = HTML.escape(link(s.id))
        var out = "<tr><td data-label=\"Started\"><a href=\"\(href)\">\(HTML.escape(HTML.time(started)))</a></td>"
        out += "<td data-label=\"Room\">\(HTML.escape(s.room))</td>"
        out += "<td data-label=\"Duration\">" + (duration.map(HTML.escape) ?? "<span class=\"running\">running</span>") + "</td>"
        out += "<td data-label=\"Patient\">" + (s.patientReference.map { "<code>\(HTML.escape($0))</code>" } ?? "<span class=\"dim\">none</span>") + "</td>"
        out += "<td data-label=\"Alarms\">\(alarms(counts))</td></tr>\n"
        return out
    }

    /// `1 high · 2 medium` in the priorities' colours, `none`, or `–` when not known.
    static func alarms(_ counts: [AlarmPriority: Int]?) -> String {
        guard let counts else { return "<span class=\"dim\">–</span>" }
        let parts = AlarmPriority.allCases.reversed().compactMap { p -> String? in
            guard let n = counts[p], n > 0 else { return nil }
            return "<span class=\"count-\(p.rawValue)\">\(n) \(p.rawValue)</span>"
        }
        return parts.isEmpty ? "<span class=\"dim\">none</span>" : parts.joined(separator: " · ")
    }
}
