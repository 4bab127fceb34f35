/// Who did something: every command and every acknowledgement is stamped with a role.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    case nurse, doula, provider, station
    /// The agent itself, e.g. an automatic BP measurement on schedule.
    case system
}
