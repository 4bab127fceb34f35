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

    /// The value when the device vouches for it.
    public var validValue: Double? { quality == .valid ? value : nil }
}
