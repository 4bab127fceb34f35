import VigilCore

/// The plausibility check on a continuous oximeter's stream: a frame whose SpO2 or pulse jumps
/// ``band`` points or more from the values before it is held until the frames after it say
/// whether it was a spike (corruption, a flipped bit) or a real change.
///
/// - A frame within the band of the last accepted values (the *reference*) passes at once. A
///   real desaturation moves a few points a second, so its frames are never delayed.
/// - A frame that jumps is held, with the frames after it. ``confirmations`` following frames
///   that agree with it (within the band) confirm a real change: all are released, that many
///   frames late — 33 ms on a 60 Hz Contec, 2 s on a once-a-second Nonin #8 or Masimo line.
/// - A following frame that disagrees with the held one proves a spike of one or two frames:
///   the held frames are rejected and counted (``rejected``), and that frame is judged afresh.
/// - A frame without the vital's value (finger out, searching) or the end of the stream, before
///   confirmation, leaves a jump unconfirmed: it is rejected too.
/// - The first values of a stream have nothing to jump from. They are held the same way, but
///   only contradiction rejects them: a sentinel frame or the end of the stream releases them.
///
/// Only SpO2 and pulse rate are judged (their points are % and bpm); other vitals ride with
/// their frame, which is kept or rejected whole. Frames without vitals are never judged but
/// wait behind a held frame, so that nothing comes out of order.
///
/// Two confirmations rather than one because a 1 % bit-flip stream gives two consecutive frames
/// with the same flipped bit about once in 10,000 frames (every three minutes at 60 Hz);
/// three in a row, once in a million.
public struct PlausibilityFilter: Sendable {
    /// A jump of this many points (% SpO2, bpm) or more from both sides is implausible.
    public static let band: Double = 20
    /// Following frames that must agree with a jump before it is believed.
    public static let confirmations = 2
    public static let judged: [Vital] = [.spo2, .pulseRate]

    /// Frames rejected as spikes or unconfirmed jumps.
    public private(set) var rejected = 0
    /// The last accepted value of each judged vital.
    private var reference = Judged<Double>()
    private var held: Held?

    /// A frame waiting for its verdict, with the frames that came after it.
    private struct Held {
        var values: Judged<Double>
        /// `false` for a stream's first values, which nothing but contradiction rejects.
        var isJump: Bool
        var agreeing = 0
        var frames: [StreamCheck.Frame]
    }

    /// How a frame relates to the held one.
    private enum Relation { case agrees, disagrees, silent, unrelated }

    public init() {}

    /// Takes the next frame; returns the frames whose verdict is in, in stream order.
    public mutating func take(_ frame: StreamCheck.Frame) -> [StreamCheck.Frame] {
        guard var waiting = held else { return judge(frame) }
        switch relation(of: frame, to: waiting.values) {
        case .unrelated:
            waiting.frames.append(frame)
            held = waiting
            return []
        case .agrees:
            waiting.frames.append(frame)
            waiting.agreeing += 1
            guard waiting.agreeing >= Self.confirmations else {
                held = waiting
                return []
            }
            held = nil
            return accept(waiting.frames)
        case .disagrees:
            held = nil
            return reject(waiting) + judge(frame)
        case .silent:
            held = nil
            return (waiting.isJump ? reject(waiting) : accept(waiting.frames)) + judge(frame)
        }
    }

    /// The stream ended: a held jump is unconfirmed, held first values are released.
    public mutating func finish() -> [StreamCheck.Frame] {
        guard let waiting = held else { return [] }
        held = nil
        return waiting.isJump ? reject(waiting) : accept(waiting.frames)
    }

    private mutating func judge(_ frame: StreamCheck.Frame) -> [StreamCheck.Frame] {
        let given = Self.judgedValues(frame).valued
        var isJump = false, isFirst = false
        given.forEach { vital, value in
            guard let before = reference[vital] else { return isFirst = true }
            if abs(value - before) >= Self.band { isJump = true }
        }
        guard isJump || isFirst else { return accept([frame]) }
        held = Held(values: given, isJump: isJump, frames: [frame])
        return []
    }

    private mutating func accept(_ frames: [StreamCheck.Frame]) -> [StreamCheck.Frame] {
        for frame in frames {
            Self.judgedValues(frame).valued.forEach { vital, value in reference[vital] = value }
        }
        return frames
    }

    /// Rejects the held frame and those that agreed with it; frames without vitals go on.
    private mutating func reject(_ waiting: Held) -> [StreamCheck.Frame] {
        let (suspect, innocent) = waiting.frames.reduce(into: ([StreamCheck.Frame](), [StreamCheck.Frame]())) {
            if Self.judgedValues($1).isEmpty { $0.1.append($1) } else { $0.0.append($1) }
        }
        rejected += suspect.count
        return innocent
    }

    private func relation(of frame: StreamCheck.Frame, to values: Judged<Double>) -> Relation {
        let theirs = Self.judgedValues(frame)
        var silent = false, agrees = false, disagrees = false
        values.forEach { vital, mine in
            guard let reading = theirs[vital] else { return }
            guard let value = reading else { return silent = true }
            if abs(value - mine) >= Self.band { disagrees = true }
            agrees = true
        }
        return disagrees ? .disagrees : silent ? .silent : agrees ? .agrees : .unrelated
    }

    /// The judged vitals a frame carries: the value when the device vouches for it (quality
    /// `valid`), `nil` for a sentinel or a doubtful quality. Absent vitals are absent.
    static func judgedValues(_ frame: StreamCheck.Frame) -> Judged<Double?> {
        var out = Judged<Double?>()
        for case .values(let values, _) in frame.messages {
            for v in values where judged.contains(v.vital) {
                out[v.vital] = .some(v.quality == .valid ? v.value : nil)
            }
        }
        return out
    }
}

extension PlausibilityFilter {
    /// One entry for each judged vital, absent or present: the filter's bookkeeping for every
    /// frame, in two fields rather than a dictionary allocated and hashed 60 times a second.
    struct Judged<Value: Sendable>: Sendable {
        private var spo2: Value?
        private var pulseRate: Value?

        subscript(vital: Vital) -> Value? {
            get {
                switch vital {
                case .spo2: spo2
                case .pulseRate: pulseRate
                default: nil
                }
            }
            set {
                switch vital {
                case .spo2: spo2 = newValue
                case .pulseRate: pulseRate = newValue
                default: break
                }
            }
        }

        var isEmpty: Bool { spo2 == nil && pulseRate == nil }

        /// Each present entry, in ``PlausibilityFilter/judged`` order.
        func forEach(_ body: (Vital, Value) -> Void) {
            if let spo2 { body(.spo2, spo2) }
            if let pulseRate { body(.pulseRate, pulseRate) }
        }
    }
}

extension PlausibilityFilter.Judged where Value == Double? {
    /// The entries that carry a value (not a sentinel or a doubtful quality).
    var valued: PlausibilityFilter.Judged<Double> {
        var out = PlausibilityFilter.Judged<Double>()
        forEach { vital, value in out[vital] = value }
        return out
    }
}
