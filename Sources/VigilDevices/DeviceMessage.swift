import Foundation
import VigilCore

/// One vital's value as a device frame gave it, before the agent stamps time and device name.
public struct DeviceValue: Sendable, Hashable {
    public var vital: Vital
    /// `nil` when the frame carried a sentinel (finger out, searching, missing) — never a zero.
    public var value: Double?
    public var quality: ReadingQuality

    public init(_ vital: Vital, _ value: Double?, _ quality: ReadingQuality) {
        self.vital = vital
        self.value = value
        self.quality = quality
    }
}

/// What a decoder makes of a complete, valid frame.
public enum DeviceMessage: Sendable, Hashable {
    /// Vitals from one frame (or one Nonin packet); `deviceTime` when the device stamps its frames.
    case values([DeviceValue], deviceTime: Date?)
    /// A SunTech acknowledgement ('O' received, 'K' done, 'B' busy, …).
    case acknowledged(SunTechAck)
    /// Cuff pressure during a SunTech measurement, mmHg; `nil` when the module has none.
    case cuffPressure(Int?)
    /// A BP measurement the module could not complete, with its error code and meaning.
    case measurementFailed(code: UInt8, reason: String)
    /// A frame that is valid but carries no vitals (version, command feedback, a note on what
    /// the decoder saw).
    case info(String)
}

/// Counters every decoder keeps, printed by `vigil decode` and logged by the agent.
public struct DecoderStats: Sendable, Hashable {
    /// Frames that passed every check (type, length, checksum).
    public var decoded = 0
    /// Frames that started right but failed a check (a byte out of place, a bad checksum, a
    /// reserved bit, a value outside ``PhysiologicalRange``), and frames the stream checks
    /// rejected (``StreamCheck``: not enough frames in a row, an implausible jump).
    public var rejected = 0
    /// Bytes thrown away while looking for the start of a frame.
    public var skippedBytes = 0

    public init() {}

    /// Two spells of decoding together (a connection's reopened ports).
    public static func + (a: DecoderStats, b: DecoderStats) -> DecoderStats {
        var sum = a
        sum.decoded += b.decoded
        sum.rejected += b.rejected
        sum.skippedBytes += b.skippedBytes
        return sum
    }
}

/// An incremental parser: bytes in, messages out, in any chunking. It never throws and never
/// traps on any input: a corrupt frame is counted and skipped, and decoding resynchronises at
/// the next plausible frame start.
public protocol DeviceDecoder: Sendable {
    mutating func decode(_ bytes: [UInt8]) -> [DeviceMessage]
    /// The stream has ended (the capture's last byte, or the port closed): whatever the decoder
    /// still holds back gets its verdict.
    mutating func finish() -> [DeviceMessage]
    var stats: DecoderStats { get }
    /// Frames that passed the frame decoder's own checks, including those the stream checks
    /// still hold back: the sign that a device is alive and speaking this protocol.
    var framesSeen: Int { get }
}

extension DeviceDecoder {
    /// A frame decoder holds back nothing but an incomplete frame, which never completes.
    public mutating func finish() -> [DeviceMessage] { [] }

    public var framesSeen: Int { stats.decoded }
}
