import Metrics
import Synchronization
import VigilCore

/// What one opening of a port makes of each read, on the port's reader thread, before the room
/// hears of it: the frames decoded and counted, and only the messages worth waking the room for
/// passed on — every changed value or quality at once, a steady one every `steadyEvery`
/// (``ReadingThrottle``), every message that is not a reading.
///
/// An oximeter's 60 frames a second thus cost the room a few wake-ups a second instead of
/// sixty, and a desaturation still reaches the alarm engine on its first frame.
final class FrameIntake: Sendable {
    /// What a read gave that the connection must act on.
    struct Batch: Sendable {
        var messages: [DeviceMessage]
        /// The first valid frames since the port opened: the device is there.
        var firstFrames: Bool
    }

    private struct State {
        var decoder: any DeviceDecoder
        var throttle: ReadingThrottle<ContinuousClock.Instant>
        var lastFrame: ContinuousClock.Instant
        var announced = false
    }

    private let state: Mutex<State>
    private let device: String
    private let counters: Counters

    /// `/metrics`: frames decoded and rejected (garbled, out of step, implausible), and every
    /// value the frames carried, before any is dropped as a repeat.
    struct Counters: Sendable {
        var frames: Counter
        var rejects: Counter
        var readings: Counter

        init(device: String) {
            frames = Counter(label: "vigil_frames_total", dimensions: [("device", device)])
            rejects = Counter(label: "vigil_frames_rejected_total", dimensions: [("device", device)])
            readings = Counter(label: "vigil_readings_total", dimensions: [("device", device)])
        }
    }

    init(device: String, decoder: any DeviceDecoder, counters: Counters, steadyEvery: Duration,
         now: ContinuousClock.Instant = .now) {
        self.device = device
        self.counters = counters
        state = Mutex(State(decoder: decoder, throttle: ReadingThrottle(interval: steadyEvery), lastFrame: now))
    }

    /// One read; `nil` when nothing in it is worth waking the room for.
    func take(_ chunk: [UInt8], now: ContinuousClock.Instant = .now) -> Batch? {
        state.withLock { s in
            let framesBefore = s.decoder.framesSeen, rejectedBefore = s.decoder.stats.rejected
            let messages = s.decoder.decode(chunk)
            let rejected = s.decoder.stats.rejected - rejectedBefore
            if rejected > 0 { counters.rejects.increment(by: rejected) }
            let frames = s.decoder.framesSeen - framesBefore
            guard frames > 0 || !messages.isEmpty else { return nil }
            if frames > 0 {
                s.lastFrame = now
                counters.frames.increment(by: frames)
            }
            var passed: [DeviceMessage] = []
            for message in messages {
                if case .values(let values, _) = message {
                    counters.readings.increment(by: values.count)
                    // Every value is offered, so that each vital's own second is kept.
                    let news = values.filter {
                        s.throttle.admits(device: device, vital: $0.vital, value: $0.value, quality: $0.quality, at: now)
                    }
                    if news.isEmpty { continue }
                }
                passed.append(message)
            }
            let first = frames > 0 && !s.announced
            if first { s.announced = true }
            return passed.isEmpty && !first ? nil : Batch(messages: passed, firstFrames: first)
        }
    }

    /// The port closed: what the decoder still held back, every message of it.
    func finish() -> [DeviceMessage] { state.withLock { $0.decoder.finish() } }

    /// When the last valid frame arrived (the watchdog's measure of silence).
    var lastFrame: ContinuousClock.Instant { state.withLock { $0.lastFrame } }

    var stats: DecoderStats { state.withLock { $0.decoder.stats } }
}
