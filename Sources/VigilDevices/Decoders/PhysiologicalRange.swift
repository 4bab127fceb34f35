import VigilCore

/// The values a living patient in a dosing room can have, per vital. A frame that passes every
/// check of its protocol but carries a value outside these is a corrupt frame, not a reading:
/// the decoder rejects and counts it (`DecoderStats.rejected`).
///
/// These are narrower than `Vital.plausibleRange` (what a working sensor can report, whose
/// violations the alarm engine raises as an implausible-value alarm): a decoder uses them to
/// tell noise from data, so they must still hold every real value — the lowest SpO2 and pulse
/// here are far below any alarm limit, which a real decline crosses on its way down.
///
/// A value of exactly 0 is let through: a device that marks 0 % or 0 bpm valid has lost the
/// signal, and the core engine decides what that means (protocols whose documentation makes 0
/// a sentinel decode it as no value before this check).
public enum PhysiologicalRange {
    public static func of(_ vital: Vital) -> ClosedRange<Double> {
        switch vital {
        case .spo2: 30...100
        case .pulseRate, .nibpPulse: 20...300
        case .perfusionIndex: 0...30
        case .systolic: 40...300
        case .diastolic: 20...200
        case .meanArterial: 25...250
        }
    }

    /// Whether every value the device vouches for (quality `valid`, a value given) is in range.
    public static func admits(_ values: [DeviceValue]) -> Bool {
        values.allSatisfy { v in
            guard v.quality == .valid || v.quality == .poorSignal, let value = v.value, value != 0 else { return true }
            return of(v.vital).contains(value)
        }
    }

    /// The same for a message; messages without vitals are always admitted.
    public static func admits(_ message: DeviceMessage) -> Bool {
        guard case .values(let values, _) = message else { return true }
        return admits(values)
    }
}
