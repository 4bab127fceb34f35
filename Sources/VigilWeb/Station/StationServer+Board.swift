import Foundation
import Hummingbird
import NIOCore
import VigilAgent
import VigilCore
import VigilPages
import VigilStation

/// The board: the station page, `GET /api/rooms`, and a nurse's answer to one alarm of one room
/// (`POST /api/rooms/{site}/{room}/alarms/{id}/{ack|pause}`), never a whole room at once.
extension StationServer {
    func addBoardRoutes(to router: Router<WebContext>) {
        router.get("/") { request, context in
            try await self.page(request, context, .respondToAlarm) { StationView.render(viewer: $0) }
        }
        WebReply.addAssetRoute(to: router)
        // `/api/state` too: the live script asks it whether a closed socket means the login ended.
        for path in ["/api/rooms", "/api/state"] {
            router.get(RouterPath(path)) { request, context in
                _ = try await self.require(context, request, .respondToAlarm, "rooms")
                return WebReply.json(await self.station.snapshot().json)
            }
        }
        router.post("/api/rooms/:site/:room/alarms/:id/:verb") { request, context in
            let verb = try context.parameters.require("verb")
            let staff = try await self.require(context, request, .respondToAlarm, "station.\(verb)", changes: true)
            try Self.requireJSON(request)
            _ = try await Self.bodyObject(request, context)  // empty or one JSON object, at most 64 KiB
            guard verb == "ack" || verb == "pause" else { throw WebRefusal(.notFound, "an alarm takes ack or pause") }
            let room = try Self.room(context)
            let raw = try context.parameters.require("id")
            let id = raw.removingPercentEncoding ?? raw
            switch await self.station.respond(verb, alarm: id, in: room, by: staff.role) {
            case .done: return WebReply.json(#"{"ok":true}"#)
            case .refused(let reason): throw WebRefusal(.conflict, "\(room.room) refused: \(reason)")
            case .unknown(let reason): throw WebRefusal(.notFound, reason)
            case .noAnswer: throw WebRefusal(.gatewayTimeout, "\(room.room) did not answer within 5 s, and will not do it later: check the room itself")
            case .unreachable(let reason): throw WebRefusal(.serviceUnavailable, "\(reason): check the room itself")
            }
        }
        router.post("/api/rooms/:site/:room/station-alarm/ack") { request, context in
            let staff = try await self.require(context, request, .respondToAlarm, "station.ack", changes: true)
            try Self.requireJSON(request)
            _ = try await Self.bodyObject(request, context)
            let room = try Self.room(context)
            guard await self.station.acknowledgeStationAlarm(of: room, by: staff.role) else {
                throw WebRefusal(.notFound, "no station alarm to acknowledge for \(room)")
            }
            return WebReply.json(#"{"ok":true}"#)
        }
        router.get("/healthz") { _, _ in
            let board = await self.station.snapshot()
            let c = self.station.statistics
            var j = JSONLine()
            j.add("ok", .bool(board.brokerConnected))
            j.add("broker_connected", .bool(board.brokerConnected))
            j.add("rooms", board.tiles.count)
            j.add("messages", c.received)
            j.add("refused", c.refused)
            j.add("kept", c.kept)
            j.add("duplicates", c.duplicates)
            j.add("archive_failures", c.archiveFailures)
            j.add("archive_not_queued", c.notQueued)
            return WebReply.json(j.description, status: board.brokerConnected ? .ok : .serviceUnavailable)
        }
    }

    static func room(_ context: WebContext) throws -> RoomKey {
        let site = try context.parameters.require("site"), room = try context.parameters.require("room")
        guard VigilConfig.isValidName(site), VigilConfig.isValidName(room) else { throw WebRefusal(.badRequest, "no such room") }
        return RoomKey(site: site, room: room)
    }
}
