/// IEC 60601-1-8 priorities: high = respond at once, medium = promptly, low = be aware.
public enum AlarmPriority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case low, medium, high

    public static func < (lhs: AlarmPriority, rhs: AlarmPriority) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
