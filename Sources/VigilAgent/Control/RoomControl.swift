import Foundation
import VigilAudio
import VigilCore

/// The one command layer of a running room: the control socket (`vigil music`, `vigil session`)
/// speaks it today and the web pages will. A request is one JSON object —
/// `{"command": "session.dose", "role": "doula"}`, `{"command": "music.volume", "value": 40}` —
/// and the reply one JSON object with `ok` and either `error` or what was asked for.
/// Every command that changes something is audited with its role.
public struct RoomControl<C: VigilClock>: Sendable {
    public let agent: RoomAgent<C>
    public let music: RoomMusic?

    public init(agent: RoomAgent<C>, music: RoomMusic?) {
        self.agent = agent
        self.music = music
    }

    public static var commands: [String] {
        ["session.start", "session.dose", "session.booster", "session.note", "session.end", "session.status",
         "music.play", "music.pause", "music.resume", "music.next", "music.previous", "music.stop", "music.volume",
         "music.fade", "music.status"]
    }

    public func handle(_ line: String) async -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
              let command = object["command"] as? String else {
            return reply(error: "expected one JSON object with a \"command\"")
        }
        guard Self.commands.contains(command) else {
            return reply(error: "unknown command \"\(command)\" (known: \(Self.commands.joined(separator: ", ")))")
        }
        let roleName = object["role"] as? String ?? "doula"
        guard let role = Role(rawValue: roleName), role != .system else {
            return reply(error: "role \"\(roleName)\" is not one of nurse, doula, provider, station")
        }
        if command.hasPrefix("session.") { return await session(String(command.dropFirst(8)), object, role) }
        return await musicCommand(String(command.dropFirst(6)), object, role)
    }

    private func session(_ verb: String, _ object: [String: Any], _ role: Role) async -> String {
        let command: RoomCommand
        switch verb {
        case "start": command = .startSession(by: role, patientReference: object["patient_reference"] as? String)
        case "dose": command = .markDose(by: role)
        case "booster": command = .markBooster(by: role)
        case "note":
            guard let text = object["text"] as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                return reply(error: "a note needs \"text\"")
            }
            command = .addNote(text, by: role)
        case "end": command = .endSession(by: role)
        default:
            return reply(["session": .string(await agent.sessionID), "phase": .string(await agent.phase.rawValue),
                          "since_dose_s": .number(await agent.sinceDose), "active_alarms": .int(await agent.activeAlarms.count)])
        }
        do {
            try await agent.perform(command, source: "control")
            return reply(["session": .string(await agent.sessionID), "phase": .string(await agent.phase.rawValue)])
        } catch {
            return reply(error: "\(error)")
        }
    }

    private func musicCommand(_ verb: String, _ object: [String: Any], _ role: Role) async -> String {
        guard let music else { return reply(error: "this room has no music (no sound device or no playlist)") }
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
                return reply(error: "volume needs a \"value\" from 0 to 100")
            }
            command = .volume(v)
        case "fade":
            guard let s = (object["value"] as? NSNumber)?.doubleValue, s > 0, s <= 600 else {
                return reply(error: "fade needs a \"value\" in seconds, more than 0 and at most 600")
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
