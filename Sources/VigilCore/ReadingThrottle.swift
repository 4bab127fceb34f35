/// Which of a device's many readings go on. An oximeter sends 60–75 frames a second, nearly all
/// repeating the last value; carrying each one through the room costs a wake-up per frame and
/// tells the alarm engine nothing new.
///
/// A changed value or quality goes on at once (a desaturation reaches the engine on its first
/// frame, a probe coming off is never hidden behind a steady second); a steady one once per
/// ``interval``. Two places use it: the device's edge, every 250 ms, before the room; and the
/// record, once a second, so that every value the engine judged is on the record and a replay
/// of it meets the same values.
///
/// Blood pressure is never throttled: each measurement is its own event.
public struct ReadingThrottle<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public let interval: Duration
    private var last: [Key: Passed] = [:]

    private struct Key: Hashable, Sendable {
        var device: String
        var vital: Vital
    }

    private struct Passed: Sendable {
        var value: Double?
        var quality: ReadingQuality
        var at: Instant
    }

    public init(interval: Duration) {
        self.interval = interval
    }

    /// Whether this reading goes on; if it does, it is the one the next are compared with.
    public mutating func admits(device: String, vital: Vital, value: Double?, quality: ReadingQuality, at now: Instant) -> Bool {
        let key = Key(device: device, vital: vital)
        if !vital.isIntermittent, let previous = last[key], previous.quality == quality, previous.value == value,
           previous.at.duration(to: now) < interval {
            return false
        }
        last[key] = Passed(value: value, quality: quality, at: now)
        return true
    }
}
