import Foundation

/// How far a reading can be trusted. Only `valid` readings carry a value the alarm engine acts on.
public enum ReadingQuality: String, Sendable, Hashable, Codable, CaseIterable {
    case valid
    /// The device is looking for a pulse (after a probe is put on, or after motion).
    case searching
    /// Probe off, finger out, cuff not attached.
    case sensorOff = "sensor_off"
    /// The device flags motion or interference; the value, if any, is not to be believed.
    case artifact
    /// The device reports the value outside what it can measure.
    case outOfRange = "out_of_range"
    /// A value the device gives while it says its signal is weak: low perfusion, a low signal
    /// IQ, a weak pulse, artifact on some beats. Believed, but not alone: a limit crossed only
    /// by such readings waits longer before it alarms (`technical.poor_signal_delay`), such a
    /// reading never proves an alarm's condition over, and a poor signal that persists asks the
    /// nurse to check the probe (`check_probe`) rather than sounding a desaturation.
    case poorSignal = "poor_signal"
    /// Computed by Vigil, not measured: a MAP from systolic and diastolic where the monitor
    /// sends none. Trusted like a valid reading, and marked so that a provider can tell.
    case derived
}

/// One value of one vital from one device, as the decoders hand it in.
public struct Reading: Sendable, Hashable, Codable {
    /// Wall-clock time the value was taken; durations never use it.
    public var time: Date
    public var vital: Vital
    /// The value in the vital's unit; `nil` when the device sent a sentinel rather than a value.
    public var value: Double?
    /// The device's configured name, e.g. `oximeter` or `nibp`.
    public var device: String
    public var quality: ReadingQuality

    public init(time: Date, vital: Vital, value: Double?, device: String, quality: ReadingQuality = .valid) {
        self.time = time
        self.vital = vital
        self.value = value
        self.device = device
        self.quality = quality
    }

    /// The value when the device vouches for it (or Vigil derived it from values it vouched for),
    /// or gives it with a poor signal.
    public var validValue: Double? { quality == .valid || quality == .derived || quality == .poorSignal ? value : nil }

    /// Whether the device vouches for its signal (a poor signal's value is a value, but weaker evidence).
    public var hasGoodSignal: Bool { quality == .valid || quality == .derived }

    /// An SpO2 or pulse of 0 that a device marks valid is a lost signal, never a value
    /// (`shared/clinical.md`, "Technical alarms"): it is handled as a probe off, so that a
    /// zero can neither hide a desaturation nor stand as a minimum in the review.
    public func markingLostSignal() -> Reading {
        guard quality == .valid, value == 0, vital == .spo2 || vital == .pulseRate else { return self }
        var lost = self
        lost.quality = .sensorOff
        return lost
    }

    /// One BP measurement's readings, with a mean arterial pressure derived as
    /// (systolic + 2 × diastolic) / 3 and marked `derived` when the monitor sent none.
    public static func withDerivedMAP(_ measurement: [Reading]) -> [Reading] {
        guard !measurement.contains(where: { $0.vital == .meanArterial }),
              let systolic = measurement.first(where: { $0.vital == .systolic }),
              let s = systolic.validValue,
              let d = measurement.first(where: { $0.vital == .diastolic })?.validValue else { return measurement }
        let map = ((s + 2 * d) / 3 * 10).rounded() / 10
        return measurement + [Reading(time: systolic.time, vital: .meanArterial, value: map, device: systolic.device,
                                      quality: .derived)]
    }
}
