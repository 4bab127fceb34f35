import Foundation
import VigilCore

/// How the review pages word times and values, as `vigil report` does: times from the dose
/// (`+40:12`, `4:30 before the dose`), blood pressure as `172/96 mmHg`, durations in minutes and
/// seconds. Every function returns plain text; the pages escape it.
struct ReviewText {
    /// The first dose, which the clinic counts from; `nil` when no dose was marked.
    var dose: Date?

    /// `+40:12` after the dose, `4:30 before the dose` before it, or the UTC time with no dose.
    func offset(_ date: Date) -> String {
        guard let dose else { return HTML.time(date) }
        let s = Int(date.timeIntervalSince(dose).rounded())
        let clock = "\(abs(s) / 60):\(String(format: "%02d", abs(s) % 60))"
        return s < 0 ? "\(clock) before the dose" : "+\(clock)"
    }

    /// `172/96 mmHg at +40:00`, or `not taken`.
    func bloodPressure(_ p: SessionSummary.BloodPressure?) -> String {
        guard let p else { return "not taken" }
        return "\(Self.pressure(p)) at \(offset(p.time))"
    }

    /// `172/96 mmHg` (the diastolic left out when the monitor sent none).
    static func pressure(_ p: SessionSummary.BloodPressure) -> String {
        "\(HTML.number(p.systolic))\(p.diastolic.map { "/" + HTML.number($0) } ?? "") mmHg"
    }

    /// `95 s`, `4 min 10 s`, `2 h 05 min`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return s % 60 == 0 ? "\(s / 60) min" : "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(String(format: "%02d", (s % 3600) / 60)) min"
    }

    /// A vital as the clinic names it on paper.
    static func name(_ vital: Vital) -> String {
        switch vital {
        case .spo2: "SpO2"
        case .pulseRate: "Pulse"
        case .perfusionIndex: "Perfusion index"
        case .systolic: "Systolic"
        case .diastolic: "Diastolic"
        case .meanArterial: "MAP"
        case .nibpPulse: "Pulse (cuff)"
        }
    }

    /// The unit as printed next to a value (`%`, `/min`, `mmHg`).
    static func unit(_ vital: Vital) -> String {
        vital.unit == "mm[Hg]" ? "mmHg" : vital.unit
    }

    /// An alarm condition in words: `spo2_low` → `SpO2 low`, `nibp_overdue` → `BP check overdue`.
    static func condition(_ condition: String) -> String {
        let known: [String: String] = [
            "spo2_low": "SpO2 low", "pulse_rate_low": "Pulse low", "pulse_rate_high": "Pulse high",
            "systolic_high": "Systolic high", "systolic_rise": "Systolic rise over baseline", "systolic_low": "Systolic low",
            "diastolic_high": "Diastolic high", "diastolic_low": "Diastolic low",
            "mean_arterial_low": "MAP low", "mean_arterial_high": "MAP high",
            TechnicalCondition.noData: "No data", TechnicalCondition.sensorOff: "Sensor off",
            TechnicalCondition.deviceDisconnected: "Device disconnected", TechnicalCondition.implausibleValue: "Implausible value",
            TechnicalCondition.nibpDue: "BP check due", TechnicalCondition.nibpOverdue: "BP check overdue",
            TechnicalCondition.nibpRepeat: "BP repeat due", TechnicalCondition.nibpFailed: "BP measurement failed",
            TechnicalCondition.nibpBeforeDoseMissing: "No BP before the dose", TechnicalCondition.storageFailed: "Storage failure",
        ]
        if let words = known[condition] { return words }
        let spaced = condition.replacingOccurrences(of: "_", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }
}
