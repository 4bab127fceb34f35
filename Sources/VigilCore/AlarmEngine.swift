import Foundation

/// The room's alarm state machine. Fed readings, commands and clock ticks, it decides which
/// physiological and technical alarms are active and returns every transition as an
/// `AlarmEvent` for the caller to store, publish and sound. It performs no I/O and reads time
/// only from its clock, so a two-hour session replays in milliseconds.
///
/// Call ``tick()`` at or after ``nextDeadline()``; every condition delay, audio pause, escalation
/// and BP check is a deadline, so the engine raises an alarm exactly when it is due.
public struct AlarmEngine<C: VigilClock>: Sendable {
    public let clock: C
    public let profile: AlarmProfile
    let idPrefix: String
    var nextNumber = 1
    var nextSeq = 1

    /// Active alarms in the order they were raised.
    var active: [Entry] = []
    var isMonitoring = false
    public internal(set) var phase: Phase = .baseline
    var doseAt: C.Instant?
    var sessionStartedAt: C.Instant?

    var lastValid: [Vital: (value: Double, at: C.Instant)] = [:]
    /// Pending or fired breaches of continuous limits, by index into `profile.rules`.
    var breaches: [Int: Breach] = [:]
    /// First breaching BP readings awaiting their repeat, by condition.
    var pendingRepeats: [String: PendingRepeat] = [:]
    var devices: [String: DeviceTrack] = [:]
    var baselineSums: [Vital: (sum: Double, count: Int, last: Double)] = [:]
    var lastValidBP: C.Instant?
    /// A BP measurement the agent started and whose result has not come yet.
    var measuringSince: C.Instant?

    /// An active alarm with the engine's bookkeeping.
    struct Entry: Sendable {
        var alarm: Alarm
        var key: String
        var raisedAt: C.Instant
        var mediumSince: C.Instant?
        var audioPausedUntil: C.Instant?
        /// High physiological alarms stay until a person acknowledges them.
        var latches: Bool { alarm.kind == .physiological && alarm.priority == .high }
    }

    struct Breach: Sendable {
        var since: C.Instant
        var fired = false
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
        var lastQuality: ReadingQuality = .valid
    }

    /// - Parameter idPrefix: prefixed to alarm numbers so ids stay unique across sessions and rooms.
    public init(clock: C, profile: AlarmProfile, idPrefix: String = "A") {
        self.clock = clock
        self.profile = profile
        self.idPrefix = idPrefix
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

    // MARK: Session lifecycle (driven by `RoomMonitor`)

    public mutating func sessionStarted() -> [AlarmEvent] {
        isMonitoring = true
        phase = .baseline
        sessionStartedAt = clock.now
        let now = clock.now
        for name in Array(devices.keys) { devices[name]?.lastReading = now }
        return fireDue()
    }

    /// Monitoring picks up after a restart. Alarms that were active are not restored: each
    /// is raised again if its condition still holds (the store closes the old ones).
    mutating func resume(startedAt: C.Instant, doseAt: C.Instant?, phase: Phase, baseline: [Reading]) {
        isMonitoring = true
        sessionStartedAt = startedAt
        self.doseAt = doseAt
        self.phase = phase
        for reading in baseline { if let v = reading.validValue { accumulateBaseline(reading.vital, v) } }
        if let lastBP = baseline.last(where: { $0.vital.isIntermittent && $0.quality == .valid }) {
            lastValidBP = clock.instant(atWall: lastBP.time)
        }
        let now = clock.now
        for name in Array(devices.keys) { devices[name]?.lastReading = now }
    }

    public mutating func doseMarked() -> [AlarmEvent] {
        doseAt = clock.now
        var out: [AlarmEvent] = []
        if lastValidBP == nil {
            out += raise(key: TechnicalCondition.nibpBeforeDoseMissing, kind: .technical,
                         condition: TechnicalCondition.nibpBeforeDoseMissing, vital: nil, device: nil,
                         priority: .medium, value: nil, limit: nil, detail: "no blood pressure before the dose")
        }
        return out + fireDue()
    }

    public mutating func phaseChanged(to newPhase: Phase) -> [AlarmEvent] {
        phase = newPhase
        breaches = breaches.filter { profile.rules[$0.key].phases.contains(newPhase) }
        var out: [AlarmEvent] = []
        for entry in active where entry.alarm.kind == .physiological {
            guard let vital = entry.alarm.vital, let last = lastValid[vital] else { continue }
            out += clearIfResolved(condition: entry.alarm.condition, vital: vital, value: last.value)
        }
        return out + fireDue()
    }

    /// Monitoring stops: every active alarm is cleared, stamped with who ended the session.
    public mutating func sessionEnded(by role: Role) -> [AlarmEvent] {
        let ending = active
        active.removeAll()
        isMonitoring = false
        return ending.map { emit($0, .cleared, by: role, detail: "session ended") }
    }

    // MARK: Input

    /// Takes one reading; alarms whose delay is zero are raised at once.
    public mutating func receive(_ reading: Reading) -> [AlarmEvent] {
        guard isMonitoring else { return [] }
        var out = trackDevice(reading)
        guard reading.quality != .outOfRange else {
            return out + flagImplausible(reading) + fireDue()
        }
        guard let value = reading.validValue else { return out + fireDue() }
        guard reading.vital.plausibleRange.contains(value) else {
            return out + flagImplausible(reading) + fireDue()
        }
        out += clear(key: implausibleKey(reading.vital))
        out += evaluate(reading.vital, value: value)
        return out + fireDue()
    }

    /// Raises whatever has come due since the last call.
    public mutating func tick() -> [AlarmEvent] {
        guard isMonitoring else { return [] }
        return fireDue()
    }

    /// The next instant at which ``tick()`` has something to do.
    public func nextDeadline() -> C.Instant? {
        guard isMonitoring else { return nil }
        return timers().map(\.at).min()
    }

    var sinceDose: Double? { doseAt.map { $0.duration(to: clock.now).seconds } }
}
