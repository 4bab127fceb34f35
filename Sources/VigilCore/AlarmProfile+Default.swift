extension AlarmProfile {
    /// The limits of `shared/clinical.md`, table "Default limits", row by row.
    public static let clinicDefault = AlarmProfile(
        timeline: PhaseTimeline(),
        rules: defaultRules,
        hysteresis: [.spo2: 2, .pulseRate: 5, .systolic: 5, .diastolic: 5, .meanArterial: 5],
        confirmWindow: .seconds(300),
        technical: TechnicalLimits(),
        nibp: NIBPPlan(),
        audioPause: .seconds(120),
        escalateUnacknowledgedAfter: .seconds(120),
        crisis: defaultCrisis
    )

    private static let watch: Set<Phase> = [.onset, .peak, .recovery]
    private static let every = Set(Phase.allCases)

    private static let defaultRules: [LimitRule] = [
        // SpO2
        LimitRule(vital: .spo2, phases: [.baseline], limit: .below(93), priority: .medium, delay: .seconds(30)),
        LimitRule(vital: .spo2, phases: watch, limit: .below(90), priority: .medium, delay: .seconds(15),
                  escalateAfter: .seconds(60)),
        LimitRule(vital: .spo2, phases: [.discharge], limit: .below(93), priority: .low, delay: .seconds(30)),
        LimitRule(vital: .spo2, phases: [.discharge], limit: .below(90), priority: .medium, delay: .seconds(30)),
        // Pulse
        LimitRule(vital: .pulseRate, phases: [.baseline], limit: .below(50), priority: .low, delay: .seconds(30)),
        LimitRule(vital: .pulseRate, phases: [.baseline], limit: .above(110), priority: .low, delay: .seconds(30)),
        LimitRule(vital: .pulseRate, phases: [.onset, .peak], limit: .below(50), priority: .medium, delay: .seconds(30)),
        LimitRule(vital: .pulseRate, phases: [.onset, .peak], limit: .above(120), priority: .medium, delay: .seconds(30)),
        LimitRule(vital: .pulseRate, phases: [.recovery], limit: .below(50), priority: .medium, delay: .seconds(30)),
        LimitRule(vital: .pulseRate, phases: [.recovery], limit: .above(110), priority: .medium, delay: .seconds(30)),
        // "One reading" at discharge would sound on a single beat at 1 Hz; 30 s is a judgement.
        LimitRule(vital: .pulseRate, phases: [.discharge], limit: .belowBaselinePercent(20), priority: .low,
                  delay: .seconds(30)),
        LimitRule(vital: .pulseRate, phases: [.discharge], limit: .aboveBaselinePercent(20), priority: .low,
                  delay: .seconds(30)),
        // Systolic
        LimitRule(vital: .systolic, phases: [.baseline], limit: .below(90), priority: .medium, confirm: true),
        LimitRule(vital: .systolic, phases: [.baseline], limit: .above(140), priority: .medium, confirm: true),
        LimitRule(vital: .systolic, phases: watch, limit: .below(90), priority: .medium, confirm: true),
        LimitRule(vital: .systolic, phases: watch, limit: .atOrAbove(180), priority: .medium, confirm: true),
        LimitRule(vital: .systolic, phases: [.discharge], limit: .belowBaselinePercent(20), priority: .low),
        LimitRule(vital: .systolic, phases: [.discharge], limit: .aboveBaselinePercent(20), priority: .low),
        LimitRule(condition: "systolic_rise", vital: .systolic, phases: watch,
                  limit: .aboveBaselineBy(40), priority: .low),
        // Diastolic
        LimitRule(vital: .diastolic, phases: [.baseline], limit: .below(50), priority: .medium, confirm: true),
        LimitRule(vital: .diastolic, phases: [.baseline], limit: .above(90), priority: .medium, confirm: true),
        LimitRule(vital: .diastolic, phases: watch, limit: .below(50), priority: .medium, confirm: true),
        LimitRule(vital: .diastolic, phases: watch, limit: .atOrAbove(110), priority: .medium, confirm: true),
        LimitRule(vital: .diastolic, phases: [.discharge], limit: .belowBaselinePercent(20), priority: .low),
        LimitRule(vital: .diastolic, phases: [.discharge], limit: .aboveBaselinePercent(20), priority: .low),
        // Mean arterial pressure
        LimitRule(vital: .meanArterial, phases: [.baseline, .onset, .peak, .recovery], limit: .below(65),
                  priority: .medium, confirm: true),
    ]

    /// `shared/clinical.md`, "Crisis tiers": high in every phase, and the medium BP limits of
    /// recovery held through discharge.
    private static let defaultCrisis: [LimitRule] = [
        LimitRule(vital: .spo2, phases: every, limit: .below(85), priority: .high, delay: .seconds(5)),
        LimitRule(vital: .pulseRate, phases: every, limit: .below(40), priority: .high, delay: .seconds(10)),
        LimitRule(vital: .pulseRate, phases: every, limit: .above(140), priority: .high, delay: .seconds(10)),
        LimitRule(vital: .systolic, phases: every, limit: .atOrAbove(200), priority: .high),
        LimitRule(vital: .diastolic, phases: every, limit: .atOrAbove(120), priority: .high),
        LimitRule(vital: .meanArterial, phases: every, limit: .below(55), priority: .high),
        LimitRule(vital: .systolic, phases: [.recovery, .discharge], limit: .atOrAbove(180), priority: .medium, confirm: true),
        LimitRule(vital: .diastolic, phases: [.recovery, .discharge], limit: .atOrAbove(110), priority: .medium, confirm: true),
        LimitRule(vital: .systolic, phases: [.recovery, .discharge], limit: .below(90), priority: .medium, confirm: true),
        LimitRule(vital: .diastolic, phases: [.recovery, .discharge], limit: .below(50), priority: .medium, confirm: true),
    ]
}
