import Foundation
import VigilAudio
import VigilCore

/// The one command layer of a running room: the control socket (`vigil music`, `vigil session`)
/// and the web API speak it. A request is one JSON object —
/// `{"command": "session.dose", "role": "doula"}`, `{"command": "music.volume", "value": 40}` —
/// and the reply one JSON object with `ok` and either `error` or what was asked for.
/// Every command that changes something is audited with its role, and so is every refused
/// `session.*` or `music.*` command (action `refused`, detail `command: reason`).
public struct RoomControl<C: VigilClock>: Sendable {
    public let agent: RoomAgent<C>
    public let music: RoomMusic?
    /// Where commands come from, as the audit log records it (`control`, `web`).
    public let source: String

    public init(agent: RoomAgent<C>, music: RoomMusic?, source: String = "control") {
        self.agent = agent
        self.music = music
        self.source = source
    }

    /// `session.<verb>` takes every staff command (`end` is `stop`), and `session.status`.
    public static var commands: [String] {
        (StaffCommand.verbs + ["end", "status"]).map { "session.\($0)" }
            + ["play", "pause", "resume", "next", "previous", "stop", "volume", "fade", "status"].map { "music.\($0)" }
    }

    /// One request line in, one reply line out (the control socket).
    public func handle(_ line: String) async -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            return ControlReply.refused(.init("expected one JSON object with a \"command\"", kind: .malformed)).line
        }
        return await perform(object).line
    }

    /// One request, already read as a JSON object: `command`, `role` and the command's fields.
    public func perform(_ object: [String: Any]) async -> ControlReply {
        guard let command = object["command"] as? String else {
            return .refused(.init("expected one JSON object with a \"command\"", kind: .malformed))
        }
        guard Self.commands.contains(command) else {
            return .refused(.init("unknown command \"\(command)\" (known: \(Self.commands.joined(separator: ", ")))", kind: .malformed))
        }
        if command.hasPrefix("session.") { return await session(String(command.dropFirst(8)), object) }
        do {
            return await musicCommand(String(command.dropFirst(6)), object, try StaffCommand.role(in: object, default: .doula))
        } catch {
            return await refuse(command, object, .from(error))
        }
    }

    /// Audits a refusal through the agent's one helper and answers it. `role`: who asked, when
    /// known; otherwise the role the request names, or the channel's default (doula).
    private func refuse(_ command: String, _ object: [String: Any], role: Role? = nil,
                        _ refusal: ControlReply.Refusal) async -> ControlReply {
        let who = role ?? (try? StaffCommand.role(in: object, default: .doula)) ?? .doula
        await agent.auditRefusal(command, role: who, reason: refusal.reason, source: source)
        return .refused(refusal)
    }

    private func session(_ verb: String, _ object: [String: Any]) async -> ControlReply {
        if verb == "status" {
            let alarms = await agent.activeAlarms
            // Between sessions there is no phase and no dose to count from: the last session's
            // would read as a patient in onset.
            let session = await agent.sessionID, phase = await agent.phase, sinceDose = await agent.sinceDose
            return .ok(["session": .string(session), "phase": .string(session == nil ? nil : phase.rawValue),
                        "since_dose_s": .number(session == nil ? nil : sinceDose), "active_alarms": .int(alarms.count),
                        "alarms": .raw("[" + alarms.map(Self.describe).joined(separator: ",") + "]")])
        }
        let staff: StaffCommand
        do {
            staff = try StaffCommand.parse(verb: verb == "end" ? "stop" : verb, object: object, defaultRole: .doula,
                                           ignoring: ["command"])
        } catch {
            return await refuse("session.\(verb)", object, .from(error))
        }
        do {
            try await agent.perform(staff.command, source: source)
        } catch {
            return await refuse("session.\(verb)", object, role: staff.command.role, .from(error))
        }
        let session = await agent.sessionID, phase = await agent.phase
        return .ok(["session": .string(session), "phase": .string(session == nil ? nil : phase.rawValue)])
    }

    private func musicCommand(_ verb: String, _ object: [String: Any], _ role: Role) async -> ControlReply {
        func refuse(_ reason: String, _ kind: ControlReply.Refusal.Kind = .malformed) async -> ControlReply {
            await self.refuse("music.\(verb)", object, role: role, .init(reason, kind: kind))
        }
        if verb != "status", !role.may(.music) {
            return await refuse("\(PermissionDenied(role: role, action: .music))", .forbidden)
        }
        guard let music else {
            let reason = "this room has no music (no sound device or no playlist)"
            return verb == "status" ? .refused(.init(reason, kind: .unavailable)) : await refuse(reason, .unavailable)
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
            // JSON's true and false arrive as numbers too: a volume of `true` is not 1.
            guard !(object["value"] is Bool), let v = (object["value"] as? NSNumber)?.intValue, (0...100).contains(v) else {
                return await refuse("volume needs a \"value\" from 0 to 100")
            }
            command = .volume(v)
        case "fade":
            guard !(object["value"] is Bool), let s = (object["value"] as? NSNumber)?.doubleValue, s > 0, s <= 600 else {
                return await refuse("fade needs a \"value\" in seconds, more than 0 and at most 600")
            }
            command = .fadeOut(seconds: s)
        default:
            return .ok(music.player.status.fields)
        }
        music.player.send(command)
        await agent.audit(action: "music.\(verb)", role: role, detail: object["value"].map { "\($0)" }, source: source)
        return .ok()
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
}

extension MusicStatus {
    /// The player as `music.status` and the pages show it.
    public var fields: [String: JSONLine.Value] {
        ["state": .string(state.rawValue), "track": .string(track.map { ($0 as NSString).lastPathComponent }),
         "section": .string(section?.rawValue), "volume": .int(volume), "notice": .string(notice)]
    }
}
