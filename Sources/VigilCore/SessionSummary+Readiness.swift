import Foundation

extension SessionSummary {
    /// Discharge readiness as the provider reviews it: whether the patient was ready to leave
    /// when the session ended, why not in the clinic's words, and the first moment every
    /// criterion held (the REMS form asks when the patient would have been ready to leave).
    public struct Readiness: Sendable, Hashable, Codable {
        /// Every criterion held when the session ended.
        public var ready: Bool
        /// The first moment every criterion held, if ever; the same as `readyToLeaveAt`.
        public var readyAt: Date?
        /// Why the patient was not ready at the end, one sentence each; empty when ready.
        public var reasons: [String]
        /// The vitals judged against the fixed (recovery) limits, having no baseline.
        public var fixedLimits: [Vital]
        /// What the review says when any vital was judged against fixed limits, e.g.
        /// "judged against fixed limits: no blood pressure before the dose".
        public var basis: String?
        /// How long after the last dose readiness could begin: the timeline's discharge start.
        public var minutesAfterLastDose: Double

        public init(ready: Bool, readyAt: Date?, reasons: [String], fixedLimits: [Vital], basis: String?,
                    minutesAfterLastDose: Double) {
            self.ready = ready
            self.minutesAfterLastDose = minutesAfterLastDose
            self.readyAt = readyAt
            self.reasons = reasons
            self.fixedLimits = fixedLimits
            self.basis = basis
        }
    }

    /// The last dose: the first one, or the latest booster after it (a booster restarts the
    /// phase timeline, so discharge comes no earlier than its start after the last dose).
    public static func lastDose(doseAt: Date?, events: [SessionEvent]) -> Date? {
        ([doseAt] + events.filter { $0.kind == .dose || $0.kind == .booster }.map(\.time)).compactMap { $0 }.max()
    }
}
