import Foundation

/// A staff command as JSON, checked before anything changes: the one parser behind the station's
/// MQTT commands (`…/cmd/<verb>`) and the agent's control socket (`vigil session`, the web pages).
///
/// The object: `{"request": "r-17", "role": "nurse", "alarm": "…"}`. `request` (optional) is
/// echoed back so the sender can match the answer; `role` defaults to the channel's own
/// (`station` on MQTT, `doula` on the control socket). Verbs: `ack` and `pause` (an `alarm` id
/// is required: one click never silences a whole room), `start` (optional
/// `patient_reference`, which the session checks is an opaque code), `dose`, `booster`, `note`
/// (`text`), `stop` (ends the session). `expires_at` (optional, ISO 8601): a command that arrives
/// later is refused, since its sender has already told its user it was not done.
public struct StaffCommand: Sendable, Hashable {
    public var verb: String
    public var request: String?
    public var command: RoomCommand
    /// When the sender stops waiting for the answer; `nil` for a command that does not expire.
    public var expiresAt: Date?

    public static let verbs = ["ack", "pause", "start", "dose", "booster", "note", "stop"]

    /// Why a command was refused, in words the sender can show.
    public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
        public var request: String?
        public var reason: String
        public var description: String { reason }
    }

    /// Parses a payload that must be one JSON object.
    public static func parse(verb: String, payload: [UInt8], defaultRole: Role) throws(Rejection) -> StaffCommand {
        guard verbs.contains(verb) else { throw unknown(verb) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] else {
            throw Rejection(reason: "the payload is not a JSON object")
        }
        return try parse(verb: verb, object: object, defaultRole: defaultRole)
    }

    /// Parses an object already read; `ignoring` names fields the channel itself uses.
    public static func parse(verb: String, object: [String: Any], defaultRole: Role,
                             ignoring channelFields: Set<String> = []) throws(Rejection) -> StaffCommand {
        guard verbs.contains(verb) else { throw unknown(verb) }
        let request = object["request"] as? String
        func fail(_ reason: String) -> Rejection { Rejection(request: request, reason: reason) }
        let known = Set(["request", "role", "alarm", "patient_reference", "text", "expires_at"]).union(channelFields)
        if let unknown = object.keys.filter({ !known.contains($0) }).sorted().first {
            throw fail("unknown field \"\(unknown)\"")
        }
        func text(_ key: String) throws(Rejection) -> String? {
            guard let value = object[key] else { return nil }
            guard let s = value as? String, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw fail("\(key) must be a non-empty string")
            }
            // A NUL or other control character would not reach the record whole (SQLite's text ends at a NUL).
            if s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
                throw fail("\(key) may not contain control characters")
            }
            return s
        }
        let role = try Self.role(in: object, default: defaultRole)
        var expiresAt: Date?
        if let value = object["expires_at"] {
            guard let text = value as? String, let date = JSONLine.date(from: text) else {
                throw fail("expires_at must be a time in ISO 8601 (2026-12-01T10:00:05Z)")
            }
            expiresAt = date
        }
        let command: RoomCommand
        switch verb {
        case "ack", "pause":
            guard let alarm = try text("alarm") else { throw fail("\(verb) needs the alarm's id in \"alarm\"") }
            command = verb == "ack" ? .acknowledge(by: role, alarm: alarm) : .pauseAudio(by: role, alarm: alarm)
        case "start": command = .startSession(by: role, patientReference: try text("patient_reference"))
        case "dose": command = .markDose(by: role)
        case "booster": command = .markBooster(by: role)
        case "note":
            guard let note = try text("text") else { throw fail("note needs \"text\"") }
            command = .addNote(note, by: role)
        default: command = .endSession(by: role)
        }
        return StaffCommand(verb: verb, request: request, command: command, expiresAt: expiresAt)
    }

    /// The `role` a request names, or the channel's default; `system` is the agent's own.
    public static func role(in object: [String: Any], default defaultRole: Role) throws(Rejection) -> Role {
        guard let value = object["role"] else { return defaultRole }
        guard let name = value as? String, let role = Role(rawValue: name), role != .system else {
            throw Rejection(request: object["request"] as? String,
                            reason: "role \"\(value)\" is not one of nurse, doula, provider, station")
        }
        return role
    }

    static func unknown(_ verb: String) -> Rejection {
        Rejection(reason: "unknown command \"\(verb)\" (known: \(verbs.joined(separator: ", ")))")
    }
}
