/// Who did something: every command and every acknowledgement is stamped with a role.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    case nurse, doula, provider, station
    /// The agent itself, e.g. an automatic BP measurement on schedule.
    case system
}

/// What a person may ask of the room, in the clinic's words. The one table of who may do what
/// (`shared/ARCHITECTURE.md`): every interface — control socket, MQTT, web — asks ``Role/may(_:)``.
public enum StaffAction: String, Sendable, Hashable, CaseIterable {
    /// Acknowledge or pause one alarm; end a session over an unacknowledged high alarm.
    case respondToAlarm = "respond to alarms"
    /// Start, dose, booster, note, end.
    case runSession = "run the session"
    case music = "control the music"
    case review = "review sessions"
}

extension Role {
    /// Whether this role may take `action`: nurses respond to alarms and run sessions; doulas
    /// run the session and the music; providers review; the station acts as a nurse from the
    /// desk (no music); the agent itself (`system`) only runs what it schedules.
    public func may(_ action: StaffAction) -> Bool {
        switch (self, action) {
        case (.nurse, _): true
        case (.doula, .runSession), (.doula, .music): true
        case (.provider, .review): true
        case (.station, .respondToAlarm), (.station, .runSession), (.station, .review): true
        default: false
        }
    }
}

/// A role asked for what the clinic's table does not let it do.
public struct PermissionDenied: Error, Sendable, Equatable, CustomStringConvertible {
    public var role: Role
    public var action: StaffAction
    public init(role: Role, action: StaffAction) { self.role = role; self.action = action }
    public var description: String { "a \(role.rawValue) may not \(action.rawValue)" }
}
