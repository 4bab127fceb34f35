import Foundation
import Hummingbird
import VigilAgent
import VigilCore

/// `POST /api/session/{verb}`, `/api/alarms/{id}/{ack|pause}`, `/api/music/{verb}`: each turned
/// into one ``RoomControl`` request with the login's role — never a role the body names — and
/// answered with the command layer's reply, its refusal mapped to a status.
extension WebServer {
    static var sessionVerbs: [String] { ["start", "dose", "booster", "note", "end"] }
    static var musicVerbs: [String] { ["play", "pause", "resume", "next", "previous", "stop", "volume", "fade"] }

    func addCommandRoutes(to router: Router<WebContext>) {
        router.post("/api/session/:verb") { request, context in
            let verb = try context.parameters.require("verb")
            return try await self.command("session.\(verb)", request, context, action: .runSession,
                                          known: Self.sessionVerbs.contains(verb) ? nil
                                              : "no session command \"\(verb)\" (known: \(Self.sessionVerbs.joined(separator: ", ")))")
        }
        router.post("/api/alarms/:id/:verb") { request, context in
            let verb = try context.parameters.require("verb"), raw = try context.parameters.require("id")
            let id = raw.removingPercentEncoding ?? raw
            return try await self.command("session.\(verb)", request, context, action: .respondToAlarm, fields: ["alarm": id],
                                          known: verb == "ack" || verb == "pause" ? nil : "an alarm takes ack or pause")
        }
        router.post("/api/music/:verb") { request, context in
            let verb = try context.parameters.require("verb")
            return try await self.command("music.\(verb)", request, context, action: .music,
                                          known: Self.musicVerbs.contains(verb) ? nil
                                              : "no music command \"\(verb)\" (known: \(Self.musicVerbs.joined(separator: ", ")))")
        }
    }

    /// Checks the login, reads the body (empty, or one JSON object of the command's fields) and
    /// hands the request to the room. `known` is why the address names no command, if it does not.
    func command(_ name: String, _ request: Request, _ context: WebContext, action: StaffAction,
                 fields: [String: Any] = [:], known unknownReason: String? = nil) async throws -> Response {
        let staff = try await require(context, request, action, name, changes: true)
        var object: [String: Any]
        do {
            if let unknownReason { throw WebRefusal(.notFound, unknownReason) }
            try Self.requireJSON(request)
            object = try await Self.bodyObject(request, context)
        } catch let refusal as WebRefusal {
            await agent.auditRefusal(name, by: staff.role.rawValue, reason: refusal.reason, source: "web")
            throw refusal
        }
        for key in ["role", "command", "alarm"] where object[key] != nil {
            let reason = key == "role" ? "the role comes from your login, not the request" : "\"\(key)\" is given by the address"
            await agent.auditRefusal(name, by: staff.role.rawValue, reason: reason, source: "web")
            throw WebRefusal(.badRequest, reason)
        }
        object.merge(fields) { _, new in new }
        object["command"] = name
        object["role"] = staff.role.rawValue
        let reply = await control.perform(object)
        if reply.isOK { hub.markChanged() }  // the music's state is not an agent event
        return WebReply.reply(reply)
    }
}
