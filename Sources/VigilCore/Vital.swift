/// A measured quantity, named as it crosses module and process boundaries (`spo2`, `pulse_rate`, …).
public enum Vital: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case spo2
    case pulseRate = "pulse_rate"
    case perfusionIndex = "perfusion_index"
    case systolic
    case diastolic
    case meanArterial = "mean_arterial"
    case nibpPulse = "nibp_pulse"

    /// UCUM unit, as printed and exported.
    public var unit: String {
        switch self {
        case .spo2, .perfusionIndex: "%"
        case .pulseRate, .nibpPulse: "/min"
        case .systolic, .diastolic, .meanArterial: "mm[Hg]"
        }
    }

    /// Blood-pressure values arrive one measurement at a time, minutes apart; the oximeter's
    /// arrive about once a second. Intermittent vitals are confirmed by a repeat reading instead
    /// of being held for a condition delay.
    public var isIntermittent: Bool {
        switch self {
        case .systolic, .diastolic, .meanArterial, .nibpPulse: true
        case .spo2, .pulseRate, .perfusionIndex: false
        }
    }

    /// The values a working sensor can physically report; anything outside is an implausible
    /// value (a technical alarm), never a physiological one.
    public var plausibleRange: ClosedRange<Double> {
        switch self {
        case .spo2: 1...100
        case .pulseRate, .nibpPulse: 15...300
        case .perfusionIndex: 0...30
        case .systolic: 30...300
        case .diastolic: 10...250
        case .meanArterial: 20...280
        }
    }

    public static func < (lhs: Vital, rhs: Vital) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
