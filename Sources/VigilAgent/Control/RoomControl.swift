import Foundation
import VigilAudio
import VigilCore

/// The one command layer of a running room: the control socket (`vigil music`, `vigil session`)
/// speaks it today and the web pages will. A request is one JSON object —
/// `{"command": "session.dose", "role": "doula"}`, `{"command": "music.volume", "value": 40}` —
/// and the reply one JSON object with `ok` and either `error` or what was asked for.
/// Every command that changes something is audited with its role, and so is every refused
/// `session.*` or `music.*` command (action `refused`, detail `command: reason`).
public struct RoomControl<C: VigilClock>: Sendable {
    public let agent: RoomAgent<C>
    public let music: RoomMusic?

    public init(agent: RoomAgent<C>, music: RoomMusic?) {
        self.agent = agent
        self.music = music
    }

    /// `session.<verb>` takes every staff command (`end` is `stop`), and `session.status`.
    public static var commands: [String] {
        (StaffCommand.verbs + ["end", "status"]).map { "session.\($0)" }
            + ["play", "pause", "resume", "next", "previous", "stop", "volume", "fade", "status"].map { "music.\($0)" }
    }

    public func handle(_ line: String) async -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
              let command = object["command"] as? String else {
            return reply(error: "expected one JSON object with a \"command\"")
        }
        guard Self.commands.contains(command) else {
            return reply(error: "unknown command \"\(command)\" (known: \(Self.commands.joined(separator: ", ")))")
        }
        if command.hasPrefix("session.") { return await session(String(command.dropFirst(8)), object) }
        do {
            return await musicCommand(String(command.dropFirst(6)), object, try StaffCommand.role(in: object, default: .doula))
        } catch {
            return await refuse(command, object, error.reason)
        }
    }

    /// Audits a refusal through the agent's one helper and answers it. `role`: who asked, when
    /// known; otherwise the role the request names, or the channel's default (doula).
    private func refuse(_ command: String, _ object: [String: Any], role: Role? = nil, _ reason: String) async -> String {
        let who = role ?? (try? StaffCommand.role(in: object, default: .doula)) ?? .doula
        await agent.auditRefusal(command, role: who, reason: reason, source: "control")
        return reply(error: reason)
    }

    private func session(_ verb: String, _ object: [String: Any]) async -> String {
        if verb == "status" {
            let alarms = await agent.activeAlarms
            return reply(["session": .string(await agent.sessionID), "phase": .string(await agent.phase.rawValue),
                          "since_dose_s": .number(await agent.sinceDose), "active_alarms": .int(alarms.count),
                          "alarms": .raw("[" + alarms.map(Self.describe).joined(separator: ",") + "]")])
        }
        let staff: StaffCommand
        do {
            staff = try StaffCommand.parse(verb: verb == "end" ? "stop" : verb, object: object, defaultRole: .doula,
                                           ignoring: ["command"])
        } catch {
            return await refuse("session.\(verb)", object, error.reason)
        }
        do {
            try await agent.perform(staff.command, source: "control")
        } catch {
            return await refuse("session.\(verb)", object, role: staff.command.role, "\(error)")
        }
        return reply(["session": .string(await agent.sessionID), "phase": .string(await agent.phase.rawValue)])
    }

    private func musicCommand(_ verb: String, _ object: [String: Any], _ role: Role) async -> String {
        if verb != "status", !role.may(.music) {
            return await refuse("music.\(verb)", object, role: role, "\(PermissionDenied(role: role, action: .music))")
        }
        guard let music else {
            let reason = "this room has no music (no sound device or no playlist)"
            return verb == "status" ? reply(error: reason) : await refuse("music.\(verb)", object, role: role, reason)
        }
        let command: MusicCommand
        switch verb {
        case "play": command = .play
        case "pause": command = .pause
        case "resume": command = .resume
        case "next": command = .next
        case "previous": command = .previous
        case "stop": command = .stop
        case "volume":
            guard let v = (object["value"] as? NSNumber)?.intValue, (0...100).contains(v) else {
                return await refuse("music.volume", object, role: role, "volume needs a \"value\" from 0 to 100")
            }
            command = .volume(v)
        case "fade":
            guard let s = (object["value"] as? NSNumber)?.doubleValue, s > 0, s <= 600 else {
                return await refuse("music.fade", object, role: role, "fade needs a \"value\" in seconds, more than 0 and at most 600")
            }
            command = .fadeOut(seconds: s)
        default:
            let s = music.player.status
            return reply(["state": .string(s.state.rawValue), "track": .string(s.track.map { ($0 as NSString).lastPathComponent }),
                          "section": .string(s.section?.rawValue), "volume": .int(s.volume), "notice": .string(s.notice)])
        }
        music.player.send(command)
        await agent.audit(action: "music.\(verb)", role: role, detail: object["value"].map { "\($0)" }, source: "control")
        return reply([:])
    }

    /// One active alarm as `session.status` lists it: what a nurse needs to name it in `ack`.
    private static func describe(_ alarm: Alarm) -> String {
        var j = JSONLine()
        j.add("id", alarm.id)
        j.add("priority", alarm.priority.rawValue)
        j.add("condition", alarm.condition)
        j.add("value", alarm.value)
        j.add("acknowledged_by", alarm.acknowledgedBy?.rawValue)
        j.add("condition_present", .bool(alarm.isConditionPresent))
        return j.description
    }

    private func reply(_ fields: [String: JSONLine.Value]) -> String {
        var j = JSONLine()
        j.add("ok", .bool(true))
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) { j.add(key, value) }
        return j.description
    }

    private func reply(error: String) -> String {
        var j = JSONLine()
        j.add("ok", .bool(false))
        j.add("error", error)
        return j.description
    }
}
