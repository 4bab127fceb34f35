/// When a patient is ready to leave, as clinical.md's "What a provider reviews afterwards" puts
/// it: at least the timeline's discharge start after the last dose, systolic, diastolic and
/// pulse within ±20 % of the baseline, SpO2 93 % or more, and no alarm active.
///
/// The fixed limits are the recovery limits of the clinic's default profile; they stand in for
/// the relative ones when a vital had no value before the dose.
public struct DischargeCriteria: Sendable, Hashable {
    /// Where a vital may be without a baseline: ready at or above `low`, and below `high` (or at
    /// `high` too when `highIncluded`), so that each limit reads as the recovery row does.
    public struct FixedLimit: Sendable, Hashable {
        public var low: Double
        public var high: Double
        public var highIncluded: Bool

        public init(low: Double, high: Double, highIncluded: Bool) {
            self.low = low
            self.high = high
            self.highIncluded = highIncluded
        }

        public func holds(_ value: Double) -> Bool {
            value >= low && (highIncluded ? value <= high : value < high)
        }
    }

    /// How far from its baseline a vital may be, as a fraction (0.2 is ±20 %, inclusive).
    public var fromBaseline: Double
    /// The lowest SpO2 that counts. Oximeters report whole numbers, so the modified Aldrete
    /// "above 92 %" is "93 or more"; a fractional 92.5 does not pass.
    public var minimumSpO2: Double
    /// How far back the continuous vitals (SpO2, pulse) are looked at: every reading in it must
    /// hold, so one good beat after a bad minute does not make a patient ready.
    public var continuousWindow: Double
    /// The recovery limits, used for a vital that has no baseline.
    public var fixedLimits: [Vital: FixedLimit]

    public init(fromBaseline: Double = 0.2, minimumSpO2: Double = 93, continuousWindow: Double = 60,
                fixedLimits: [Vital: FixedLimit] = DischargeCriteria.recoveryLimits) {
        self.fromBaseline = fromBaseline
        self.minimumSpO2 = minimumSpO2
        self.continuousWindow = continuousWindow
        self.fixedLimits = fixedLimits
    }

    /// Systolic 90 to below 180, diastolic 50 to below 110, pulse 50 to 110 (clinical.md).
    public static let recoveryLimits: [Vital: FixedLimit] = [
        .systolic: FixedLimit(low: 90, high: 180, highIncluded: false),
        .diastolic: FixedLimit(low: 50, high: 110, highIncluded: false),
        .pulseRate: FixedLimit(low: 50, high: 110, highIncluded: true),
    ]

    public static let clinicDefault = DischargeCriteria()
}
