import VigilCore

/// The unit a JSON device sends a value in, converted to the vital's own unit on arrival.
public enum IncomingUnit: String, Sendable, Hashable, CaseIterable {
    /// Already the vital's unit (%, bpm or mmHg).
    case native
    case percent = "%"
    /// SpO2 or PI as 0…1.
    case fraction
    case bpm
    /// Beats per second.
    case hertz = "Hz"
    case mmHg
    case kPa

    public func convert(_ value: Double) -> Double {
        switch self {
        case .native, .percent, .bpm, .mmHg: value
        case .fraction: value * 100
        case .hertz: value * 60
        case .kPa: value * 7.500_62
        }
    }

    /// Whether a value in this unit can be converted to `vital`'s unit.
    public func fits(_ vital: Vital) -> Bool {
        switch self {
        case .native: true
        case .percent, .fraction: vital == .spo2 || vital == .perfusionIndex
        case .bpm, .hertz: vital == .pulseRate || vital == .nibpPulse
        case .mmHg, .kPa: [.systolic, .diastolic, .meanArterial].contains(vital)
        }
    }
}
