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
///
/// `@inlinable`, so that the port's reader thread (another module) runs it specialised for its
/// clock, rather than looking up generic metadata on every frame.
@frozen
public struct ReadingThrottle<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public let interval: Duration
    @usableFromInline var last: [Key: Passed] = [:]

    @usableFromInline struct Key: Hashable, Sendable {
        @usableFromInline var device: String
        @usableFromInline var vital: Vital

        @inlinable init(device: String, vital: Vital) {
            self.device = device
            self.vital = vital
        }
    }

    @usableFromInline struct Passed: Sendable {
        @usableFromInline var value: Double?
        @usableFromInline var quality: ReadingQuality
        @usableFromInline var at: Instant

        @inlinable init(value: Double?, quality: ReadingQuality, at: Instant) {
            self.value = value
            self.quality = quality
            self.at = at
        }
    }

    public init(interval: Duration) {
        self.interval = interval
    }

    /// Whether this reading goes on; if it does, it is the one the next are compared with.
    @inlinable
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
