import Foundation
import VigilCore

/// Reads what rooms publish (`RoomPayloads`) back into ``RoomMessage``s for the station. A
/// payload that is not JSON, is of a newer schema, names another room than its topic, or comes
/// on a topic no room publishes is refused with the reason, never guessed at.
public struct RoomMessageReader: Sendable {
    /// The site the station follows, or `nil` for every site (a group broker's station).
    public let site: String?

    public init(site: String?) { self.site = site }

    /// Why a message was not taken.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var topic: String
        public var reason: String
        public var description: String { "\(topic): \(reason)" }
    }

    /// The subscription that hears every room of the site (or of every site).
    public var filter: String { "vigil/\(site ?? "+")/+/#" }

    public func read(topic: String, payload: [UInt8]) throws(Refusal) -> RoomMessage {
        func refuse(_ reason: String) -> Refusal { Refusal(topic: topic, reason: reason) }
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4, parts[0] == "vigil", !parts[1].isEmpty, !parts[2].isEmpty else { throw refuse("not a room's topic") }
        guard site == nil || parts[1] == site else { throw refuse("a room of another site") }
        guard Self.isPlainName(parts[1]), Self.isPlainName(parts[2]) else {
            throw refuse("a site or room is a plain word (letters, digits, - and _, at most 64)")
        }
        let key = RoomKey(site: parts[1], room: parts[2])
        let path = Array(parts.dropFirst(3))
        guard let kind = Topic(path) else { throw refuse("no room publishes on this topic") }
        func json() throws(Refusal) -> [String: Any] { try object(payload, for: key, refuse) }
        let report: RoomReport
        switch kind {
        case .status:
            switch String(decoding: payload, as: UTF8.self) {
            case "online": report = .status(online: true)
            case "offline": report = .status(online: false)
            default: throw refuse("a status is online or offline")
            }
        case .command: report = .command
        case .vital(let name): report = .vital(try vital(try json(), name, refuse))
        case .session: report = .session(try session(try json(), refuse))
        case .activeAlarms: report = .activeAlarms(try activeAlarms(try json(), refuse))
        case .alarms: report = try alarmEvent(try json(), key, payload, refuse)
        case .summary: report = .summary(try summary(try json(), key, payload, refuse))
        case .result(let verb):
            let o = try json()
            guard o["command"] as? String == verb else { throw refuse("a result names its command") }
            report = .commandResult(CommandResult(request: o["request"] as? String, command: verb, error: o["error"] as? String))
        }
        return RoomMessage(room: key, report: report)
    }

    /// What lies below `vigil/<site>/<room>/`: the one table of the topics a room publishes on.
    enum Topic {
        case status, session, alarms, activeAlarms, summary
        case vital(String)
        /// The station's own command, heard back.
        case command
        case result(String)

        init?(_ path: [String]) {
            switch (path.count, path.first) {
            case (1, "status"): self = .status
            case (1, "session"): self = .session
            case (1, "alarms"): self = .alarms
            case (1, "summary"): self = .summary
            case (2, "alarms") where path[1] == "active": self = .activeAlarms
            case (2, "vitals"): self = .vital(path[1])
            case (2, "cmd"): self = .command
            case (3, "cmd") where path[2] == "result": self = .result(path[1])
            default: return nil
            }
        }
    }

    /// The payload as a JSON object of a schema this station reads, from the room of its topic.
    private func object(_ payload: [UInt8], for key: RoomKey, _ refuse: (String) -> Refusal) throws(Refusal) -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] else {
            throw refuse("the payload is not a JSON object")
        }
        guard let schema = object["schema"] as? Int else { throw refuse("the payload has no schema") }
        guard schema <= RoomPayloads.schemaVersion else {
            throw refuse("schema \(schema) is newer than this station reads (\(RoomPayloads.schemaVersion)): update the station")
        }
        guard object["site"] as? String == key.site, object["room"] as? String == key.room else {
            throw refuse("the payload names another room than its topic")
        }
        return object
    }

    private func vital(_ o: [String: Any], _ name: String, _ refuse: (String) -> Refusal) throws(Refusal) -> RoomTile.Vital {
        guard let vital = Vital(rawValue: name) else { throw refuse("not a vital this station knows") }
        guard o["vital"] as? String == name else { throw refuse("the payload names another vital than its topic") }
        guard let value = Self.number(o["value"]), value.isFinite, let time = Self.date(o["time"]) else {
            throw refuse("a reading needs a finite value and its time")
        }
        // What no patient shows (the engine's own range): a room's agent never publishes it.
        guard vital.plausibleRange.contains(value) else { throw refuse("\(name) \(value) is outside the plausible range") }
        return RoomTile.Vital(vital: name, value: value, time: time, quality: o["quality"] as? String ?? "valid")
    }

    private func session(_ o: [String: Any], _ refuse: (String) -> Refusal) throws(Refusal) -> RoomTile.Session {
        guard let state = o["state"] as? String, ["idle", "running", "ended"].contains(state),
              let phase = o["phase"] as? String, Phase(rawValue: phase) != nil, let time = Self.date(o["time"]) else {
            throw refuse("a session needs its state, phase and time")
        }
        return RoomTile.Session(id: o["session"] as? String, state: state, phase: phase, time: time,
                                startedAt: Self.date(o["started_at"]), doseAt: Self.date(o["dose_at"]),
                                sinceDose: Self.number(o["since_dose_s"]))
    }

    private func activeAlarms(_ o: [String: Any], _ refuse: (String) -> Refusal) throws(Refusal) -> [RoomTile.Alarm] {
        guard let items = o["alarms"] as? [[String: Any]] else { throw refuse("the active list needs its alarms") }
        var out: [RoomTile.Alarm] = []
        for a in items {
            guard let id = a["id"] as? String, let condition = a["condition"] as? String, let kind = a["kind"] as? String,
                  let priority = (a["priority"] as? String).flatMap(AlarmPriority.init), let raised = Self.date(a["raised_at"]) else {
                throw refuse("an active alarm needs its id, kind, condition, priority and time")
            }
            out.append(RoomTile.Alarm(id: id, kind: kind, condition: condition, vital: a["vital"] as? String, priority: priority, value: Self.number(a["value"]),
                                      limit: Self.number(a["limit"]), raisedAt: raised, acknowledgedBy: a["acknowledged_by"] as? String,
                                      audioPaused: a["audio_paused"] as? Bool ?? false, escalatedAt: Self.date(a["escalated_at"])))
        }
        return out
    }

    private func alarmEvent(_ o: [String: Any], _ key: RoomKey, _ payload: [UInt8],
                            _ refuse: (String) -> Refusal) throws(Refusal) -> RoomReport {
        guard let eventID = o["event_id"] as? String, !eventID.isEmpty, let alarm = o["id"] as? String,
              let state = (o["state"] as? String).flatMap(AlarmState.init), let time = Self.date(o["time"]) else {
            throw refuse("an alarm event needs its event_id, id, state and time")
        }
        let event = ArchivedEvent(kind: .alarm, room: key, eventID: eventID, session: o["session"] as? String, time: time,
                                  payload: String(decoding: payload, as: UTF8.self))
        return .alarmEvent(event, state: state, alarm: alarm)
    }

    private func summary(_ o: [String: Any], _ key: RoomKey, _ payload: [UInt8],
                         _ refuse: (String) -> Refusal) throws(Refusal) -> ArchivedEvent {
        guard let eventID = o["event_id"] as? String, let session = o["session"] as? String, !session.isEmpty,
              let summary = o["summary"] as? [String: Any], let ended = Self.date(summary["ended_at"]) else {
            throw refuse("a summary needs its event_id, session and the summary with its end")
        }
        return ArchivedEvent(kind: .summary, room: key, eventID: eventID, session: session, time: ended,
                             payload: String(decoding: payload, as: UTF8.self))
    }

    /// A site's or room's name as the rooms' configs allow it.
    static func isPlainName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }

    static func number(_ value: Any?) -> Double? {
        guard let n = value as? NSNumber, !(value is Bool) else { return nil }
        return n.doubleValue
    }

    static func date(_ value: Any?) -> Date? {
        (value as? String).flatMap(JSONLine.date(from:))
    }
}
