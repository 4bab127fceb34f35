import VigilCore

/// The room's topics, as the architecture's topic table names them:
/// `vigil/<site>/<room>/status`, `…/vitals/<vital>`, `…/session`, `…/alarms`,
/// `…/alarms/active`, `…/summary`, `…/cmd/<verb>` and `…/cmd/<verb>/result`.
public struct RoomTopics: Sendable, Hashable {
    public let site: String
    public let room: String

    public init(site: String, room: String) {
        self.site = site
        self.room = room
    }

    public var base: String { "vigil/\(site)/\(room)" }
    /// Retained `online`; the will makes it a retained `offline` when the agent vanishes.
    public var status: String { "\(base)/status" }
    public func vitals(_ vital: Vital) -> String { "\(base)/vitals/\(vital.rawValue)" }
    public var session: String { "\(base)/session" }
    public var alarms: String { "\(base)/alarms" }
    public var activeAlarms: String { "\(base)/alarms/active" }
    public var summary: String { "\(base)/summary" }
    public func command(_ verb: String) -> String { "\(base)/cmd/\(verb)" }
    public func commandResult(_ verb: String) -> String { "\(base)/cmd/\(verb)/result" }
    /// Every command, and none of the results (`+` is one level).
    public var commands: String { "\(base)/cmd/+" }

    /// The verb of a command topic, or `nil` for any other topic.
    public func verb(of topic: String) -> String? {
        let prefix = "\(base)/cmd/"
        guard topic.hasPrefix(prefix) else { return nil }
        let verb = String(topic.dropFirst(prefix.count))
        return verb.isEmpty || verb.contains("/") ? nil : verb
    }
}
