import Foundation
import Hummingbird
import VigilCore
import VigilPages
import VigilStation
import VigilStore

/// Sessions across rooms, from the station's archive: `/sessions` (the list), `/sessions/{site}/
/// {room}/{id}` (the room's own report of it), and `GET /api/sessions` for the same list as JSON.
extension StationServer {
    func addSessionRoutes(to router: Router<WebContext>) {
        // The login is checked before the archive is read (page() runs `render` only for a
        // role that may review): nobody learns from a 404 which sessions exist.
        router.get("/sessions") { request, context in
            try await self.page(request, context, .review) { viewer in
                let sessions = try await self.station.archive.sessions(since: try Self.since(request))
                return StationSessionsPage.render(sessions.map(Self.row), viewer: viewer)
            }
        }
        router.get("/sessions/:site/:room/:id") { request, context in
            try await self.page(request, context, .review) { viewer in
                let room = try Self.room(context)
                let id = try context.parameters.require("id")
                let events = try await self.station.archive.events(of: room, session: id)
                guard !events.isEmpty else { throw WebRefusal(.notFound, "the station has nothing of session \(id) in \(room)") }
                let report = events.last { $0.kind == .summary }.map { event in
                    (try? RoomSummary.decode(payload: event.payload)).map {
                        SessionReport.text(of: $0, session: id, site: room.site, room: room.room)
                    } ?? "The room's summary of this session could not be read by this station."
                }
                let alarms = events.filter { $0.kind == .alarm }.map(Self.alarmLine)
                return StationSessionsPage.report(room: "\(room)", session: id, report: report, alarmEvents: alarms, viewer: viewer)
            }
        }
        router.get("/api/sessions") { request, context in
            _ = try await self.require(context, request, .review, "sessions")
            let since = try Self.since(request)
            let rows = try await self.station.archive.sessions(since: since).map { s -> String in
                var j = JSONLine()
                j.add("site", s.room.site)
                j.add("room", s.room.room)
                j.add("session", s.session)
                j.add("started_at", JSONLine.timestamp(s.startedAt))
                j.add("ended_at", s.endedAt.map(JSONLine.timestamp))
                for p in AlarmPriority.allCases.reversed() { j.add("\(p.rawValue)_alarms", s.raised[p] ?? 0) }
                return j.description
            }
            return WebReply.json("[" + rows.joined(separator: ",") + "]")
        }
    }

    /// `?since=7d`, `24h` or a date; anything else is a 400, never every session silently.
    static func since(_ request: Request) throws -> Date? {
        guard let text = request.uri.queryParameters.get("since"), !text.isEmpty else { return nil }
        guard let date = SessionAge.start(String(text)) else {
            throw WebRefusal(.badRequest, "since=\(text): give 7d, 24h or a date such as 2026-11-01")
        }
        return date
    }

    static func row(_ s: ArchivedSession) -> StationSessionsPage.Row {
        StationSessionsPage.Row(room: "\(s.room)", path: "/sessions/\(s.room.site)/\(s.room.room)/\(s.session)", session: s.session,
                                startedAt: s.startedAt, endedAt: s.endedAt,
                                alarms: AlarmPriority.allCases.reversed().map { "\($0.rawValue) \(s.raised[$0] ?? 0)" }.joined(separator: ", "))
    }

    static func alarmLine(_ e: ArchivedEvent) -> String {
        let o = (try? JSONSerialization.jsonObject(with: Data(e.payload.utf8))) as? [String: Any] ?? [:]
        let words = [o["id"], o["state"], (o["priority"] as? String)?.uppercased(), o["condition"], o["by"].map { "by \($0)" }]
        return SessionReport.time(e.time) + "  " + words.compactMap { $0.map { "\($0)" } }.joined(separator: " ")
    }
}
