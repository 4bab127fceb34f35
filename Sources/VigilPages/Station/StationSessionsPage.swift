import Foundation
import VigilCore

/// The station's review: every room's sessions in one list, and one session's report as its
/// room published it, with the alarm events the station kept.
public enum StationSessionsPage {
    /// One session in the list.
    public struct Row: Sendable {
        public var room: String
        public var path: String
        public var session: String
        public var startedAt: Date
        public var endedAt: Date?
        public var alarms: String

        public init(room: String, path: String, session: String, startedAt: Date, endedAt: Date?, alarms: String) {
            self.room = room
            self.path = path
            self.session = session
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.alarms = alarms
        }
    }

    public static func render(_ rows: [Row], viewer: Viewer) -> String {
        var body = "<h1>Sessions in every room</h1>"
        if rows.isEmpty {
            body += "<p class=\"none\">No room has reported a session to this station yet.</p>"
        } else {
            body += "<div class=\"table-wrap\"><table class=\"sessions\"><thead><tr><th>Room</th><th>Session</th><th>Started (UTC)</th><th>Length</th><th>Alarms</th></tr></thead><tbody>"
            for r in rows {
                let length = r.endedAt.map { ended -> String in
                    let seconds = Int(ended.timeIntervalSince(r.startedAt))
                    return seconds < 60 ? "\(seconds) s" : "\(seconds / 60) min"
                } ?? "running"
                body += "<tr><td data-label=\"Room\">\(HTML.escape(r.room))</td>"
                    + "<td data-label=\"Session\"><a href=\"\(HTML.escape(r.path))\">\(HTML.escape(r.session))</a></td>"
                    + "<td data-label=\"Started\">\(HTML.escape(HTML.time(r.startedAt)))</td><td data-label=\"Length\">\(length)</td>"
                    + "<td data-label=\"Alarms\">\(HTML.escape(r.alarms))</td></tr>"
            }
            body += "</tbody></table></div>"
        }
        return Layout.page(title: "Sessions", viewer: viewer, current: "/sessions", styles: ["review.css", "station.css"], content: body)
    }

    public static func report(room: String, session: String, report: String?, alarmEvents: [String], viewer: Viewer) -> String {
        var body = "<p><a href=\"/sessions\">← Sessions</a></p><h1>\(HTML.escape(room)) · \(HTML.escape(session))</h1>"
        body += report.map { "<section class=\"panel\"><h2>The room's report</h2><pre class=\"report\">\(HTML.escape($0))</pre></section>" }
            ?? "<p class=\"banner info show\">The session has not ended, or its summary has not reached the station yet.</p>"
        body += "<section class=\"panel\"><h2>Alarm events kept by the station (\(alarmEvents.count))</h2>"
        body += alarmEvents.isEmpty ? "<p class=\"none\">None.</p>"
            : "<pre class=\"report\">\(HTML.escape(alarmEvents.joined(separator: "\n")))</pre>"
        body += "</section>"
        return Layout.page(title: "\(room) \(session)", viewer: viewer, current: "/sessions", styles: ["review.css", "station.css"], content: body)
    }
}
