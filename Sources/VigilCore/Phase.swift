/// Where a session stands relative to the dose; limits and the BP schedule depend on it.
public enum Phase: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Before the dose: pre-dose vitals decide whether to dose.
    case baseline
    /// Dose to about +15 min: effects begin.
    case onset
    /// About +15 to +55 min: dissociation and the BP rise peak (around +40 min).
    case peak
    /// About +55 to +120 min: effects fade.
    case recovery
    /// After +120 min: checking readiness to leave.
    case discharge

    public static func < (lhs: Phase, rhs: Phase) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Onset, peak and recovery: the phases in which a lost signal can hide a desaturation.
    public var isPostDoseWatch: Bool { self == .onset || self == .peak || self == .recovery }
}
