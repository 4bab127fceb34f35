import Foundation

/// The room's alarm state machine. Fed readings, commands and clock ticks, it decides which
/// physiological and technical alarms are active and returns every transition as an
/// `AlarmEvent` for the caller to store, publish and sound. It performs no I/O and reads time
/// only from its clock, so a two-hour session replays in milliseconds.
///
/// It watches the room all day, not only during a session: between sessions the crisis tiers
/// that hold before a dose still watch whoever has a finger in the probe, and a device that
/// is unplugged still says so. Call ``tick()`` at or after ``nextDeadline()``; every condition
/// delay, gap, audio pause, escalation and BP check is a deadline, so the engine raises an
/// alarm exactly when it is due.
public struct AlarmEngine<C: VigilClock>: Sendable {
    public let clock: C
    public let profile: AlarmProfile
    let idPrefix: String
    var nextNumber = 1
    var nextSeq = 1

    /// Active alarms in the order they were raised.
    var active: [Entry] = []
    /// A session is running: its phase's limits, its BP schedule and the probe watch apply.
    public internal(set) var inSession = false
    public internal(set) var phase: Phase = .baseline
    /// The last dose (a booster restarts the timeline from its time).
    var doseAt: C.Instant?
    var sessionStartedAt: C.Instant?
    /// The tiers in force now: the phase's limits and crisis tiers, or between sessions the
    /// crisis tiers alone. Chosen again at every phase change.
    var rulesNow: [LimitRule]

    var lastValid: [Vital: (value: Double, at: C.Instant)] = [:]
    /// Breaches of continuous limits, by tier; each keeps its start across phase changes.
    var breaches: [LimitRule.Key: Breach] = [:]
    /// First breaching BP readings awaiting their repeat, by condition.
    var pendingRepeats: [String: PendingRepeat] = [:]
    var devices: [String: DeviceTrack] = [:]
    var baselineSums: [Vital: (sum: Double, count: Int, last: Double)] = [:]
    var lastValidBP: C.Instant?
    /// A BP measurement the agent started and whose result has not come yet.
    var measuringSince: C.Instant?
    /// The BP check the active `nibp_due` reminder is about.
    var remindedCheck: NIBPCheck<C.Instant>?

    /// An active alarm with the engine's bookkeeping.
    struct Entry: Sendable {
        var alarm: Alarm
        var key: String
        /// The phase it was raised in; `nil` between sessions.
        var raisedIn: Phase?
        var mediumSince: C.Instant?
        var audioPausedUntil: C.Instant?
        /// A continuous vital's first reading of the current run back past the limit by the
        /// hysteresis; the alarm's condition ends once that run lasts the gap tolerance.
        var backSince: C.Instant?
        /// An overdue BP reminder has been sent to the clinic (it stays medium).
        var sentToClinic = false
        /// High physiological alarms stay until a person acknowledges them.
        var latches: Bool { alarm.kind == .physiological && alarm.priority == .high }
    }

    /// One tier's breach: from its first breaching reading until no breaching reading has come
    /// for the gap tolerance. The delay and the escalation count from `since`; if one passes
    /// while the value is inside the limit (a blip), it acts on the next breaching reading. Once
    /// its alarm is raised, only valid readings back inside the limit end it: a probe-off spell
    /// in the middle of a desaturation keeps its "< 90 for more than 60 s" clock.
    struct Breach: Sendable {
        var since: C.Instant
        var lastBreachingAt: C.Instant
        /// The first valid reading back inside the limit since the last breaching one.
        var insideSince: C.Instant?
        var delayPassed = false
        /// The area past the limit so far (value × seconds), for a tier with an integral delay.
        var area: Double = 0
        /// A breaching reading with a good signal has been seen: the tier's own delay applies,
        /// not the longer one for a limit crossed only with a poor signal.
        var goodSignal = false
        var fired = false
        var escalationPassed = false
        var escalated = false
    }

    struct PendingRepeat: Sendable {
        var at: C.Instant
        var vital: Vital
        var value: Double
        var limit: Double?
        var expired = false
    }

    struct DeviceTrack: Sendable {
        var lastReading: C.Instant
        var isContinuous: Bool
        var isDisconnected = false
        var invalidSince: C.Instant?
        /// Why the SpO2 signal is not valid, in words for the nurse.
        var invalidBecause = ""
        /// Since when the SpO2 signal has been poor with no good reading between (`check_probe`).
        var poorSince: C.Instant?
    }

    /// - Parameter idPrefix: prefixed to alarm numbers so ids stay unique across sessions and rooms.
    public init(clock: C, profile: AlarmProfile, idPrefix: String = "A") {
        self.clock = clock
        self.profile = profile
        self.idPrefix = idPrefix
        rulesNow = profile.betweenSessions
    }

    /// The alarms active now, oldest first.
    public var activeAlarms: [Alarm] { active.map(\.alarm) }

    /// The pre-dose value of a vital: the mean for continuous vitals, the last measurement for BP.
    public func baseline(_ vital: Vital) -> Double? {
        guard let b = baselineSums[vital], b.count > 0 else { return nil }
        return vital.isIntermittent ? b.last : b.sum / Double(b.count)
    }

    /// Watches a device from now on, so its silence raises `no_data` even before its first reading.
    public mutating func watch(device: String, continuous: Bool) {
        devices[device] = DeviceTrack(lastReading: clock.now, isContinuous: continuous)
    }

    // MARK: Input

    /// Takes one reading; alarms whose delay is zero are raised at once.
    public mutating func receive(_ received: Reading) -> [AlarmEvent] {
        let reading = received.markingLostSignal()
        var out = trackDevice(reading, zeroMarkedValid: reading.quality != received.quality)
        guard reading.quality != .outOfRange else {
            return out + flagImplausible(reading) + fireDue()
        }
        guard let value = reading.validValue else {
            if !reading.vital.isIntermittent { signalLost(reading.vital) }
            return out + fireDue()
        }
        guard reading.vital.plausibleRange.contains(value) else {
            return out + flagImplausible(reading) + fireDue()
        }
        out += clear(key: implausibleKey(reading.vital))
        out += evaluate(reading.vital, value: value, goodSignal: reading.hasGoodSignal)
        return out + fireDue()
    }

    /// Raises whatever has come due since the last call.
    public mutating func tick() -> [AlarmEvent] { fireDue() }

    /// The next instant at which ``tick()`` has something to do.
    public func nextDeadline() -> C.Instant? { timers().map(\.at).min() }

    var sinceDose: Double? { doseAt.map { $0.duration(to: clock.now).seconds } }

    /// A reading without a valid value interrupts a run of readings back inside a limit: the value
    /// must be seen back for the whole gap tolerance, not once before the probe came off.
    mutating func signalLost(_ vital: Vital) {
        for i in active.indices where active[i].alarm.vital == vital { active[i].backSince = nil }
        for rule in rulesNow where rule.vital == vital { breaches[rule.key]?.insideSince = nil }
    }

    /// Whether a reading taken at `at` is recent enough to act on.
    func isFresh(_ at: C.Instant) -> Bool { at.advanced(by: profile.technical.noDataAfter) >= clock.now }
}
