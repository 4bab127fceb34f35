import Foundation

/// One patient's dosing session: started in `baseline`, then dose, onset, peak, recovery,
/// discharge, ended. A room runs many a day: once ended, the next start begins a new one. Phase boundaries come from the profile's timeline and are measured on the
/// monotonic clock from the dose; every event carries wall-clock time and the role that made it.
///
/// Like the alarm engine, `Session` performs nothing: its methods return the events for the
/// caller to store and publish.
public struct Session<C: VigilClock>: Sendable {
    public enum Status: Sendable, Equatable { case notStarted, running, ended }

    public let clock: C
    public let timeline: PhaseTimeline
    public private(set) var status: Status = .notStarted
    public private(set) var phase: Phase = .baseline
    public private(set) var startedAt: C.Instant?
    /// The last dose: a booster restarts the timeline from its time.
    public private(set) var doseAt: C.Instant?
    /// An opaque reference the clinic maps to its own records; never a name.
    public private(set) var patientReference: String?
    public private(set) var events: [SessionEvent] = []

    public init(clock: C, timeline: PhaseTimeline) {
        self.clock = clock
        self.timeline = timeline
    }

    /// Time since the dose on the monotonic clock; `nil` before the dose.
    public var sinceDose: Duration? { doseAt.map { $0.duration(to: clock.now) } }

    /// Starts a session; after an ended one, a new session with nothing of the last.
    public mutating func start(by role: Role, patientReference: String? = nil) throws -> [SessionEvent] {
        guard status != .running else { throw SessionError.alreadyStarted }
        if let patientReference, !PatientReference.isOpaque(patientReference) { throw SessionError.patientReferenceNotOpaque }
        if status == .ended { self = Session(clock: clock, timeline: timeline) }
        status = .running
        startedAt = clock.now
        self.patientReference = patientReference
        return [record(.started, by: role)]
    }

    /// Picks up a session that was running when the agent stopped. Its start and dose were
    /// recorded in wall-clock time; the monotonic instants are placed that far in the past, and
    /// the phase is whatever the time since the dose makes it (no phase events are repeated).
    public mutating func resume(startedAt startedWall: Date, doseAt doseWall: Date?,
                                patientReference: String? = nil) throws -> [SessionEvent] {
        guard status != .running else { throw SessionError.alreadyStarted }
        self = Session(clock: clock, timeline: timeline)
        status = .running
        startedAt = clock.instant(atWall: startedWall)
        doseAt = doseWall.map(clock.instant(atWall:))
        self.patientReference = patientReference
        phase = timeline.phase(sinceDose: sinceDose)
        return [record(.resumed, by: nil)]
    }

    public mutating func markDose(by role: Role) throws -> [SessionEvent] {
        try requireRunning()
        guard doseAt == nil else { throw SessionError.alreadyDosed }
        doseAt = clock.now
        let dose = record(.dose, by: role)
        return [dose] + tick()
    }

    /// A booster dose restarts the timeline from its time: onset again, and discharge no earlier
    /// than the discharge interval after it.
    public mutating func markBooster(by role: Role) throws -> [SessionEvent] {
        try requireRunning()
        guard doseAt != nil else { throw SessionError.notDosed }
        doseAt = clock.now
        let booster = record(.booster, by: role)
        guard phase != .onset else { return [booster] }
        phase = .onset
        return [booster, record(.phaseChanged, by: nil)]
    }

    public mutating func addNote(_ text: String, by role: Role) throws -> [SessionEvent] {
        try requireRunning()
        guard text.count <= SessionError.maxNoteLength else { throw SessionError.noteTooLong }
        return [record(.note, by: role, text: text)]
    }

    public mutating func end(by role: Role) throws -> [SessionEvent] {
        try requireRunning()
        let passed = tick()
        status = .ended
        return passed + [record(.ended, by: role)]
    }

    /// Moves the phase on if a boundary has passed; one event per phase entered.
    public mutating func tick() -> [SessionEvent] {
        guard status == .running else { return [] }
        let target = timeline.phase(sinceDose: sinceDose)
        var out: [SessionEvent] = []
        while phase < target {
            phase = Phase.allCases[Phase.allCases.firstIndex(of: phase)! + 1]
            out.append(record(.phaseChanged, by: nil))
        }
        return out
    }

    /// The next instant at which `tick()` has something to do.
    public func nextDeadline() -> C.Instant? {
        guard status == .running, let doseAt, let since = sinceDose,
              let boundary = timeline.nextBoundary(after: since) else { return nil }
        return doseAt.advanced(by: boundary)
    }

    private func requireRunning() throws {
        switch status {
        case .notStarted: throw SessionError.notStarted
        case .ended: throw SessionError.ended
        case .running: return
        }
    }

    private mutating func record(_ kind: SessionEvent.Kind, by role: Role?, text: String? = nil) -> SessionEvent {
        let event = SessionEvent(time: clock.wallNow, kind: kind, phase: phase,
                                 sinceDose: sinceDose?.seconds, by: role, text: text)
        events.append(event)
        return event
    }
}
