/// Which of a device's many readings go on. An oximeter sends 60–75 frames a second, nearly all
/// repeating the last value; carrying each one through the room costs a wake-up per frame and
/// tells the alarm engine nothing new.
///
/// Two rules, one per place:
/// - ``Rule/everyChange`` is the device's edge, before the room: a changed value or quality goes
///   on at once (a desaturation reaches the engine on its first frame, not up to a second
///   later), a steady one once per ``interval``.
/// - ``Rule/qualityChanges`` is the record: one reading per ``interval`` per vital, and every
///   change of quality at once (a probe coming off is never hidden behind a steady second).
///
/// Blood pressure is never throttled: each measurement is its own event.
public struct ReadingThrottle<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public enum Rule: Sendable { case everyChange, qualityChanges }

    public let rule: Rule
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

    public init(_ rule: Rule, interval: Duration = .seconds(1)) {
        self.rule = rule
        self.interval = interval
    }

    /// Whether this reading goes on; if it does, it is the one the next are compared with.
    public mutating func admits(device: String, vital: Vital, value: Double?, quality: ReadingQuality, at now: Instant) -> Bool {
        let key = Key(device: device, vital: vital)
        if !vital.isIntermittent, let previous = last[key], previous.quality == quality,
           rule == .qualityChanges || previous.value == value, previous.at.duration(to: now) < interval {
            return false
        }
        last[key] = Passed(value: value, quality: quality, at: now)
        return true
    }
}
