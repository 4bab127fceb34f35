import Foundation
import VigilCore

/// A command from the clinic's station on `…/cmd/<verb>`, checked before anything changes.
///
/// The payload is a JSON object: `{"request": "r-17", "role": "nurse", "alarm": "…"}`.
/// `request` (optional) is echoed in the result so the station can match it; `role` defaults to
/// `station`. Verbs: `ack` and `pause` (an `alarm` id is required: from a station, one click
/// never silences a whole room), `start` (optional `patient_reference`, an opaque code — never a
/// name), `dose`, `booster`, `note` (`text`), `stop` (ends the session).
public struct StationCommand: Sendable, Hashable {
    public var verb: String
    public var request: String?
    public var command: RoomCommand

    public static let verbs = ["ack", "pause", "start", "dose", "booster", "note", "stop"]

    /// Why a command was refused, in words the station can show.
    public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
        public var request: String?
        public var reason: String
        public var description: String { reason }
    }

    public static func parse(verb: String, payload: [UInt8]) throws(Rejection) -> StationCommand {
        guard verbs.contains(verb) else {
            throw Rejection(reason: "unknown command \"\(verb)\" (known: \(verbs.joined(separator: ", ")))")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] else {
            throw Rejection(reason: "the payload is not a JSON object")
        }
        let request = object["request"] as? String
        func fail(_ reason: String) -> Rejection { Rejection(request: request, reason: reason) }
        let known: Set<String> = ["request", "role", "alarm", "patient_reference", "text"]
        if let unknown = object.keys.filter({ !known.contains($0) }).sorted().first {
            throw fail("unknown field \"\(unknown)\"")
        }
        func text(_ key: String) throws(Rejection) -> String? {
            guard let value = object[key] else { return nil }
            guard let s = value as? String, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("\(key) must be a non-empty string")
            }
            return s
        }
        var role = Role.station
        if let name = try text("role") {
            guard let r = Role(rawValue: name), r != .system else {
                throw fail("role \"\(name)\" is not one of nurse, doula, provider, station")
            }
            role = r
        }
        let command: RoomCommand
        switch verb {
        case "ack", "pause":
            guard let alarm = try text("alarm") else { throw fail("\(verb) needs the alarm's id in \"alarm\"") }
            command = verb == "ack" ? .acknowledge(by: role, alarm: alarm) : .pauseAudio(by: role, alarm: alarm)
        case "start":
            let reference = try text("patient_reference")
            if let reference, !PatientReference.isOpaque(reference) {
                throw fail("patient_reference must be an opaque code (letters, digits, - or _, at most 32), never a name")
            }
            command = .startSession(by: role, patientReference: reference)
        case "dose": command = .markDose(by: role)
        case "booster": command = .markBooster(by: role)
        case "note":
            guard let note = try text("text") else { throw fail("note needs \"text\"") }
            command = .addNote(note, by: role)
        default: command = .endSession(by: role)
        }
        return StationCommand(verb: verb, request: request, command: command)
    }
}
